// Checks many HTTP targets at once (bounded concurrency) and turns each result into a report Check.
import { mapLimit, type Check } from '../../../shared/src/index.js';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { checkEndpoint, type HttpAgents, type HttpCheckOptions, type HttpResult } from './check-endpoint.js';
import { describeLatencyLimits } from './evaluate-latency.js';
import type { HttpTarget } from './targets.js';

/** The check id of a target: stable across runs, so the same issue is found again. */
export function httpCheckId(target: HttpTarget): string {
  return `http:${target.url}`;
}

/**
 * Runs `checkEndpoint` over every target with at most `concurrency` requests in flight, keeping input order.
 * With the default concurrency every endpoint of a normal site is in flight at once, so the run takes
 * about as long as the slowest endpoint, not the sum of them.
 */
export async function checkEndpoints(targets: HttpTarget[], opts: HttpCheckOptions, concurrency: number): Promise<HttpResult[]> {
  // One pool per run with room for every concurrent request: redirects and retries reuse connections,
  // and nothing lingers after the run (a keep-alive socket would hold the process open).
  const agents: HttpAgents = { http: new HttpAgent({ keepAlive: true, maxSockets: concurrency }), https: new HttpsAgent({ keepAlive: true, maxSockets: concurrency }) };
  const withAgents = { ...opts, agents: opts.agents ?? agents };
  try {
    return await mapLimit(targets, concurrency, (target) => checkEndpoint(target, withAgents));
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
}

/** One report row per endpoint: status code and latency against the limits, retries told in the message. */
export function toHttpCheck(result: HttpResult, opts: HttpCheckOptions): Check {
  const { target, final, attempts } = result;
  const tries = attempts.length > 1 ? ` after ${attempts.length} attempts` : '';
  const hops = final.redirects.length ? `, ${final.redirects.length} redirect${final.redirects.length > 1 ? 's' : ''}` : '';
  let message: string;
  if (final.problem) message = `down${tries}: ${final.problem}`;
  else if (final.status === 'warn') message = `degraded: ${final.statusCode} in ${final.latencyMs} ms (target ${opts.limits.warnMs} ms)${hops}`;
  else message = `up: ${final.statusCode} in ${final.latencyMs} ms${hops}${attempts.length > 1 ? ` (recovered on attempt ${attempts.length})` : ''}`;

  const detailLines = attempts.map(
    (a, i) => `attempt ${i + 1}: ${a.statusCode ?? '—'} in ${a.latencyMs} ms${a.problem ? ` — ${a.problem}` : ''}${a.redirects.length ? ` via ${a.redirects.join(' → ')}` : ''}`
  );
  if (final.problem && final.bodyExcerpt) detailLines.push('', 'Response body (first 2000 characters):', final.bodyExcerpt);

  return {
    id: httpCheckId(target),
    kind: 'http',
    target: target.name === target.url ? `${target.method} ${target.url}` : `${target.name} (${target.method} ${target.url})`,
    status: final.status,
    value: final.problem && final.statusCode === undefined ? 'no answer' : final.latencyMs,
    unit: final.problem && final.statusCode === undefined ? undefined : 'ms',
    threshold: describeLatencyLimits(opts.limits),
    message,
    details: attempts.length > 1 || final.problem ? detailLines.join('\n') : undefined
  };
}
