// report: the runbook's "Database Optimization" reading (query performance from pg_stat_statements, index
// usage) and the Wednesday "Check database query performance", plus unused and duplicate indexes, table
// and index sizes, a bloat estimate and the cache hit rate, compared with the run a week before. Read-only
// by construction: a read-only session and one READ ONLY transaction, rolled back.
import { markdownTable, type ActionResult, type Check, type ReportSection, type RunContext, type RunState } from '../../../shared/src/index.js';
import { openSession } from '../connect/open-session.js';
import { APPLICATION_NAMES, type DatabaseInputs } from '../inputs.js';
import { pruneSeries, remember, REPORT_SERIES, weekOverWeek, type WeekChange } from '../report/history.js';
import { findDuplicateIndexes, findUnusedIndexes, readIndexes, type DuplicateIndex, type IndexRow } from '../report/indexes.js';
import { describeDuration, formatBytes, presentQuery } from '../report/present.js';
import { readTopStatements, type StatementsResult } from '../report/statements.js';
import { estimateBloat, hitRate, isBloated, readCache, readTableSizes, withSizes, type CacheFacts, type TableSizeRow } from '../report/tables.js';

/** Check ids, named once (also the incident-issue keys). */
export const REPORT_CHECK_IDS = {
  statements: 'database:pg-stat-statements',
  cacheHit: 'database:cache-hit-rate',
  unusedIndexes: 'database:unused-indexes',
  duplicateIndexes: 'database:duplicate-indexes',
  bloat: 'database:bloat'
} as const;

/** Rows shown per table in the summary (the full index list can be long). */
export const REPORT_ROWS_MAX = 25;
/** Below this hit rate the cache warns (PgHero's 99 %), once enough blocks were asked for to judge. */
export const CACHE_HIT_WARN = { percent: 99, minBlocks: 10_000 } as const;

/** Everything one report read. */
export interface ReportFacts {
  serverVersion: string;
  statements: StatementsResult;
  indexes: IndexRow[];
  tables: TableSizeRow[];
  cache: CacheFacts;
  /** A relation was locked: sizes are pg_class estimates, not exact. */
  sizesEstimated?: boolean;
}

export async function report(inputs: DatabaseInputs, ctx: RunContext): Promise<ActionResult> {
  const conn = inputs.connection;
  const { session, route } = await ctx.log.group('Connect', async () => {
    const opened = await openSession(conn, 'read-only', APPLICATION_NAMES.report, ctx);
    ctx.log.info(`Connected to ${conn.target} (read-only, statement_timeout ${describeDuration(conn.statementTimeoutMs)}).`);
    if (opened.route) ctx.log.info(opened.route);
    return opened;
  });
  if (route) ctx.report.note(route);

  const facts = await ctx.log.group('Read statistics', async () => {
    await session.query('BEGIN READ ONLY');
    try {
      const version = await session.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
      const statements = await readTopStatements(session, inputs.topQueries);
      ctx.log.info(statements.available ? `pg_stat_statements: ${statements.top.length} statement(s) (columns ${statements.columns.total}/${statements.columns.mean}).` : `pg_stat_statements: ${statements.reason}.`);
      const indexes = await withSizes(session, 'index_sizes', (mode) => readIndexes(session, mode));
      const tables = await withSizes(session, 'table_sizes', (mode) => readTableSizes(session, mode));
      const sizesEstimated = indexes.estimated || tables.estimated;
      if (sizesEstimated) ctx.log.warn('A relation was locked past lock_timeout: sizes are pg_class estimates (as of the last VACUUM or ANALYZE).');
      const cache = await readCache(session);
      ctx.log.info(`${indexes.value.length} index(es), ${tables.value.length} table(s), database ${formatBytes(cache.databaseBytes)}.`);
      return { serverVersion: version.rows[0].v, statements, indexes: indexes.value, tables: tables.value, cache, sizesEstimated };
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
    }
  });

  const now = new Date();
  const built = buildReport(conn.target, facts, ctx.state, now);
  ctx.report.add(...built.checks);
  for (const s of built.sections) ctx.report.section(s);
  ctx.report.note(`PostgreSQL ${facts.serverVersion}; statistics since ${facts.cache.statsSince ?? 'the server started (never reset)'}.`);
  if (facts.sizesEstimated) ctx.report.note('A table was locked by another session past lock_timeout: its sizes (and the others’) are pg_class estimates as of the last VACUUM or ANALYZE.');
  recordHistory(ctx.state, conn.target, facts, now);
  return {};
}

/** Checks and summary sections of one report, with the week-over-week figures from `state` (pure). */
export function buildReport(target: string, facts: ReportFacts, state: RunState, now: Date): { checks: Check[]; sections: ReportSection[] } {
  const checks: Check[] = [];
  const sections: ReportSection[] = [];
  const base = { kind: 'database', target };
  const wow = (key: string, value: number): WeekChange | undefined => weekOverWeek(state.history[key], value, now);

  // Week over week: the database as a whole first.
  const hit = hitRate(facts.cache.blocksHit, facts.cache.blocksRead);
  const weekRows: Array<[string, string, string, string]> = [];
  const dbChange = wow(REPORT_SERIES.databaseBytes(target), facts.cache.databaseBytes);
  weekRows.push(['Database size', formatBytes(facts.cache.databaseBytes), dbChange ? formatBytes(dbChange.previous) : '–', dbChange ? signedBytes(dbChange) : 'first run: no history yet']);
  if (hit !== undefined) {
    const c = wow(REPORT_SERIES.cacheHit(target), hit);
    weekRows.push(['Cache hit rate', `${hit.toFixed(2)} %`, c ? `${c.previous.toFixed(2)} %` : '–', c ? `${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(2)} points` : '–']);
  }
  for (const t of facts.tables.slice(0, 10)) {
    const c = wow(REPORT_SERIES.tableBytes(target, `${t.schema}.${t.table}`), t.totalBytes);
    if (c) weekRows.push([`Table ${t.schema}.${t.table}`, formatBytes(t.totalBytes), formatBytes(c.previous), signedBytes(c)]);
  }
  sections.push({ title: 'Week over week', markdown: markdownTable(['Figure', { title: 'Now', align: 'right' }, { title: 'A week ago', align: 'right' }, { title: 'Change', align: 'right' }], weekRows) });

  // Top statements.
  const st = facts.statements;
  if (st.available) {
    checks.push({ ...base, id: REPORT_CHECK_IDS.statements, status: 'ok', value: st.top.length, unit: 'statements', message: `top ${st.top.length} statement(s) by total time from pg_stat_statements (columns ${st.columns.total}, ${st.columns.mean})` });
    sections.push({
      title: 'Top queries (pg_stat_statements, by total time)',
      markdown: st.top.length
        ? markdownTable(
            ['#', 'Query', { title: 'Calls', align: 'right' }, { title: 'Total', align: 'right' }, { title: 'Mean', align: 'right' }, { title: 'Rows', align: 'right' }, { title: 'Calls in the week', align: 'right' }, { title: 'Time in the week', align: 'right' }],
            st.top.map((q, i) => {
              const calls = q.queryId ? wow(REPORT_SERIES.queryCalls(target, q.queryId), q.calls) : undefined;
              const total = q.queryId ? wow(REPORT_SERIES.queryTotalMs(target, q.queryId), q.totalMs) : undefined;
              return [i + 1, presentQuery(q.query, 140), q.calls, describeDuration(q.totalMs), describeDuration(q.meanMs), q.rows, weeklyCounter(calls, (n) => String(n)), weeklyCounter(total, describeDuration)];
            })
          )
        : 'pg_stat_statements has no statements for this database yet.'
    });
  } else {
    checks.push({ ...base, id: REPORT_CHECK_IDS.statements, status: 'warn', message: `${st.reason}: no query performance figures. To enable it, ${st.howToEnable}` });
  }

  // Index usage, as the runbook's query lists it.
  sections.push({
    title: 'Index usage (pg_stat_user_indexes, most scanned first)',
    markdown: facts.indexes.length
      ? limited(
          facts.indexes,
          (rows) => markdownTable(['Schema', 'Table', 'Index', { title: 'idx_scan', align: 'right' }, { title: 'idx_tup_read', align: 'right' }, { title: 'idx_tup_fetch', align: 'right' }, { title: 'Size', align: 'right' }], rows.map((r) => [r.schema, r.table, r.index, r.scans, r.tuplesRead, r.tuplesFetched, formatBytes(r.sizeBytes)]))
        )
      : 'No user indexes.'
  });

  const unused = findUnusedIndexes(facts.indexes);
  const unusedBytes = unused.reduce((s, r) => s + r.sizeBytes, 0);
  checks.push({
    ...base,
    id: REPORT_CHECK_IDS.unusedIndexes,
    status: unused.length ? 'warn' : 'ok',
    value: unused.length,
    unit: 'indexes',
    message: unused.length ? `${unused.length} index(es) never scanned since the statistics were reset (${formatBytes(unusedBytes)}; unique, primary-key and constraint indexes are not counted)` : 'every index that enforces nothing has been scanned'
  });
  if (unused.length) sections.push({ title: 'Unused indexes', markdown: limited(unused, (rows) => markdownTable(['Index', 'Table', { title: 'Size', align: 'right' }, 'Definition'], rows.map((r) => [`${r.schema}.${r.index}`, r.table, formatBytes(r.sizeBytes), r.definition]))) });

  const duplicates = findDuplicateIndexes(facts.indexes);
  checks.push({
    ...base,
    id: REPORT_CHECK_IDS.duplicateIndexes,
    status: duplicates.length ? 'warn' : 'ok',
    value: duplicates.length,
    unit: 'indexes',
    message: duplicates.length ? `${duplicates.length} index(es) duplicate another: ${duplicates.slice(0, 5).map(describeDuplicate).join('; ')}` : 'no index duplicates another'
  });
  if (duplicates.length) sections.push({ title: 'Duplicate indexes', markdown: markdownTable(['Could go', 'Covered by', 'Kind', { title: 'Size', align: 'right' }], duplicates.map((d) => [d.redundant.definition, d.keep.definition, d.kind === 'identical' ? 'identical' : 'leading columns of the other', formatBytes(d.redundant.sizeBytes)])) });

  // Sizes and bloat.
  const bloated = facts.tables.filter(isBloated);
  checks.push({
    ...base,
    id: REPORT_CHECK_IDS.bloat,
    status: bloated.length ? 'warn' : 'ok',
    value: bloated.length,
    unit: 'tables',
    message: bloated.length
      ? `${bloated.length} table(s) at least 20 % dead rows and 10 MB: ${bloated.slice(0, 5).map((t) => `${t.schema}.${t.table} (~${formatBytes(estimateBloat(t).reclaimableBytes)})`).join(', ')}; run vacuum-analyze`
      : 'no table of 10 MB or more has 20 % dead rows or more (estimate from the statistics’ dead-row counts)'
  });
  sections.push({
    title: 'Table and index sizes (bloat estimated from dead-row counts)',
    markdown: facts.tables.length
      ? limited(facts.tables, (rows) =>
          markdownTable(
            ['Table', { title: 'Table', align: 'right' }, { title: 'Indexes', align: 'right' }, { title: 'Total', align: 'right' }, { title: 'Live rows', align: 'right' }, { title: 'Dead rows', align: 'right' }, { title: 'Est. bloat', align: 'right' }, 'Last vacuum', 'Last analyze'],
            rows.map((t) => {
              const b = estimateBloat(t);
              return [`${t.schema}.${t.table}`, formatBytes(t.heapBytes), formatBytes(t.indexBytes), formatBytes(t.totalBytes), t.liveRows, t.deadRows, `${(b.deadShare * 100).toFixed(0)} % (~${formatBytes(b.reclaimableBytes)})`, t.lastVacuum ?? 'never', t.lastAnalyze ?? 'never'];
            })
          )
        )
      : 'No user tables.'
  });

  // Cache.
  const blocks = facts.cache.blocksHit + facts.cache.blocksRead;
  const indexHit = hitRate(facts.cache.indexHit, facts.cache.indexRead);
  const judged = hit !== undefined && blocks >= CACHE_HIT_WARN.minBlocks;
  checks.push({
    ...base,
    id: REPORT_CHECK_IDS.cacheHit,
    status: judged && (hit as number) < CACHE_HIT_WARN.percent ? 'warn' : 'ok',
    ...(hit !== undefined ? { value: Number(hit.toFixed(2)), unit: '%' } : {}),
    threshold: `>= ${CACHE_HIT_WARN.percent} %`,
    message:
      hit === undefined
        ? 'no block has been read yet: no cache hit rate'
        : `cache hit rate ${hit.toFixed(2)} % (tables and indexes${indexHit !== undefined ? `; indexes alone ${indexHit.toFixed(2)} %` : ''})${judged ? '' : `, over only ${blocks} blocks: not judged`}`
  });
  return { checks, sections };
}

/** Stores this run's figures for next week's comparison. */
export function recordHistory(state: RunState, target: string, facts: ReportFacts, now: Date): void {
  pruneSeries(state, target, now);
  remember(state, REPORT_SERIES.databaseBytes(target), facts.cache.databaseBytes, now);
  const hit = hitRate(facts.cache.blocksHit, facts.cache.blocksRead);
  if (hit !== undefined) remember(state, REPORT_SERIES.cacheHit(target), hit, now);
  for (const t of facts.tables.slice(0, 10)) remember(state, REPORT_SERIES.tableBytes(target, `${t.schema}.${t.table}`), t.totalBytes, now);
  if (facts.statements.available) {
    for (const q of facts.statements.top) {
      if (!q.queryId) continue;
      remember(state, REPORT_SERIES.queryCalls(target, q.queryId), q.calls, now);
      remember(state, REPORT_SERIES.queryTotalMs(target, q.queryId), q.totalMs, now);
    }
  }
}

/** A cumulative counter's growth over the week; a drop means the statistics were reset in between. */
function weeklyCounter(change: WeekChange | undefined, show: (n: number) => string): string {
  if (!change) return '–';
  return change.delta < 0 ? 'reset since' : show(change.delta);
}

function signedBytes(c: WeekChange): string {
  const pct = c.deltaPercent !== undefined ? ` (${c.deltaPercent >= 0 ? '+' : ''}${c.deltaPercent.toFixed(1)} %)` : '';
  return `${c.delta >= 0 ? '+' : '−'}${formatBytes(Math.abs(c.delta))}${pct}`;
}

function describeDuplicate(d: DuplicateIndex): string {
  return `${d.redundant.schema}.${d.redundant.index} ${d.kind === 'identical' ? 'is identical to' : 'is a leading prefix of'} ${d.keep.schema}.${d.keep.index}`;
}

function limited<T>(rows: readonly T[], render: (rows: readonly T[]) => string): string {
  const table = render(rows.slice(0, REPORT_ROWS_MAX));
  return rows.length > REPORT_ROWS_MAX ? `${table}\n\n…and ${rows.length - REPORT_ROWS_MAX} more.` : table;
}
