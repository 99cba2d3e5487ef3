// The database part of the health check: connect read-only within a timeout, probe, judge. Never writes, never kills.
import type pg from 'pg';
import { scrubSecrets, type Check } from '../../../shared/src/index.js';
import { classifyDatabase, DEFAULT_CACHE_HIT_POLICY, unreachableCheck, type CacheHitPolicy, type DatabaseThresholds } from './classify-database.js';
import { connectReadOnly } from './connect-read-only.js';
import { describeConnectError } from './describe-connect-error.js';
import { probeDatabase } from './probe-database.js';

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
 * `clientConfig` is a `pg` client config built by the caller: a direct one (`clientConfigFromUrl`) or one
 * whose `stream` is a channel forwarded over SSH to the compose `postgres` service. Register its password
 * as a secret before calling (clientConfigFromUrl does). When the server cannot be reached the result is
 * the single failed `database:reachability` check; otherwise one check per aspect, kind `database`.
 */
export async function checkDatabase(
  clientConfig: pg.ClientConfig,
  thresholds: DatabaseThresholds,
  opts: CheckDatabaseOptions
): Promise<Check[]> {
  let session;
  try {
    session = await connectReadOnly(clientConfig, opts.timeoutMs);
  } catch (error) {
    return [unreachableCheck(opts.target, describeConnectError(error, opts.timeoutMs), opts.timeoutMs)];
  }
  try {
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
