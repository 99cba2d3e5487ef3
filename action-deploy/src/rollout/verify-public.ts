// After each host, the service must answer at its public health URL (through the load balancer): a
// few tries within a short deadline, each bounded, 2xx expected.
import { setTimeout as sleep } from 'node:timers/promises';

/** Undefined when the URL answered 2xx; else what went wrong on the last try. */
export async function verifyPublic(url: string, opts: { deadlineMs: number; attemptTimeoutMs: number; signal?: AbortSignal }): Promise<string | undefined> {
  const until = Date.now() + opts.deadlineMs;
  let problem = 'not tried';
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.attemptTimeoutMs), redirect: 'follow' });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return undefined;
      problem = `answered ${res.status}`;
    } catch (e) {
      problem = (e as Error).name === 'TimeoutError' ? `no answer within ${opts.attemptTimeoutMs} ms` : (e as Error).message;
    }
    if (Date.now() + 1000 > until || opts.signal?.aborted) return problem;
    await sleep(1000);
  }
}
