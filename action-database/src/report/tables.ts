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

/**
 * Size expressions. The exact ones (pg_relation_size and friends) take an ACCESS SHARE lock on each
 * relation, so a table an application holds in ACCESS EXCLUSIVE mode stops them at lock_timeout; the
 * estimates read pg_class.relpages (as of the last VACUUM or ANALYZE) and take no lock at all.
 */
export const SIZE_SQL = {
  exact: { heap: (oid: string) => `pg_relation_size(${oid})`, indexes: (oid: string) => `pg_indexes_size(${oid})`, total: (oid: string) => `pg_total_relation_size(${oid})` },
  // Aliases prefixed sz_ so they never shadow the caller's (a `c` there would turn `c.oid` into this one).
  estimate: {
    heap: (oid: string) => `((SELECT sz_c.relpages FROM pg_class sz_c WHERE sz_c.oid = ${oid})::bigint * current_setting('block_size')::bigint)`,
    indexes: (oid: string) =>
      `((SELECT coalesce(sum(sz_i.relpages), 0) FROM pg_index sz_x JOIN pg_class sz_i ON sz_i.oid = sz_x.indexrelid WHERE sz_x.indrelid = ${oid})::bigint * current_setting('block_size')::bigint)`,
    total: (oid: string) =>
      `((SELECT sz_c.relpages + coalesce((SELECT sz_t.relpages FROM pg_class sz_t WHERE sz_t.oid = sz_c.reltoastrelid), 0) + coalesce((SELECT sum(sz_i.relpages) FROM pg_index sz_x JOIN pg_class sz_i ON sz_i.oid = sz_x.indexrelid WHERE sz_x.indrelid = sz_c.oid), 0) FROM pg_class sz_c WHERE sz_c.oid = ${oid})::bigint * current_setting('block_size')::bigint)`
  }
} as const;
export type SizeMode = keyof typeof SIZE_SQL;

/**
 * Runs `read` with exact sizes; when a relation's lock is not granted within lock_timeout (55P03), again
 * with the lock-free estimates. Inside the report's transaction each try runs under a savepoint.
 */
export async function withSizes<T>(session: DatabaseSession, name: string, read: (mode: SizeMode) => Promise<T>): Promise<{ value: T; estimated: boolean }> {
  await session.query(`SAVEPOINT ${name}`);
  try {
    const value = await read('exact');
    await session.query(`RELEASE SAVEPOINT ${name}`);
    return { value, estimated: false };
  } catch (err) {
    if ((err as { code?: string }).code !== '55P03') throw err;
    await session.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return { value: await read('estimate'), estimated: true };
  }
}

const SIZES_SQL = (m: SizeMode): string => `
SELECT s.schemaname AS schema, s.relname AS "table",
       ${SIZE_SQL[m].heap('s.relid')}::float8 AS heap_bytes, ${SIZE_SQL[m].indexes('s.relid')}::float8 AS index_bytes,
       ${SIZE_SQL[m].total('s.relid')}::float8 AS total_bytes,
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
export async function readTableSizes(session: DatabaseSession, mode: SizeMode = 'exact'): Promise<TableSizeRow[]> {
  const result = await session.query<Row>(SIZES_SQL(mode));
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
