// operation: check — probes every endpoint and builds the report: one check per endpoint, a table sorted
// by days left, and the min-days-left output.
import { buildReport, type ActionResult, type RunContext } from '../../shared/src/index.js';
import { certificatesSection, checkEndpoints, endpointCheck, minDaysLeft, sortByDaysLeft, type LookupAll } from './check-endpoints.js';
import { SSL_OUTPUTS, type SslInputs } from './inputs.js';

/** Identity of the action in reports, state and issue keys. */
export const SSL_ACTION = { name: 'ssl', title: 'TLS certificate check' } as const;

/** Checks `inputs.targets` and returns the report and outputs. `lookup` replaces DNS in tests. */
export async function runChecks(inputs: SslInputs, ctx: Pick<RunContext, 'log'>, lookup?: LookupAll): Promise<ActionResult> {
  const startedAt = new Date();
  const results = await ctx.log.group(`Checking ${inputs.targets.length} TLS endpoint${inputs.targets.length === 1 ? '' : 's'}`, async () => {
    const found = await checkEndpoints(inputs.targets, {
      thresholds: inputs.thresholds,
      timeoutMs: inputs.timeoutMs,
      ca: inputs.ca,
      concurrency: inputs.concurrency,
      lookup,
      log: ctx.log
    });
    for (const r of found) {
      const check = endpointCheck(r, inputs.thresholds);
      ctx.log.info(`${check.status.toUpperCase().padEnd(4)} ${check.target}: ${check.message}`);
    }
    return found;
  });
  const sorted = sortByDaysLeft(results);
  const notes = inputs.caFile ? [`Trusted: the system roots plus the certificates in ${inputs.caFile}.`] : [];
  return {
    report: buildReport({
      action: SSL_ACTION.name,
      title: SSL_ACTION.title,
      startedAt,
      checks: sorted.map((r) => endpointCheck(r, inputs.thresholds)),
      sections: [certificatesSection(results)],
      notes
    }),
    outputs: { [SSL_OUTPUTS.minDaysLeft]: minDaysLeft(results) }
  };
}
