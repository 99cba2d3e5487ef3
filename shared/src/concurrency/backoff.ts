// The one retry/backoff helper of the core (SSH connect, DigitalOcean calls, lock waits, ...). GitHub calls
// use Octokit's own retry and throttling plugins instead.
import { setTimeout as sleep } from 'node:timers/promises';

/** How a retried operation backs off. */
export interface BackoffOptions {
  /** Wait before the first retry, before jitter. */
  baseMs: number;
  /** No single wait is longer than this (default 30 s). */
  maxMs?: number;
  /** Spread each wait by a random factor in [1 - jitter, 1 + jitter) (default 0.5; 0 for none). */
  jitter?: number;
  /** For tests. */
  random?: () => number;
}

/** The wait before retry number `retry` (0 for the first): base × 2^retry, jittered, capped at `maxMs`. */
export function backoffDelay(retry: number, opts: BackoffOptions): number {
  const jitter = opts.jitter ?? 0.5;
  const random = opts.random ?? Math.random;
  const raw = opts.baseMs * 2 ** Math.max(0, retry) * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.min(opts.maxMs ?? 30_000, raw));
}

/** What `withRetries` needs to know about one failure. */
export interface RetryDecision {
  /** Try again (subject to the attempt and time budgets). */
  retry: boolean;
  /** Wait this long instead of the backoff (a server's `retry-after`). */
  waitMs?: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included (at least 1). */
  attempts: number;
  /** All waits of one operation together stay within this (default unbounded). */
  maxTotalWaitMs?: number;
  /** Decides from the error whether to try again; default: every error is retried. */
  classify?: (error: unknown, attempt: number) => RetryDecision;
  /** Stops the waiting (a cancelled run): the last error is thrown at once. */
  signal?: AbortSignal;
  /** For tests: how to wait. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Runs `fn` (given the attempt number, from 1) until it resolves, the error is not retryable, the
 * attempts run out or the wait budget would be exceeded; then throws the last error unchanged.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const wait = opts.sleep ?? ((ms: number) => sleep(ms, undefined, { signal: opts.signal }));
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = opts.classify ? opts.classify(error, attempt) : { retry: true };
      if (!decision.retry || attempt >= Math.max(1, opts.attempts) || opts.signal?.aborted) throw error;
      const ms = decision.waitMs ?? backoffDelay(attempt - 1, opts);
      if (opts.maxTotalWaitMs !== undefined && waited + ms > opts.maxTotalWaitMs) throw error;
      waited += ms;
      try {
        await wait(ms);
      } catch {
        throw error;
      }
    }
  }
}
