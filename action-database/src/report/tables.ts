// Table and index sizes, the bloat estimate and the cache hit rates.
//
// Bloat method: the statistics' dead-row share. pg_stat_user_tables counts live and dead rows
// (n_live_tup, n_dead_tup); the estimate is heap size × dead / (live + dead): the space VACUUM can make
// reusable. It reads no table pages (pgstattuple would be exact, but scans every page and needs the
// extension) and it does not see free space VACUUM already made but did not give back to the OS.
import type { DatabaseSession } from '../../../shared/src/index.js';

export interface TableSizeRow {
  schema: string;
  table: string;
  heapBytes: number;
  indexBytes: number;
  totalBytes: number;
  liveRows: number;
  deadRows: number;
  lastVacuum: string | null;
  lastAnalyze: string | null;
}

const SIZES_SQL = `
SELECT s.schemaname AS schema, s.relname AS "table",
       pg_relation_size(s.relid)::float8 AS heap_bytes, pg_indexes_size(s.relid)::float8 AS index_bytes,
       pg_total_relation_size(s.relid)::float8 AS total_bytes,
       s.n_live_tup::float8 AS live_rows, s.n_dead_tup::float8 AS dead_rows,
       greatest(s.last_vacuum, s.last_autovacuum) AS last_vacuum, greatest(s.last_analyze, s.last_autoanalyze) AS last_analyze
FROM pg_stat_user_tables s
ORDER BY total_bytes DESC, s.schemaname, s.relname`;

interface Row {
  schema: string;
  table: string;
  heap_bytes: number;
  index_bytes: number;
  total_bytes: number;
  live_rows: number;
  dead_rows: number;
  last_vacuum: Date | null;
  last_analyze: Date | null;
}

/** Every user table, largest first. */
export async function readTableSizes(session: DatabaseSession): Promise<TableSizeRow[]> {
  const result = await session.query<Row>(SIZES_SQL);
  return result.rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    heapBytes: r.heap_bytes,
    indexBytes: r.index_bytes,
    totalBytes: r.total_bytes,
    liveRows: r.live_rows,
    deadRows: r.dead_rows,
    lastVacuum: r.last_vacuum ? r.last_vacuum.toISOString() : null,
    lastAnalyze: r.last_analyze ? r.last_analyze.toISOString() : null
  }));
}

/** The bloat estimate of one table (see the file header for the method). */
export interface BloatEstimate {
  deadShare: number;
  reclaimableBytes: number;
}

export function estimateBloat(row: Pick<TableSizeRow, 'heapBytes' | 'liveRows' | 'deadRows'>): BloatEstimate {
  const rows = row.liveRows + row.deadRows;
  const deadShare = rows > 0 ? row.deadRows / rows : 0;
  return { deadShare, reclaimableBytes: Math.round(row.heapBytes * deadShare) };
}

/** When a table's bloat is worth a warning: a fifth dead, on a table big enough to matter (PgHero-like). */
export const BLOAT_WARN = { deadShare: 0.2, minHeapBytes: 10 * 1024 * 1024 } as const;

export function isBloated(row: Pick<TableSizeRow, 'heapBytes' | 'liveRows' | 'deadRows'>): boolean {
  return row.heapBytes >= BLOAT_WARN.minHeapBytes && estimateBloat(row).deadShare >= BLOAT_WARN.deadShare;
}

export interface CacheFacts {
  /** Heap and index blocks of this database found in shared buffers, and read from disk (pg_stat_database). */
  blocksHit: number;
  blocksRead: number;
  /** Index blocks only (pg_statio_user_indexes). */
  indexHit: number;
  indexRead: number;
  databaseBytes: number;
  statsSince: string | null;
}

/** The cache figures of the database. */
export async function readCache(session: DatabaseSession): Promise<CacheFacts> {
  const r = await session.query<{ hit: number; read: number; ihit: number; iread: number; size: number; since: Date | null }>(`
SELECT coalesce(d.blks_hit, 0)::float8 AS hit, coalesce(d.blks_read, 0)::float8 AS read,
       (SELECT coalesce(sum(idx_blks_hit), 0) FROM pg_statio_user_indexes)::float8 AS ihit,
       (SELECT coalesce(sum(idx_blks_read), 0) FROM pg_statio_user_indexes)::float8 AS iread,
       pg_database_size(current_database())::float8 AS size, d.stats_reset AS since
FROM pg_stat_database d WHERE d.datname = current_database()`);
  const row = r.rows[0];
  return { blocksHit: row.hit, blocksRead: row.read, indexHit: row.ihit, indexRead: row.iread, databaseBytes: row.size, statsSince: row.since ? row.since.toISOString() : null };
}

/** Hit rate in percent; undefined before any block was asked for. */
export function hitRate(hit: number, read: number): number | undefined {
  return hit + read > 0 ? (hit / (hit + read)) * 100 : undefined;
}
