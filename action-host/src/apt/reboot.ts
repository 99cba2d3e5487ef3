// The optional reboot after an upgrade: the boot id read first, `reboot` as root (the connection drops),
// then new connections tried until the host answers with a different boot id, within a bound.
import { setTimeout as sleep } from 'node:timers/promises';
import { assertSucceeded } from '../../../shared/src/index.js';
import { asRoot } from '../hosts/open-hosts.js';

/** The part of an SSH session the reboot needs. */
export interface RebootShell {
  readonly label: string;
  exec(command: string, opts?: { label?: string; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string; timedOut?: boolean; durationMs: number; truncated: boolean }>;
  close(): Promise<void> | void;
}

export const BOOT_ID_COMMAND = 'cat /proc/sys/kernel/random/boot_id';

export async function readBootId(shell: RebootShell): Promise<string> {
  const r = await shell.exec(BOOT_ID_COMMAND, { label: 'read the boot id', timeoutMs: 30_000 });
  return assertSucceeded(shell.label, 'read the boot id', r as Parameters<typeof assertSucceeded>[2]).stdout.trim();
}

export interface RebootOptions {
  timeoutMs: number;
  /** Between connection attempts (default 5 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * Reboots the host behind `shell` and returns a new connection once the host is back (a different boot
 * id). Throws when it is not back within `timeoutMs`. `connect` opens a new connection (it may fail
 * while the host is down: that is retried).
 */
export async function rebootAndWait<S extends RebootShell>(shell: S, connect: () => Promise<S>, opts: RebootOptions): Promise<{ session: S; downMs: number }> {
  const before = await readBootId(shell);
  // The command never answers when the reboot is quick: a short bound, and any outcome is fine.
  await shell.exec(`${asRoot(['reboot'])} </dev/null >/dev/null 2>&1 &`, { label: 'reboot', timeoutMs: 10_000 }).catch(() => undefined);
  await Promise.resolve(shell.close()).catch(() => undefined);
  const started = Date.now();
  const interval = opts.intervalMs ?? 5000;
  let last = 'no answer yet';
  while (Date.now() - started < opts.timeoutMs) {
    if (opts.signal?.aborted) throw new Error(`${shell.label}: cancelled while waiting for the host to come back from its reboot`);
    await sleep(interval, undefined, { signal: opts.signal }).catch(() => undefined);
    let next: S | undefined;
    try {
      next = await connect();
      const now = await readBootId(next);
      if (now && now !== before) return { session: next, downMs: Date.now() - started };
      last = 'still the same boot (the reboot has not happened yet)';
    } catch (e) {
      last = (e as Error).message;
    }
    if (next) await Promise.resolve(next.close()).catch(() => undefined);
    opts.log?.(`${shell.label}: waiting for the host to come back (${Math.round((Date.now() - started) / 1000)} s): ${last}`);
  }
  throw new Error(`${shell.label}: not back from its reboot within ${Math.round(opts.timeoutMs / 1000)} s (last: ${last})`);
}
