// Reads the bookkeeping table schema_migrations, read-only. An absent table means nothing has been applied.
import { openDatabaseSession, type DatabaseTarget } from '../../shared/src/index.js';

/** `application_name` of the status session, so a DBA sees who is reading. */
export const MIGRATE_APPLICATION_NAME = 'a2a-ops migrate';

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
 * Opens a read-only session (the core's openDatabaseSession: connect, statement and lock timeouts all
 * `timeoutMs`) and reads every row of schema_migrations (found through the search_path) in one READ
 * ONLY transaction. Adapts to a table with only some of the columns, as the runbook's `SELECT version
 * FROM schema_migrations` implies older tables have. A failed connection throws DatabaseConnectError
 * with a readable, password-free message.
 */
export async function readApplied(database: DatabaseTarget, timeoutMs: number): Promise<AppliedState> {
  const session = await openDatabaseSession(database, {
    mode: 'read-only',
    applicationName: MIGRATE_APPLICATION_NAME,
    connectTimeoutMs: timeoutMs,
    statementTimeoutMs: timeoutMs,
    lockTimeoutMs: timeoutMs
  });
  const client = session.client;
  try {
    await client.query('BEGIN READ ONLY');
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
    await session.close();
  }
}
