// The bookkeeping table schema_migrations: read it (status, plan, verify: read-only), create it and
// record a migration in it (apply: inside the migration's own transaction, so both land or neither).
import { openDatabaseSession, type DatabaseSession, type DatabaseTarget } from '../../../shared/src/index.js';

/** `application_name` of every session of this action, so a DBA sees who is connected. */
export const MIGRATE_APPLICATION_NAME = 'a2a-ops migrate';

/** The table the runbook's verification query reads: `SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1`. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** DDL of the table apply creates when it is absent. */
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
  /** True when `version` is a text type, so the runbook's ORDER BY version sorts as text (see runbookOrderProblem). */
  versionIsText: boolean;
}

type Queryable = Pick<DatabaseSession, 'query'>;

const OPTIONAL_COLUMNS = ['name', 'checksum', 'applied_at', 'duration_ms'] as const;
const COLUMN_TYPES: Record<(typeof OPTIONAL_COLUMNS)[number], string> = { name: 'text', checksum: 'text', applied_at: 'timestamptz', duration_ms: 'int' };

/**
 * Reads every row of schema_migrations (found through the search_path) on an open session. Adapts to a
 * table with only some of the columns, as the runbook's `SELECT version FROM schema_migrations` implies
 * older tables have. The caller chooses the transaction (READ ONLY for status).
 */
export async function readAppliedOn(client: Queryable): Promise<AppliedState> {
  const found = await client.query<{ oid: string | null }>(`SELECT to_regclass($1)::oid::text AS oid`, [MIGRATIONS_TABLE]);
  const oid = found.rows[0]?.oid;
  if (!oid) return { tableExists: false, rows: [], missingColumns: [], versionIsText: true };
  const cols = await client.query<{ attname: string; type: string }>(
    `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`,
    [oid]
  );
  const have = new Map(cols.rows.map((r) => [r.attname, r.type]));
  const versionType = have.get('version');
  if (!versionType) {
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
    versionIsText: !/^(smallint|integer|bigint|numeric)/.test(versionType),
    rows: result.rows.map((r) => ({
      version: r.version,
      name: r.name,
      checksum: r.checksum,
      appliedAt: r.applied_at ? r.applied_at.toISOString() : null,
      durationMs: r.duration_ms
    }))
  };
}

/**
 * Opens a read-only session (the core's openDatabaseSession: connect, statement and lock timeouts all
 * `timeoutMs`) and reads schema_migrations in one READ ONLY transaction. A failed connection throws
 * DatabaseConnectError with a readable, password-free message.
 */
export async function readApplied(database: DatabaseTarget, timeoutMs: number): Promise<AppliedState> {
  const session = await openDatabaseSession(database, {
    mode: 'read-only',
    applicationName: MIGRATE_APPLICATION_NAME,
    connectTimeoutMs: timeoutMs,
    statementTimeoutMs: timeoutMs,
    lockTimeoutMs: timeoutMs
  });
  try {
    await session.query('BEGIN READ ONLY');
    return await readAppliedOn(session);
  } finally {
    await session.close();
  }
}

/**
 * Creates schema_migrations when absent, and adds the columns an older tool's table lacks (nullable,
 * no default: a catalogue-only change). Runs in its own short transaction under the session's lock_timeout.
 */
export async function ensureMigrationsTable(client: Queryable, state: AppliedState): Promise<string[]> {
  if (!state.tableExists) {
    await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE_DDL.slice('CREATE TABLE '.length)}`);
    return ['created'];
  }
  for (const c of state.missingColumns) await client.query(`ALTER TABLE ${MIGRATIONS_TABLE} ADD COLUMN IF NOT EXISTS ${c} ${COLUMN_TYPES[c as keyof typeof COLUMN_TYPES]}`);
  return state.missingColumns.map((c) => `added column ${c}`);
}

/** Records one applied migration; inside the migration's transaction when it has one. */
export async function recordMigration(client: Queryable, row: { version: string; name: string; checksum: string; durationMs: number }): Promise<void> {
  await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum, applied_at, duration_ms) VALUES ($1, $2, $3, now(), $4)`, [
    row.version,
    row.name,
    row.checksum,
    Math.round(row.durationMs)
  ]);
}

/**
 * The INSERT of a migration's row with literals (quoted by the caller's escapeLiteral), for sending in the
 * same query string as the migration: duration_ms is the server's time since that query string started.
 */
export function recordMigrationSql(version: string, name: string, checksum: string): string {
  return `INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum, applied_at, duration_ms) VALUES (${version}, ${name}, ${checksum}, now(), (extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::int)`;
}

/** Re-records the checksum of an applied migration whose edit `allow-changed` accepted. */
export async function rerecordChecksum(client: Queryable, version: string, checksum: string): Promise<void> {
  await client.query(`UPDATE ${MIGRATIONS_TABLE} SET checksum = $2 WHERE version::text = $1`, [version, checksum]);
}
