// The database part of the health check: connect read-only within a timeout, probe, judge. Never writes, never kills.
import { describeConnectError } from '../../database/describe-connect-error.js';
import { DatabaseConnectError, openDatabaseSession, type DatabaseSession, type DatabaseTarget } from '../../database/session.js';
import type { Check } from '../../report/model.js';
import { scrubSecrets } from '../../secrets.js';
import { classifyDatabase, DEFAULT_CACHE_HIT_POLICY, unreachableCheck, type CacheHitPolicy, type DatabaseThresholds } from './classify-database.js';
import { probeDatabase } from './probe-database.js';

/** `application_name` of the check's session, so a DBA sees who is looking (and the check can skip itself). */
export const CHECK_APPLICATION_NAME = 'a2a-ops health';

/** Options of one database check run. */
export interface CheckDatabaseOptions {
  /** How the database is named in the report (`a2a_user@db.internal:5432/a2a_world`); never holds a password. */
  target: string;
  /** Connect timeout, and the statement/lock timeout of every probe. */
  timeoutMs: number;
  /** Cache-hit judgement; defaults to PgHero's 99 %. */
  cacheHit?: CacheHitPolicy;
}

/**
 * Checks one PostgreSQL database the way the runbook's "Database Issues" section does, read-only:
 * reachability (pg_isready), connections vs max_connections and the absolute alert, long-running
 * queries, sessions idle in a transaction, queries blocked on locks, top queries from pg_stat_statements
 * (when installed), cache hit rate and unused indexes.
 *
 * `database` is what the core's openDatabaseSession takes: a parsed URL (`parseDatabaseUrl`), or a `pg`
 * client config, e.g. one aimed at an SSH tunnel to the compose `postgres` service. The session is
 * read-only, with the statement and lock timeouts at `timeoutMs`, and everything runs in one READ ONLY
 * transaction that is rolled back. When the server cannot be reached the result is the single failed
 * `database:reachability` check; otherwise one check per aspect, kind `database`.
 */
export async function checkDatabase(database: DatabaseTarget, thresholds: DatabaseThresholds, opts: CheckDatabaseOptions): Promise<Check[]> {
  let session: DatabaseSession;
  try {
    session = await openDatabaseSession(database, {
      mode: 'read-only',
      applicationName: CHECK_APPLICATION_NAME,
      connectTimeoutMs: opts.timeoutMs,
      statementTimeoutMs: opts.timeoutMs,
      lockTimeoutMs: opts.timeoutMs
    });
  } catch (error) {
    const reason = error instanceof DatabaseConnectError ? error.message : describeConnectError(error, opts.timeoutMs);
    return [unreachableCheck(opts.target, reason, opts.timeoutMs)];
  }
  try {
    // One snapshot for every probe; each probe runs under its own savepoint inside it.
    await session.query('BEGIN READ ONLY');
    const snapshot = await probeDatabase(session.client, session.connectMs);
    return classifyDatabase(opts.target, snapshot, thresholds, opts.cacheHit ?? DEFAULT_CACHE_HIT_POLICY);
  } catch (error) {
    // The server let us in, then failed the first query (shut down mid-check, statement timeout).
    const reason = scrubSecrets(error instanceof Error ? error.message : String(error));
    return [unreachableCheck(opts.target, `accepted the connection, then failed: ${reason}`, opts.timeoutMs)];
  } finally {
    await session.close();
  }
}
