// Runs every diagnostic family at once, each bounded and fault-isolated, then the error-pattern review
// over the logs the hosts family read, and reports one incident check with every fault.
import type { ActionResult, RunContext } from '../../shared/src/index.js';
import { diagnoseEndpoints } from './endpoints/diagnose-endpoints.js';
import { diagnoseErrorPatterns } from './error-patterns/diagnose-error-patterns.js';
import type { ContainerLog } from './error-patterns/group.js';
import { diagnoseHosts } from './hosts/diagnose-hosts.js';
import { runFamilies, type Family } from './incident/bounded.js';
import type { Diagnosis } from './incident/diagnosis.js';
import { buildIncidentCheck, describeFault, faultsSection, orderFaults } from './incident/incident-check.js';
import { INCIDENT_OUTPUTS, type IncidentInputs } from './inputs.js';
import { diagnoseDatabase } from './platform/diagnose-database.js';
import { diagnoseLoadBalancer } from './platform/diagnose-load-balancer.js';
import { diagnoseNats } from './platform/diagnose-nats.js';

export async function executeIncident(inputs: IncidentInputs, ctx: RunContext): Promise<ActionResult> {
  const families: Family[] = [];
  const skipped: string[] = [];
  const perCheckMs = Math.min(inputs.endpointTimeoutMs, inputs.diagnosticTimeoutMs);
  families.push({ family: 'endpoints', run: (signal) => diagnoseEndpoints(inputs.endpoints, inputs.endpointTimeoutMs, ctx.config.thresholds, signal) });
  let logs: ContainerLog[] = [];
  if (inputs.ssh) {
    const ssh = inputs.ssh;
    families.push({
      family: 'services',
      run: async (signal) => {
        const found = await diagnoseHosts({ ...inputs, ssh, config: ctx.config }, signal);
        logs = found.logs;
        return found.diagnosis;
      }
    });
  } else skipped.push('hosts (no `hosts` input and none in the ops config)');
  if (inputs.database) {
    const db = inputs.database;
    families.push({ family: 'database', run: () => diagnoseDatabase(db, ctx.config.thresholds, inputs.longQueryMs, perCheckMs) });
  } else skipped.push('database (no `database-url`)');
  if (inputs.nats) {
    const nats = inputs.nats;
    families.push({ family: 'nats', run: () => diagnoseNats(nats, perCheckMs) });
  } else skipped.push('NATS (no `nats-url`)');
  if (inputs.digitalocean) {
    const d = inputs.digitalocean;
    families.push({ family: 'load balancer', run: () => diagnoseLoadBalancer({ ...d, timeoutMs: inputs.diagnosticTimeoutMs }) });
  } else skipped.push('DigitalOcean load balancer (no `digitalocean-token`)');

  const found = await ctx.log.group(`Diagnostics: ${families.map((f) => f.family).join(', ')}`, async () => {
    const all = await runFamilies(families, inputs.diagnosticTimeoutMs, ctx.signal);
    for (const d of all) ctx.log.info(`${d.family}: ${d.faults.length ? `${d.faults.length} fault(s)` : 'no fault'}`);
    return all;
  });
  const diagnoses: Diagnosis[] = [...found];
  if (inputs.ssh) diagnoses.push(await ctx.log.group('Error log patterns', async () => diagnoseErrorPatterns(logs, ctx.state, new Date())));

  const faults = orderFaults(diagnoses.flatMap((d) => d.faults));
  const names = diagnoses.map((d) => d.family);
  ctx.report.add(buildIncidentCheck(ctx.config.platform, faults, names));
  ctx.report.section(faultsSection(faults));
  for (const d of diagnoses) for (const s of d.sections) ctx.report.section(s);
  for (const d of diagnoses) for (const n of d.notes) ctx.report.note(n);
  if (skipped.length) ctx.report.note(`Not diagnosed: ${skipped.join('; ')}.`);
  for (const f of faults) ctx.log.warn(describeFault(f));
  return {
    outputs: {
      [INCIDENT_OUTPUTS.faultCount]: String(faults.length),
      [INCIDENT_OUTPUTS.faults]: JSON.stringify(faults)
    }
  };
}
