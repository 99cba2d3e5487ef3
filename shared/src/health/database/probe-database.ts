// Reads pg_stat_activity, pg_stat_statements, pg_stat_database and pg_stat_user_indexes inside the
// check's read-only transaction. Each probe runs under its own savepoint so that one failing (a missing
// privilege, an old server without a column) is reported on its own and never spoils the others.
import type pg from 'pg';
import { scrubSecrets } from '../../secrets.js';
import type {
  CacheFacts,
  ConnectionFacts,
  DatabaseSnapshot,
  Probed,
  SessionFact,
  StatementFact,
  StatementsFacts,
  UnusedIndexFact
} from './snapshot.js';

/** How many sessions, statements and indexes are read at most: bounds memory and report size. */
export const PROBE_LIMITS = { sessions: 200, statements: 10, unusedIndexes: 50 } as const;

// Backends that occupy a max_connections slot as clients; PGlite reports its single backend as "standalone".
const CLIENT_BACKENDS = `backend_type IN ('client backend', 'standalone backend')`;

const CONNECTIONS_SQL = `
SELECT (SELECT count(*) FROM pg_stat_activity WHERE ${CLIENT_BACKENDS})::int AS total,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int
         + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved`;

const STATES_SQL = `
SELECT coalesce(state, 'not visible') AS state, count(*)::int AS n
FROM pg_stat_activity WHERE ${CLIENT_BACKENDS} GROUP BY 1 ORDER BY 1`;

// clock_timestamp(), not now(): now() is frozen at BEGIN of the check's own transaction.
const SESSIONS_SQL = `
SELECT pid, datname AS database, usename AS "user", application_name AS application, client_addr::text AS client, state,
       coalesce(extract(epoch FROM clock_timestamp() - query_start) * 1000, 0)::float8 AS query_ms,
       coalesce(extract(epoch FROM clock_timestamp() - state_change) * 1000, 0)::float8 AS state_ms,
       (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS xact_ms,
       CASE WHEN wait_event IS NULL THEN NULL ELSE wait_event_type || ':' || wait_event END AS wait_event,
       pg_blocking_pids(pid) AS blocked_by,
       left(query, 2000) AS query
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND backend_type = 'client backend'
  AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
ORDER BY query_start NULLS LAST
LIMIT ${PROBE_LIMITS.sessions}`;

const STATEMENTS_SQL = (total: string, mean: string): string => `
SELECT query, calls::float8 AS calls, ${total}::float8 AS total_ms, ${mean}::float8 AS mean_ms, rows::float8 AS rows
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY ${total} DESC
LIMIT ${PROBE_LIMITS.statements}`;

const CACHE_SQL = `
SELECT coalesce(blks_hit, 0)::float8 AS hit, coalesce(blks_read, 0)::float8 AS read, stats_reset
FROM pg_stat_database WHERE datname = current_database()`;

// Unique, primary-key and constraint-backing indexes do work even when never scanned: never "unused".
const UNUSED_INDEXES_SQL = `
SELECT s.schemaname AS schema, s.relname AS "table", s.indexrelname AS index,
       pg_relation_size(s.indexrelid)::float8 AS size_bytes
FROM pg_stat_user_indexes s
JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE s.idx_scan = 0
  AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid)
ORDER BY size_bytes DESC, s.indexrelname
LIMIT ${PROBE_LIMITS.unusedIndexes}`;

/** Runs every probe on a client already inside the read-only transaction. */
export async function probeDatabase(client: pg.Client, connectMs: number): Promise<DatabaseSnapshot> {
  const head = await client.query<{ version: string; database: string }>(
    `SELECT current_setting('server_version') AS version, current_database() AS database`
  );
  const { version, database } = head.rows[0];
  return {
    serverVersion: version,
    database,
    connectMs,
    connections: await underSavepoint(client, 'connections', () => readConnections(client)),
    sessions: await underSavepoint(client, 'sessions', () => readSessions(client)),
    statements: await underSavepoint(client, 'statements', () => readStatements(client, database)),
    cache: await underSavepoint(client, 'cache', () => readCache(client)),
    unusedIndexes: await underSavepoint(client, 'unused_indexes', () => readUnusedIndexes(client))
  };
}

async function underSavepoint<T>(client: pg.Client, name: string, fn: () => Promise<T>): Promise<Probed<T>> {
  try {
    await client.query(`SAVEPOINT ${name}`);
    const value = await fn();
    await client.query(`RELEASE SAVEPOINT ${name}`);
    return { ok: true, value };
  } catch (error) {
    await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    return { ok: false, error: scrubSecrets(error instanceof Error ? error.message : String(error)) };
  }
}

async function readConnections(client: pg.Client): Promise<ConnectionFacts> {
  const head = await client.query<{ total: number; max_connections: number; reserved: number }>(CONNECTIONS_SQL);
  const states = await client.query<{ state: string; n: number }>(STATES_SQL);
  const { total, max_connections, reserved } = head.rows[0];
  return {
    total,
    maxConnections: max_connections,
    reserved,
    byState: Object.fromEntries(states.rows.map((r) => [r.state, r.n]))
  };
}

interface SessionRow {
  pid: number;
  database: string | null;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string;
  query_ms: number;
  state_ms: number;
  xact_ms: number | null;
  wait_event: string | null;
  blocked_by: number[] | null;
  query: string | null;
}

async function readSessions(client: pg.Client): Promise<SessionFact[]> {
  const result = await client.query<SessionRow>(SESSIONS_SQL);
  return result.rows.map((r) => ({
    pid: r.pid,
    database: r.database,
    user: r.user,
    application: r.application,
    client: r.client,
    state: r.state,
    queryMs: Math.round(r.query_ms),
    stateMs: Math.round(r.state_ms),
    xactMs: r.xact_ms === null ? null : Math.round(r.xact_ms),
    waitEvent: r.wait_event,
    blockedBy: (r.blocked_by ?? []).map(Number),
    query: r.query ?? ''
  }));
}

async function readStatements(client: pg.Client, database: string): Promise<StatementsFacts> {
  const ext = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
  if (ext.rowCount === 0) {
    return {
      available: false,
      reason: `the pg_stat_statements extension is not created in database '${database}' (needs shared_preload_libraries = 'pg_stat_statements' and CREATE EXTENSION pg_stat_statements)`
    };
  }
  type Row = { query: string | null; calls: number; total_ms: number; mean_ms: number; rows: number };
  let rows: Row[];
  try {
    await client.query('SAVEPOINT statements_columns');
    rows = (await client.query<Row>(STATEMENTS_SQL('total_exec_time', 'mean_exec_time'))).rows;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT statements_columns');
    // PostgreSQL 12 and older name the columns total_time / mean_time.
    if ((error as { code?: string }).code !== '42703') {
      return { available: false, reason: `pg_stat_statements cannot be read: ${(error as Error).message}` };
    }
    rows = (await client.query<Row>(STATEMENTS_SQL('total_time', 'mean_time'))).rows;
  }
  const top: StatementFact[] = rows.map((r) => ({
    query: r.query ?? '',
    calls: r.calls,
    totalMs: r.total_ms,
    meanMs: r.mean_ms,
    rows: r.rows
  }));
  return { available: true, top };
}

async function readCache(client: pg.Client): Promise<CacheFacts> {
  const result = await client.query<{ hit: number; read: number; stats_reset: Date | null }>(CACHE_SQL);
  const row = result.rows[0] ?? { hit: 0, read: 0, stats_reset: null };
  return { blocksHit: row.hit, blocksRead: row.read, statsSince: row.stats_reset ? row.stats_reset.toISOString() : null };
}

async function readUnusedIndexes(client: pg.Client): Promise<{ indexes: UnusedIndexFact[]; statsSince: string | null }> {
  const result = await client.query<{ schema: string; table: string; index: string; size_bytes: number }>(UNUSED_INDEXES_SQL);
  const since = await client.query<{ since: Date | null }>(
    `SELECT stats_reset AS since FROM pg_stat_database WHERE datname = current_database()`
  );
  return {
    indexes: result.rows.map((r) => ({ schema: r.schema, table: r.table, index: r.index, sizeBytes: r.size_bytes })),
    statsSince: since.rows[0]?.since ? since.rows[0].since.toISOString() : null
  };
}
