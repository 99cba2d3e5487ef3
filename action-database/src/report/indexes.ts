// Index usage (the runbook's "Check index usage" query), unused indexes and duplicate indexes. The runbook's
// query names columns pg_stat_user_indexes does not have (tablename, indexname): the view calls them
// relname and indexrelname, so as written it fails; this reads the same figures under the real names.
import type { DatabaseSession } from '../../../shared/src/index.js';
import { SIZE_SQL, type SizeMode } from './tables.js';

/** One index with its usage and the parts of its definition that decide whether it duplicates another. */
export interface IndexRow {
  schema: string;
  table: string;
  index: string;
  scans: number;
  tuplesRead: number;
  tuplesFetched: number;
  sizeBytes: number;
  unique: boolean;
  primary: boolean;
  /** Backs a constraint (primary key, unique, exclusion, a foreign key's referenced key): it works unscanned. */
  constraint: boolean;
  /** Still being built or failed to build (CREATE INDEX CONCURRENTLY). */
  valid: boolean;
  /** Access method, key columns (attnums), operator classes, collations, expressions and predicate. */
  method: string;
  keys: string;
  opclasses: string;
  collations: string;
  expressions: string | null;
  predicate: string | null;
  definition: string;
}

const INDEXES_SQL = (m: SizeMode): string => `
SELECT s.schemaname AS schema, s.relname AS "table", s.indexrelname AS index,
       s.idx_scan::float8 AS scans, s.idx_tup_read::float8 AS tuples_read, s.idx_tup_fetch::float8 AS tuples_fetched,
       ${SIZE_SQL[m].heap('s.indexrelid')}::float8 AS size_bytes,
       i.indisunique AS "unique", i.indisprimary AS "primary", i.indisvalid AS valid,
       EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid) OR i.indisexclusion AS "constraint",
       am.amname AS method, i.indkey::text AS keys, i.indclass::text AS opclasses, i.indcollation::text AS collations,
       pg_get_expr(i.indexprs, i.indrelid) AS expressions, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       pg_get_indexdef(s.indexrelid) AS definition
FROM pg_stat_user_indexes s
JOIN pg_index i ON i.indexrelid = s.indexrelid
JOIN pg_class ic ON ic.oid = s.indexrelid
JOIN pg_am am ON am.oid = ic.relam
ORDER BY s.idx_scan DESC, s.schemaname, s.relname, s.indexrelname`;

interface Row {
  schema: string;
  table: string;
  index: string;
  scans: number;
  tuples_read: number;
  tuples_fetched: number;
  size_bytes: number;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  constraint: boolean;
  method: string;
  keys: string;
  opclasses: string;
  collations: string;
  expressions: string | null;
  predicate: string | null;
  definition: string;
}

/** Every user index with its usage, most scanned first (the runbook's order). */
export async function readIndexes(session: DatabaseSession, mode: SizeMode = 'exact'): Promise<IndexRow[]> {
  const result = await session.query<Row>(INDEXES_SQL(mode));
  return result.rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    index: r.index,
    scans: r.scans,
    tuplesRead: r.tuples_read,
    tuplesFetched: r.tuples_fetched,
    sizeBytes: r.size_bytes,
    unique: r.unique,
    primary: r.primary,
    constraint: r.constraint,
    valid: r.valid,
    method: r.method,
    keys: r.keys,
    opclasses: r.opclasses,
    collations: r.collations,
    expressions: r.expressions,
    predicate: r.predicate,
    definition: r.definition
  }));
}

/** Indexes never scanned since the statistics were reset that enforce nothing: candidates to drop, largest first. */
export function findUnusedIndexes(rows: readonly IndexRow[]): IndexRow[] {
  return rows.filter((r) => r.scans === 0 && !r.unique && !r.primary && !r.constraint).sort((a, b) => b.sizeBytes - a.sizeBytes || a.index.localeCompare(b.index));
}

/** A redundant index and the one that makes it so. */
export interface DuplicateIndex {
  /** The index that could go. */
  redundant: IndexRow;
  /** The index that already does its work. */
  keep: IndexRow;
  /** `identical`: same definition; `prefix`: its columns lead the other's. */
  kind: 'identical' | 'prefix';
}

/**
 * Indexes that another index on the same table already covers: the same method, predicate and
 * expressions, and either the same key columns, operator classes and collations (identical) or a leading
 * prefix of the other's (a b-tree on (a) beside one on (a, b)). An index that enforces something (unique,
 * primary key, constraint) is never the redundant one of a prefix pair, and of two identical indexes the one
 * kept is the constraint's, then the more scanned, then the older name order.
 */
export function findDuplicateIndexes(rows: readonly IndexRow[]): DuplicateIndex[] {
  const out: DuplicateIndex[] = [];
  const enforces = (r: IndexRow): boolean => r.unique || r.primary || r.constraint;
  const rank = (r: IndexRow): [number, number] => [enforces(r) ? 1 : 0, r.scans];
  const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
  const usable = rows.filter((r) => r.valid);
  const seen = new Set<string>();
  for (const a of usable) {
    for (const b of usable) {
      if (a === b || a.schema !== b.schema || a.table !== b.table) continue;
      if (a.method !== b.method || (a.predicate ?? '') !== (b.predicate ?? '') || (a.expressions ?? '') !== (b.expressions ?? '')) continue;
      const [ak, bk, ao, bo, ac, bc] = [words(a.keys), words(b.keys), words(a.opclasses), words(b.opclasses), words(a.collations), words(b.collations)];
      const samePrefix = (n: number): boolean => ak.slice(0, n).join() === bk.slice(0, n).join() && ao.slice(0, n).join() === bo.slice(0, n).join() && ac.slice(0, n).join() === bc.slice(0, n).join();
      if (ak.length === bk.length && samePrefix(ak.length)) {
        // Identical: report each pair once, keeping the better of the two.
        const pair = [a.index, b.index].sort().join('\u0000');
        if (seen.has(pair)) continue;
        seen.add(pair);
        const [ra, rb] = [rank(a), rank(b)];
        const aWins = ra[0] !== rb[0] ? ra[0] > rb[0] : ra[1] !== rb[1] ? ra[1] > rb[1] : a.index < b.index;
        out.push(aWins ? { redundant: b, keep: a, kind: 'identical' } : { redundant: a, keep: b, kind: 'identical' });
      } else if (ak.length < bk.length && a.method === 'btree' && a.expressions === null && samePrefix(ak.length) && !enforces(a)) {
        out.push({ redundant: a, keep: b, kind: 'prefix' });
      }
    }
  }
  return out.sort((x, y) => x.redundant.index.localeCompare(y.redundant.index));
}
