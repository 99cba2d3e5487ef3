// Reads the bookkeeping table schema_migrations, read-only. An absent table means nothing has been applied.
import pg from 'pg';

/** The table the runbook's migration_manager and the coming engine keep. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** DDL of the table the engine will create; status only reads it. */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE ${MIGRATIONS_TABLE} (
  version text PRIMARY KEY,
  name text,
  checksum text,
  applied_at timestamptz,
  duration_ms int
)`;

/** One row of schema_migrations. Columns an older table lacks come back as null. */
export interface AppliedMigration {
  version: string;
  name: string | null;
  checksum: string | null;
  appliedAt: string | null;
  durationMs: number | null;
}

/** What the database says about its migrations. */
export interface AppliedState {
  /** False when schema_migrations does not exist (a fresh database). */
  tableExists: boolean;
  rows: AppliedMigration[];
  /** Columns of the expected shape that the table lacks (a table made by an older tool). */
  missingColumns: string[];
}

const OPTIONAL_COLUMNS = ['name', 'checksum', 'applied_at', 'duration_ms'] as const;

/**
 * Connects within `timeoutMs`, opens a READ ONLY transaction with a statement timeout, and reads every
 * row of schema_migrations (found through the search_path). Adapts to a table with only some of the
 * columns, as the runbook's `SELECT version FROM schema_migrations` implies older tables have.
 */
export async function readApplied(clientConfig: pg.ClientConfig, timeoutMs: number): Promise<AppliedState> {
  const client = new pg.Client({
    ...clientConfig,
    application_name: clientConfig.application_name ?? 'a2a-ops migrate',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs + 1000
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    const found = await client.query<{ oid: string | null }>(`SELECT to_regclass($1)::oid::text AS oid`, [MIGRATIONS_TABLE]);
    const oid = found.rows[0]?.oid;
    if (!oid) return { tableExists: false, rows: [], missingColumns: [] };
    const cols = await client.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`,
      [oid]
    );
    const have = new Set(cols.rows.map((r) => r.attname));
    if (!have.has('version')) {
      throw new Error(`${MIGRATIONS_TABLE} exists but has no 'version' column: it was not made by a migration tool this action understands`);
    }
    const missingColumns = OPTIONAL_COLUMNS.filter((c) => !have.has(c));
    const pick = (c: (typeof OPTIONAL_COLUMNS)[number], cast: string): string => (have.has(c) ? `${c}${cast}` : `NULL`) + ` AS ${c}`;
    const result = await client.query<{ version: string; name: string | null; checksum: string | null; applied_at: Date | null; duration_ms: number | null }>(
      `SELECT version::text AS version, ${pick('name', '::text')}, ${pick('checksum', '::text')}, ${pick('applied_at', '::timestamptz')}, ${pick('duration_ms', '::int')} FROM ${MIGRATIONS_TABLE}`
    );
    return {
      tableExists: true,
      missingColumns: [...missingColumns],
      rows: result.rows.map((r) => ({
        version: r.version,
        name: r.name,
        checksum: r.checksum,
        appliedAt: r.applied_at ? r.applied_at.toISOString() : null,
        durationMs: r.duration_ms
      }))
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
