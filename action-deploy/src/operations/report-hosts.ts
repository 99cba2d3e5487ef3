// Report rows shared by the rolling operations: the hosts a stopped run never started.
import type { RollingHostOutcome, RunContext } from '../../../shared/src/index.js';

/** One `warn` row per host that was not started because an earlier host failed. */
export function reportSkipped<T>(ctx: RunContext, outcomes: RollingHostOutcome<T>[], idPrefix: string): void {
  for (const o of outcomes) {
    if (!o.ok && o.skipped) ctx.report.add({ id: `${idPrefix}:${o.target.name}`, kind: 'deploy', target: o.target.name, status: 'warn', message: o.reason });
  }
}
