// The one concurrency limiter of the core: bounded fan-out that keeps input order (p-limit underneath).
import pLimit from 'p-limit';
import { toError } from '../errors.js';

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and resolves with the results in input
 * order. Like `Promise.all`, the first rejection rejects the whole; callers that must keep every outcome
 * catch inside `fn` (see `settle`).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = pLimit(Math.max(1, Math.floor(limit)));
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}

/** An outcome kept whether the work succeeded or threw. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: Error };

/** `fn`'s result or its error, never a rejection: for fan-outs where one failure must not drop the rest. */
export async function settle<R>(fn: () => Promise<R>): Promise<Settled<R>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error: toError(error) };
  }
}
