// Top statements from pg_stat_statements, the runbook's "Analyze query performance" query. PostgreSQL 13
// renamed total_time/mean_time to total_exec_time/mean_exec_time: the names are taken from the view's own
// columns, not guessed from the server version (the extension's version is what decides).
import { scrubSecrets, toError, type DatabaseSession } from '../../../shared/src/index.js';

/** The timing columns of the installed pg_stat_statements. */
export interface StatementColumns {
  total: 'total_exec_time' | 'total_time';
  mean: 'mean_exec_time' | 'mean_time';
}

/** One row of the top statements. */
export interface StatementRow {
  queryId: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

export type StatementsResult =
  | { available: true; columns: StatementColumns; top: StatementRow[] }
  | { available: false; reason: string; howToEnable: string };

/** What a person does to turn pg_stat_statements on, for the report. */
export const ENABLE_PG_STAT_STATEMENTS =
  "add `shared_preload_libraries = 'pg_stat_statements'` to postgresql.conf (for the compose `postgres` service: " +
  '`command: postgres -c shared_preload_libraries=pg_stat_statements`), restart PostgreSQL, then run ' +
  '`CREATE EXTENSION IF NOT EXISTS pg_stat_statements;` in the database as its owner or a superuser';

/** Picks the timing columns from the view's column names; undefined when neither naming is complete. */
export function detectStatementColumns(columns: readonly string[]): StatementColumns | undefined {
  const has = (c: string): boolean => columns.includes(c);
  if (has('total_exec_time') && has('mean_exec_time')) return { total: 'total_exec_time', mean: 'mean_exec_time' };
  if (has('total_time') && has('mean_time')) return { total: 'total_time', mean: 'mean_time' };
  return undefined;
}

const EXTENSION_SQL = `
SELECT n.nspname AS schema, array_agg(a.attname::text ORDER BY a.attnum) AS columns
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'pg_stat_statements'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE e.extname = 'pg_stat_statements'
GROUP BY n.nspname`;

/** The top statements of this database by total time (the runbook's ORDER BY total_time DESC LIMIT 10). */
export async function readTopStatements(session: DatabaseSession, limit: number): Promise<StatementsResult> {
  const ext = await session.query<{ schema: string; columns: string[] }>(EXTENSION_SQL);
  // pg_settings hides shared_preload_libraries from a role without pg_read_all_settings: then it is unknown.
  const preload = await session.query<{ libs: string }>(`SELECT setting AS libs FROM pg_settings WHERE name = 'shared_preload_libraries'`);
  const preloaded = preload.rows.length === 0 ? undefined : preload.rows[0].libs.split(',').map((s) => s.trim().replace(/^"|"$/g, '')).includes('pg_stat_statements');
  if (ext.rows.length === 0) {
    const reason =
      preloaded === true
        ? 'pg_stat_statements is loaded but the extension is not created in this database'
        : preloaded === false
          ? 'pg_stat_statements is not loaded (it is not in shared_preload_libraries) and not created in this database'
          : 'the pg_stat_statements extension is not created in this database (whether it is in shared_preload_libraries is hidden from this role)';
    return { available: false, reason, howToEnable: ENABLE_PG_STAT_STATEMENTS };
  }
  const { schema, columns } = ext.rows[0];
  const picked = detectStatementColumns(columns);
  if (!picked) return { available: false, reason: `pg_stat_statements has neither total_exec_time/mean_exec_time nor total_time/mean_time (columns: ${columns.join(', ')})`, howToEnable: ENABLE_PG_STAT_STATEMENTS };
  const view = `${session.client.escapeIdentifier(schema)}.pg_stat_statements`;
  try {
    await session.query('SAVEPOINT top_statements');
    const result = await session.query<{ queryid: string | null; query: string | null; calls: number; total_ms: number; mean_ms: number; rows: number }>(
      `SELECT queryid::text AS queryid, query, calls::float8 AS calls, ${picked.total}::float8 AS total_ms, ${picked.mean}::float8 AS mean_ms, rows::float8 AS rows
       FROM ${view}
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY ${picked.total} DESC
       LIMIT $1`,
      [limit]
    );
    await session.query('RELEASE SAVEPOINT top_statements');
    return {
      available: true,
      columns: picked,
      top: result.rows.map((r) => ({ queryId: r.queryid ?? '', query: r.query ?? '', calls: r.calls, totalMs: r.total_ms, meanMs: r.mean_ms, rows: r.rows }))
    };
  } catch (err) {
    await session.query('ROLLBACK TO SAVEPOINT top_statements').catch(() => undefined);
    // Created but not preloaded: "pg_stat_statements must be loaded via shared_preload_libraries".
    const reason = preloaded === true ? `pg_stat_statements cannot be read: ${scrubSecrets(toError(err).message)}` : `the extension is created but not loaded: ${scrubSecrets(toError(err).message)}`;
    return { available: false, reason, howToEnable: ENABLE_PG_STAT_STATEMENTS };
  }
}
