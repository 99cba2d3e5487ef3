// Runs each diagnostic family under its own deadline and catches what it throws, so one hung host or a
// failing API never hides what the other families found.
import { setTimeout as sleep } from 'node:timers/promises';
import { scrubSecrets, toError } from '../../../shared/src/index.js';
import { diagnosis, type Diagnosis } from './diagnosis.js';

/** A family to run: its name and the work, which should stop early when `signal` aborts. */
export interface Family {
  family: string;
  run(signal: AbortSignal): Promise<Diagnosis>;
}

/**
 * Runs every family at once. A family that throws, or is still running after `timeoutMs`, becomes a
 * diagnosis with one `warn` fault saying it could not finish (a blind spot is not an outage); its
 * signal is aborted so its sockets close. The result keeps the families' order.
 */
export async function runFamilies(families: readonly Family[], timeoutMs: number, outer: AbortSignal): Promise<Diagnosis[]> {
  return Promise.all(
    families.map(async (f) => {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(outer.reason);
      outer.addEventListener('abort', onAbort, { once: true });
      const timer = new AbortController();
      try {
        const timedOut = sleep(timeoutMs, 'timeout' as const, { signal: timer.signal, ref: false }).catch(() => 'cancelled' as const);
        const outcome = await Promise.race([f.run(controller.signal).then((d) => ({ d })), timedOut]);
        if (typeof outcome === 'object') return outcome.d;
        controller.abort(new Error(`${f.family} took longer than ${timeoutMs} ms`));
        return couldNotFinish(f.family, `did not finish within ${Math.round(timeoutMs / 1000)} s (diagnostic-timeout); what it found is not shown`);
      } catch (error) {
        return couldNotFinish(f.family, `failed: ${scrubSecrets(toError(error).message)}`);
      } finally {
        timer.abort();
        outer.removeEventListener('abort', onAbort);
      }
    })
  );
}

function couldNotFinish(family: string, why: string): Diagnosis {
  const d = diagnosis(family);
  d.faults.push({ family, target: family, severity: 'warn', message: `the ${family} diagnostic ${why}` });
  return d;
}
