// One connection per host for a whole run, and bounded-concurrency fan-out over hosts.
import { toError } from '../errors.js';
import { describeTarget } from './errors.js';
import { SshSession } from './session.js';
import type { HostTarget, SshConnectParams } from './types.js';

function targetKey(t: HostTarget): string {
  return `${t.user}@${t.address}:${t.port}`;
}

/**
 * Memoises `SshSession.connect` per `user@address:port`, so every command of a run reuses one
 * connection per host. A failed connect is remembered too: a dead host costs one timeout, not one per command.
 */
export class SshPool {
  private readonly sessions = new Map<string, Promise<SshSession>>();

  constructor(private readonly params: SshConnectParams) {}

  /** The session for `target`, connecting on first use. */
  get(target: HostTarget): Promise<SshSession> {
    const key = targetKey(target);
    let session = this.sessions.get(key);
    if (!session) {
      session = SshSession.connect(target, this.params);
      // Keep an unobserved rejection from crashing the process; callers still see it.
      session.catch(() => undefined);
      this.sessions.set(key, session);
    }
    return session;
  }

  /** How many distinct connections were opened (or attempted). */
  get size(): number {
    return this.sessions.size;
  }

  /** Closes every session that connected; never throws. */
  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.close()).catch(() => undefined)));
  }
}

/** Per-host lines collected by `runOnHosts`, bounded so a chatty host cannot exhaust memory. */
export class HostLog {
  readonly lines: string[] = [];
  dropped = 0;
  constructor(private readonly maxLines = 2000) {}

  /** Adds one line; beyond `maxLines` the oldest lines are dropped and counted. */
  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) {
      this.lines.shift();
      this.dropped++;
    }
  }
}

/** How one host's work ended. `log` is kept whether it succeeded or not. */
export type HostOutcome<T> =
  | { target: HostTarget; label: string; ok: true; value: T; log: HostLog; durationMs: number }
  | { target: HostTarget; label: string; ok: false; error: Error; log: HostLog; durationMs: number };

/**
 * Runs `fn` for every target with at most `limit` running at once, and returns one settled outcome per
 * target in input order. A failing host never stops the others; its log lines are kept.
 */
export async function runOnHosts<T>(
  targets: readonly HostTarget[],
  limit: number,
  fn: (target: HostTarget, log: HostLog) => Promise<T>
): Promise<HostOutcome<T>[]> {
  const outcomes = new Array<HostOutcome<T>>(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i];
      const log = new HostLog();
      const started = Date.now();
      const label = describeTarget(target);
      try {
        const value = await fn(target, log);
        outcomes[i] = { target, label, ok: true, value, log, durationMs: Date.now() - started };
      } catch (err) {
        outcomes[i] = { target, label, ok: false, error: toError(err), log, durationMs: Date.now() - started };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
