// The runbook's first look in an outage ("curl -I https://a2aworld.ai", "curl -w @curl-format.txt ...
// /health"): every configured endpoint timed phase by phase, a hanging one shown as hanging.
import { mapLimit, markdownTable, oneLine, STATUS_ICON, type Status, type Thresholds } from '../../../shared/src/index.js';
import { diagnosis, type Diagnosis, type Fault } from '../incident/diagnosis.js';
import type { EndpointTarget } from '../inputs.js';
import type { Timings } from './phases.js';
import { timeRequest, type TimedResponse } from './time-request.js';

const FAMILY = 'endpoints';
const PARALLEL = 8;

/** The verdict on one endpoint's timed request. */
export function judgeEndpoint(
  target: EndpointTarget,
  r: TimedResponse,
  limits: Pick<Thresholds, 'latencyWarnMs' | 'latencyFailMs'>
): { status: Status; message: string } {
  const total = r.timings.total;
  if (r.timedOut) {
    const stalled = r.timings.stalledIn ? `, stalled waiting for ${r.timings.stalledIn}` : '';
    const reached = r.timings.connect !== undefined ? ` (connected in ${ms(r.timings.connect)})` : '';
    return { status: 'fail', message: `hangs: ${r.problem}${stalled}${reached}` };
  }
  if (r.problem) return { status: 'fail', message: `down: ${r.problem}` };
  const code = r.statusCode ?? 0;
  const ok = target.expectStatus.length ? target.expectStatus.includes(code) : code >= 200 && code < 400;
  if (!ok) return { status: 'fail', message: `answered ${code}${target.expectStatus.length ? `, expected ${target.expectStatus.join(', ')}` : ''} in ${ms(total)}` };
  if (total !== undefined && total > limits.latencyFailMs) return { status: 'fail', message: `slow: ${ms(total)} (limit ${ms(limits.latencyFailMs)})` };
  if (total !== undefined && total > limits.latencyWarnMs) return { status: 'warn', message: `degraded: ${ms(total)} (warn above ${ms(limits.latencyWarnMs)})` };
  return { status: 'ok', message: `${code} in ${ms(total)}` };
}

/** Times every endpoint (a few at once) and reports the table and the faults. */
export async function diagnoseEndpoints(
  endpoints: readonly EndpointTarget[],
  timeoutMs: number,
  limits: Pick<Thresholds, 'latencyWarnMs' | 'latencyFailMs'>,
  signal: AbortSignal
): Promise<Diagnosis> {
  const d = diagnosis(FAMILY);
  if (endpoints.length === 0) {
    d.notes.push('Endpoints: none configured (add `endpoints:` or services\' `health-url` to the ops config, or the `endpoints` input).');
    return d;
  }
  const results = await mapLimit(endpoints, PARALLEL, async (e) => ({ e, r: await timeRequest(new URL(e.url), e.method, timeoutMs, signal) }));
  const rows = results.map(({ e, r }) => {
    const verdict = judgeEndpoint(e, r, limits);
    if (verdict.status !== 'ok') d.faults.push(fault(e, verdict.status, verdict.message));
    return [oneLine(e.url, 120), r.statusCode ?? '—', ...phaseCells(r.timings), `${STATUS_ICON[verdict.status]} ${oneLine(verdict.message, 160)}`];
  });
  d.sections.push({
    title: 'Endpoints (the phases of curl -w curl-format.txt, cumulative)',
    markdown: markdownTable(
      ['Endpoint', 'HTTP', { title: 'DNS', align: 'right' }, { title: 'Connect', align: 'right' }, { title: 'TLS', align: 'right' }, { title: 'First byte', align: 'right' }, { title: 'Total', align: 'right' }, 'Verdict'],
      rows
    )
  });
  return d;
}

function fault(e: EndpointTarget, severity: Exclude<Status, 'ok'>, message: string): Fault {
  return { family: FAMILY, target: e.url, severity, message };
}

function phaseCells(t: Timings): string[] {
  const cell = (v: number | undefined, phase: string): string => (v !== undefined ? ms(v) : t.stalledIn === phase ? '⏳ stalled' : '—');
  return [cell(t.dns, 'dns'), cell(t.connect, 'connect'), cell(t.tls, 'tls'), cell(t.firstByte, 'first byte'), cell(t.total, 'body')];
}

function ms(v: number | undefined): string {
  return v === undefined ? '—' : `${Math.round(v)} ms`;
}
