// The migration lock: a PostgreSQL session-level advisory lock taken on the very session that applies,
// so it is held exactly as long as that connection lives (a killed runner's lock dies with its session)
// and a second runner either fails at once or waits a bounded time, then re-reads what was applied.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseSession } from '../../../shared/src/index.js';

/** The advisory lock key (one bigint, database-wide): "a2a-migr" in ASCII. Other tools use other keys. */
export const MIGRATION_LOCK_KEY = '7003767218251589490';

/** How often a waiting runner asks for the lock again. */
export const LOCK_POLL_MS = 250;

/** Who holds the lock, as pg_stat_activity shows them (what a person needs to find the other run). */
export interface LockHolder {
  pid: number;
  applicationName: string;
  since: string | null;
  state: string | null;
}

export class MigrationLockBusyError extends Error {
  override name = 'MigrationLockBusyError';
  constructor(
    message: string,
    readonly holder?: LockHolder
  ) {
    super(message);
  }
}

/**
 * Takes the migration lock with pg_try_advisory_lock, retrying every LOCK_POLL_MS until `waitMs` has
 * passed (0: one try). Throws MigrationLockBusyError naming the holder's pid, application_name and
 * since when. Never blocks inside the server: a waiting runner holds no lock of its own.
 */
export async function takeMigrationLock(session: Pick<DatabaseSession, 'query'>, waitMs: number, signal?: AbortSignal): Promise<{ waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const got = await session.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}::bigint) AS ok`);
    if (got.rows[0]?.ok) return { waitedMs: Math.round(performance.now() - started) };
    const waited = performance.now() - started;
    if (waited >= waitMs || signal?.aborted) {
      const holder = await lockHolder(session).catch(() => undefined);
      const who = holder ? `pid ${holder.pid} (${holder.applicationName || 'no application_name'}${holder.since ? `, connected since ${holder.since}` : ''})` : 'another session';
      throw new MigrationLockBusyError(
        `Another migration run holds the migration lock: ${who}. ${waitMs > 0 ? `Waited ${Math.round(waited / 1000)} s (lock-wait). ` : ''}Nothing was applied; run again when it has finished, or raise 'lock-wait' to queue behind it.`,
        holder
      );
    }
    await sleep(Math.min(LOCK_POLL_MS, Math.max(1, waitMs - waited)), undefined, { signal }).catch(() => undefined);
  }
}

/** Releases the lock (closing the session releases it too). */
export async function releaseMigrationLock(session: Pick<DatabaseSession, 'query'>): Promise<void> {
  await session.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`);
}

async function lockHolder(session: Pick<DatabaseSession, 'query'>): Promise<LockHolder | undefined> {
  // A bigint key shows in pg_locks as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
  const key = BigInt(MIGRATION_LOCK_KEY);
  const r = await session.query<{ pid: number; application_name: string; backend_start: Date | null; state: string | null }>(
    `SELECT l.pid, a.application_name, a.backend_start, a.state FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      LIMIT 1`,
    [String(key >> 32n), String(key & 0xffffffffn)]
  );
  const row = r.rows[0];
  return row ? { pid: row.pid, applicationName: row.application_name ?? '', since: row.backend_start ? row.backend_start.toISOString() : null, state: row.state } : undefined;
}
