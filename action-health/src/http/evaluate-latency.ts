// Turns a response time into the runbook's three states: up, degraded (above the 500 ms target), down (above the 2 s alert).
import type { Status } from '../../../shared/src/index.js';

/** The two latency limits, in milliseconds. `warnMs` is the target, `failMs` the alert threshold. */
export interface LatencyLimits {
  warnMs: number;
  failMs: number;
}

/**
 * `ok` at or below the target, `warn` ("degraded") above it, `fail` above the alert threshold.
 * The limits are exclusive: exactly 500 ms still meets "< 500 ms" closely enough that we do not alert.
 */
export function evaluateLatency(ms: number, limits: LatencyLimits): Status {
  if (ms > limits.failMs) return 'fail';
  if (ms > limits.warnMs) return 'warn';
  return 'ok';
}

/** The threshold text shown next to a latency value in the summary. */
export function describeLatencyLimits(limits: LatencyLimits): string {
  return `≤ ${limits.warnMs} ms (degraded > ${limits.warnMs}, down > ${limits.failMs})`;
}
