// Indexes left INVALID by a failed CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY): PostgreSQL keeps
// them, maintains them on every write, and never uses them. Found after each non-transactional migration
// and before any run, so a leftover from an earlier failure is reported too.
import type { DatabaseSession } from '../../../shared/src/index.js';

export interface InvalidIndex {
  /** Schema-qualified name, quoted as needed (`public.agents_name_idx`). */
  name: string;
  table: string;
}

/** Every INVALID index of the database's user schemas. */
export async function listInvalidIndexes(session: Pick<DatabaseSession, 'query'>): Promise<InvalidIndex[]> {
  const r = await session.query<{ name: string; tbl: string }>(
    `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS tbl
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`
  );
  return r.rows.map((row) => ({ name: row.name, table: row.tbl }));
}

/** What to do about one: drop it without blocking writes, then run the migration again. */
export function invalidIndexAdvice(index: InvalidIndex): string {
  return `index ${index.name} on ${index.table} is INVALID (a CREATE INDEX CONCURRENTLY that failed): it slows every write and is never used. Drop it with 'DROP INDEX CONCURRENTLY ${index.name};' and run the migration again.`;
}
