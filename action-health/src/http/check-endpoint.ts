// Checks one HTTP target: follows redirects by hand (counting hops, refusing loops and off-host jumps),
// times the whole exchange, checks status/body/headers, and retries with backoff before calling it down.
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { describeNetworkError, oneLine, type Status } from '../../../shared/src/index.js';
import { evaluateLatency, type LatencyLimits } from './evaluate-latency.js';
import type { HttpTarget } from './targets.js';

/** How hard to try before declaring a target down. */
export interface HttpCheckOptions {
  /** Bound on one attempt, redirects and body included. */
  timeoutMs: number;
  /** Extra attempts after a failed one. */
  retries: number;
  /** Wait before retry n (the last value repeats): Upptime's 2 s then 10 s by default. */
  retryDelaysMs: number[];
  maxRedirects: number;
  limits: LatencyLimits;
  /** Connection pools of this run (keep-alive across redirects and retries); node's global agents when absent. */
  agents?: HttpAgents;
}

/** The keep-alive pools one run uses, closed at its end. */
export interface HttpAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** One try at a target. */
export interface HttpAttempt {
  /** Final HTTP status, when an answer came. */
  statusCode?: number;
  /** Whole-exchange time: every redirect hop and the body. */
  latencyMs: number;
  /** Every URL followed after the first. */
  redirects: string[];
  finalUrl: string;
  /** What was wrong, for a failed attempt. */
  problem?: string;
  status: Status;
  /** The first bytes of the body, for the log excerpt of a failing endpoint. */
  bodyExcerpt?: string;
}

/** The outcome after retries: the last attempt decides, earlier ones are kept for the details. */
export interface HttpResult {
  target: HttpTarget;
  attempts: HttpAttempt[];
  final: HttpAttempt;
}

/** Bodies are read up to this size: enough for any health page, bounded for a 5 GB download by mistake. */
const MAX_BODY_BYTES = 1024 * 1024;
const EXCERPT_CHARS = 2000;
const USER_AGENT = 'a2a-ops-health (+https://github.com/features/actions)';

/**
 * Checks one target, retrying failed attempts (never degraded ones: a slow answer is an answer) with the
 * configured backoff. Never throws: every network error becomes a failed attempt with a readable problem.
 */
export async function checkEndpoint(target: HttpTarget, opts: HttpCheckOptions): Promise<HttpResult> {
  const attempts: HttpAttempt[] = [];
  for (let i = 0; i <= opts.retries; i++) {
    if (i > 0) await sleep(opts.retryDelaysMs[Math.min(i - 1, opts.retryDelaysMs.length - 1)] ?? 0);
    const attempt = await attemptOnce(target, opts);
    attempts.push(attempt);
    if (attempt.status !== 'fail') break;
  }
  return { target, attempts, final: attempts[attempts.length - 1] };
}

async function attemptOnce(target: HttpTarget, opts: HttpCheckOptions): Promise<HttpAttempt> {
  const start = performance.now();
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const origin = new URL(target.url);
  const redirects: string[] = [];
  const visited = new Set<string>([origin.toString()]);
  let current = origin;
  const fail = (problem: string, statusCode?: number): HttpAttempt => ({
    statusCode,
    latencyMs: Math.round(performance.now() - start),
    redirects,
    finalUrl: current.toString(),
    problem,
    status: 'fail'
  });

  try {
    for (;;) {
      const res = await send(current, target, signal, opts.agents);
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, current);
        // An http→https upgrade on the same host is routine; any other host is somebody else's site.
        if (next.hostname !== origin.hostname) {
          return fail(`redirects off-host to ${next.origin} (${res.status}); not followed`, res.status);
        }
        if (visited.has(next.toString())) {
          redirects.push(next.toString());
          return fail(`redirect loop: ${redirects.map((u) => new URL(u).pathname).join(' → ')}`, res.status);
        }
        if (redirects.length >= opts.maxRedirects) {
          return fail(`more than ${opts.maxRedirects} redirects (last ${res.status} to ${next.pathname})`, res.status);
        }
        redirects.push(next.toString());
        visited.add(next.toString());
        current = next;
        continue;
      }
      const latencyMs = Math.round(performance.now() - start);
      const attempt: HttpAttempt = { statusCode: res.status, latencyMs, redirects, finalUrl: current.toString(), status: 'ok' };
      const problem = findMismatch(target, res.status, res.headers, res.body);
      if (problem) return { ...attempt, problem, status: 'fail', bodyExcerpt: res.body.slice(0, EXCERPT_CHARS) };
      return { ...attempt, status: evaluateLatency(latencyMs, opts.limits) };
    }
  } catch (err) {
    return fail(describeNetworkError(signal.aborted ? signal.reason : err, opts.timeoutMs));
  }
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request with node:http(s) (leaner than fetch: 100 endpoints at once cost a third less CPU),
 * never following redirects itself, body read up to MAX_BODY_BYTES. Aborted by `signal`.
 */
function send(url: URL, target: HttpTarget, signal: AbortSignal, agents?: HttpAgents): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    const request = (isHttps ? httpsRequest : httpRequest)(
      url,
      { method: target.method, headers: { 'user-agent': USER_AGENT, ...target.headers }, signal, agent: isHttps ? agents?.https : agents?.http },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_BODY_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) res.destroy();
        });
        const done = (): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', () => (size >= MAX_BODY_BYTES ? done() : undefined));
        res.on('error', (err) => (size >= MAX_BODY_BYTES ? done() : reject(err)));
      }
    );
    request.on('error', reject);
    request.end();
  });
}

function findMismatch(target: HttpTarget, status: number, headers: IncomingHttpHeaders, body: string): string | undefined {
  const okStatus = target.expectStatus.length ? target.expectStatus.includes(status) : status >= 200 && status < 300;
  if (!okStatus) {
    const expected = target.expectStatus.length ? target.expectStatus.join(', ') : '2xx';
    return `answered ${status}, expected ${expected}`;
  }
  if (target.expectBody !== undefined && !body.includes(target.expectBody)) {
    return `body does not contain '${target.expectBody}'`;
  }
  for (const [name, want] of Object.entries(target.expectHeaders)) {
    const raw = headers[name.toLowerCase()];
    const got = Array.isArray(raw) ? raw.join(', ') : raw;
    if (got === undefined) return `header '${name}' missing`;
    if (want && !got.toLowerCase().includes(want.toLowerCase())) return `header '${name}' is '${oneLine(got, 100)}', expected '${want}'`;
  }
  return undefined;
}
