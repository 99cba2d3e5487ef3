// One connection per host for a whole run; fan-out over hosts: all at once with a bound (read-only work)
// or rolling, batch by batch, stopping at the first failure (changes to production).
import { mapLimit, settle } from '../concurrency/index.js';
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

/** A host a rolling run never started, because an earlier host failed. Its `log` stays empty. */
export interface SkippedHostOutcome {
  target: HostTarget;
  label: string;
  ok: false;
  skipped: true;
  /** `not started: <host> failed` (every failed host of the batch that stopped the run). */
  reason: string;
  log: HostLog;
  durationMs: 0;
}

/** One host of a rolling run: it ran (`skipped: false`, then as `HostOutcome`) or it was never started. */
export type RollingHostOutcome<T> = (HostOutcome<T> & { skipped: false }) | SkippedHostOutcome;

/** How a rolling run proceeds. */
export interface RollingOptions {
  /** Hosts worked on together, as one batch (1: strictly host by host). A positive integer. */
  maxParallel: number;
}

/** Runs `fn` for one host, keeping its log and timing whatever happens. */
async function runOnHost<T>(target: HostTarget, fn: (target: HostTarget, log: HostLog) => Promise<T>): Promise<HostOutcome<T>> {
  const log = new HostLog();
  const started = Date.now();
  const label = describeTarget(target);
  // toError first: a thrown non-Error keeps its JSON in the message (settle alone would print [object Object]).
  const settled = await settle(() => fn(target, log).catch((err: unknown) => Promise.reject(toError(err))));
  const durationMs = Date.now() - started;
  return settled.ok ? { target, label, ok: true, value: settled.value, log, durationMs } : { target, label, ok: false, error: settled.error, log, durationMs };
}

/**
 * Runs `fn` for every target with at most `limit` running at once, and returns one settled outcome per
 * target in input order. A failing host never stops the others; its log lines are kept. For read-only
 * work (health checks); operations that change production use `runOnHostsRolling`.
 */
export async function runOnHosts<T>(
  targets: readonly HostTarget[],
  limit: number,
  fn: (target: HostTarget, log: HostLog) => Promise<T>
): Promise<HostOutcome<T>[]> {
  return mapLimit(targets, limit, (target) => runOnHost(target, fn));
}

/**
 * Runs `fn` over the targets in order for an operation that changes production (deploy, migration,
 * certificate renewal): in batches of `maxParallel` hosts, each batch started only once the previous one
 * has finished. After a batch in which any host failed nothing more is started: the hosts of that batch
 * still finish (stopping a host half-way through a change is worse than letting it end), and every later
 * host is reported as `skipped`, never run. Outcomes come in input order, with per-host logs as in
 * `runOnHosts`.
 */
export async function runOnHostsRolling<T>(
  targets: readonly HostTarget[],
  opts: RollingOptions,
  fn: (target: HostTarget, log: HostLog) => Promise<T>
): Promise<RollingHostOutcome<T>[]> {
  const size = opts.maxParallel;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`runOnHostsRolling: maxParallel must be a positive integer, got ${String(size)}`);
  const outcomes: RollingHostOutcome<T>[] = [];
  let stoppedBy: string | undefined;
  for (let start = 0; start < targets.length; start += size) {
    const batch = targets.slice(start, start + size);
    if (stoppedBy !== undefined) {
      const reason = `not started: ${stoppedBy} failed`;
      for (const target of batch) outcomes.push({ target, label: describeTarget(target), ok: false, skipped: true, reason, log: new HostLog(), durationMs: 0 });
      continue;
    }
    const ran = await runOnHosts(batch, size, fn);
    outcomes.push(...ran.map((o) => ({ ...o, skipped: false as const })));
    const failed = ran.filter((o) => !o.ok).map((o) => o.label);
    if (failed.length) stoppedBy = failed.join(', ');
  }
  return outcomes;
}
