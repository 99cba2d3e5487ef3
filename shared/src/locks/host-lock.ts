// A lock on a host, held while an operation changes it (a deploy, a restore): a directory created with
// `mkdir` (atomic on every POSIX file system) holding who took it, from which run, for what and when.
// A second run fails fast naming the holder, or waits up to a bound; nobody's lock is ever broken
// silently: only `breakExisting`, and the broken holder is logged.
import { randomBytes } from 'node:crypto';
import { withRetries } from '../concurrency/backoff.js';
import { shellQuote } from '../ssh/quote.js';
import type { ExecOptions, ExecResult } from '../ssh/types.js';

/** The part of an SSH session a lock needs (an SshSession, or anything that runs `sh -c` remotely). */
export interface LockShell {
  readonly label: string;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
}

/** Who holds a lock: written into the lock directory, shown to whoever finds it held. */
export interface LockHolder {
  /** Random token of this acquisition: release removes the lock only while it still carries it. */
  id: string;
  /** `github.actor`, or the local user. */
  actor: string;
  /** The workflow run that took it. */
  runUrl: string;
  /** What it is held for: `deploy api v2.3.1`. */
  purpose: string;
  acquiredAt: string;
}

/** A lock held by someone else. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
  constructor(
    readonly host: string,
    readonly path: string,
    readonly holder: LockHolder | undefined
  ) {
    super(
      `${host}: ${path} is locked ${holder ? `by ${holder.actor} (${holder.runUrl}) since ${holder.acquiredAt} for '${holder.purpose}'` : 'by an unknown holder (no holder file)'}; ` +
        `wait for that run to finish, or, if it is gone, re-run with break-lock: true`
    );
  }
}

export interface AcquireOptions {
  /** The lock directory's path on the host, e.g. `/opt/a2a-world/.a2a-ops/deploy.lock`. */
  path: string;
  holder: Omit<LockHolder, 'id' | 'acquiredAt'>;
  /** Keep trying this long while it is held (default 0: fail at once). */
  waitMs?: number;
  /** Take the lock even when it is held (the holder is returned in `broken`). */
  breakExisting?: boolean;
  signal?: AbortSignal;
}

/** A lock this run holds. */
export interface HostLock {
  path: string;
  holder: LockHolder;
  /** The holder whose lock was broken to take this one (only with `breakExisting`). */
  broken?: LockHolder | 'unknown';
  /** Removes the lock if it is still ours; never removes another holder's. */
  release(): Promise<void>;
}

// Exit codes of the acquire script: 0 taken, 3 held (the holder file follows on stdout).
const HELD = 3;

/** Takes the lock on `shell`'s host or throws LockHeldError (after `waitMs`, when given). */
export async function acquireHostLock(shell: LockShell, opts: AcquireOptions): Promise<HostLock> {
  const holder: LockHolder = { ...opts.holder, id: randomBytes(12).toString('hex'), acquiredAt: new Date().toISOString() };
  let broken: LockHolder | 'unknown' | undefined;
  if (opts.breakExisting) {
    const found = await readHolder(shell, opts.path);
    if (found !== undefined) {
      await run(shell, `rm -rf -- ${shellQuote(opts.path)}`, 'break the lock');
      broken = found ?? 'unknown';
    }
  }
  const attempts = opts.waitMs ? Number.MAX_SAFE_INTEGER : 1;
  await withRetries(
    async () => {
      const r = await shell.exec(acquireScript(opts.path, holder), { label: 'take the lock', timeoutMs: 30_000 });
      if (r.code === 0) return;
      if (r.code === HELD) throw new LockHeldError(shell.label, opts.path, parseHolder(r.stdout));
      throw new Error(`${shell.label}: could not take the lock ${opts.path}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`);
    },
    {
      attempts,
      baseMs: 1000,
      maxMs: 10_000,
      maxTotalWaitMs: opts.waitMs ?? 0,
      signal: opts.signal,
      classify: (e) => ({ retry: e instanceof LockHeldError })
    }
  );
  return {
    path: opts.path,
    holder,
    broken,
    release: () => releaseHostLock(shell, opts.path, holder.id)
  };
}

/** Removes the lock at `path` if `id` still holds it (the post step's release, too). */
export async function releaseHostLock(shell: LockShell, path: string, id: string): Promise<void> {
  const p = shellQuote(path);
  // The id check and the removal run in one remote shell: nobody's lock taken in between is removed.
  await run(shell, `if [ -d ${p} ]; then grep -q ${shellQuote(`"id":"${id}"`)} ${p}/holder.json 2>/dev/null && rm -rf -- ${p}; fi; exit 0`, 'release the lock');
}

/** The holder of the lock at `path`: undefined when not locked, null when locked with no readable holder. */
export async function readHolder(shell: LockShell, path: string): Promise<LockHolder | null | undefined> {
  const p = shellQuote(path);
  const r = await run(shell, `if [ -d ${p} ]; then echo locked; cat ${p}/holder.json 2>/dev/null; fi; exit 0`, 'read the lock');
  if (!r.stdout.startsWith('locked')) return undefined;
  return parseHolder(r.stdout.slice('locked'.length)) ?? null;
}

function acquireScript(path: string, holder: LockHolder): string {
  const p = shellQuote(path);
  // mkdir -p of the parent, then a plain mkdir: only one of two racing runs can create the directory.
  // The holder file is written to a temp name and renamed, so a reader never sees half of it.
  return [
    `mkdir -p -- "$(dirname -- ${p})" || exit 1`,
    `if ! mkdir -- ${p} 2>/dev/null; then cat ${p}/holder.json 2>/dev/null; exit ${HELD}; fi`,
    `printf '%s\\n' ${shellQuote(JSON.stringify(holder))} > ${p}/holder.json.tmp && mv -- ${p}/holder.json.tmp ${p}/holder.json || { rm -rf -- ${p}; exit 1; }`
  ].join('\n');
}

function parseHolder(text: string): LockHolder | undefined {
  const line = text.trim().split('\n').find((l) => l.startsWith('{'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as LockHolder;
  } catch {
    return undefined;
  }
}

async function run(shell: LockShell, command: string, what: string): Promise<ExecResult> {
  const r = await shell.exec(command, { label: what, timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${shell.label}: could not ${what}: ${(r.stderr || r.stdout).trim() || `exit ${r.code ?? 'unknown (connection lost)'}`}`);
  return r;
}
