// The runbook's "Check NATS connectivity": the health core's NATS greeting probe (`INFO {...}` on connect).
import { checkNats, type NatsTarget } from '../../../shared/src/index.js';
import { diagnosis, type Diagnosis } from '../incident/diagnosis.js';
import { checksSection } from './checks-section.js';

export async function diagnoseNats(target: NatsTarget, timeoutMs: number): Promise<Diagnosis> {
  const d = diagnosis('nats');
  const check = await checkNats(target, timeoutMs);
  if (check.status !== 'ok') d.faults.push({ family: 'nats', target: check.target, severity: check.status, message: check.message });
  d.sections.push(checksSection('NATS', [check]));
  return d;
}
