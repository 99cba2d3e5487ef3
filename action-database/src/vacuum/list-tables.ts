// The tables VACUUM ANALYZE goes through: every ordinary table and materialized view outside the system
// schemas (or the ones `tables` names), largest first, with what the statistics say about dead rows.
// Sizes are pg_class estimates: listing must take no lock, or a table an application holds would stop it.
import type { DatabaseSession } from '../../../shared/src/index.js';
import { SIZE_SQL } from '../report/tables.js';

export interface TableFact {
  schema: string;
  table: string;
  /** Heap, TOAST and indexes, from pg_class.relpages (as of the last VACUUM or ANALYZE). */
  totalBytes: number;
  deadRows: number;
  liveRows: number;
  /** The role may VACUUM it (owner, or superuser / pg_maintain-like rights). */
  owned: boolean;
}

const TABLES_SQL = `
SELECT n.nspname AS schema, c.relname AS "table", ${SIZE_SQL.estimate.total('c.oid')}::float8 AS total_bytes,
       coalesce(s.n_dead_tup, 0)::float8 AS dead_rows, coalesce(s.n_live_tup, 0)::float8 AS live_rows,
       pg_has_role(c.relowner, 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS owned
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY total_bytes DESC, n.nspname, c.relname`;

interface Row {
  schema: string;
  table: string;
  total_bytes: number;
  dead_rows: number;
  live_rows: number;
  owned: boolean;
}

/** Every table of the database, largest first. */
export async function listTables(session: DatabaseSession): Promise<TableFact[]> {
  const result = await session.query<Row>(TABLES_SQL);
  return result.rows.map((r) => ({ schema: r.schema, table: r.table, totalBytes: r.total_bytes, deadRows: r.dead_rows, liveRows: r.live_rows, owned: r.owned }));
}

/** The requested tables in the database's order, and the names that matched none. */
export function pickTables(all: readonly TableFact[], wanted: ReadonlyArray<{ schema: string; table: string }>): { tables: TableFact[]; missing: string[] } {
  if (wanted.length === 0) return { tables: [...all], missing: [] };
  const key = (s: string, t: string): string => `${s}.${t}`;
  const want = new Set(wanted.map((w) => key(w.schema, w.table)));
  const tables = all.filter((t) => want.has(key(t.schema, t.table)));
  const found = new Set(tables.map((t) => key(t.schema, t.table)));
  return { tables, missing: [...want].filter((w) => !found.has(w)) };
}
