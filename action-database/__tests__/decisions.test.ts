// The action's pure decisions, table by table: pg_stat_statements column naming, unused and duplicate
// indexes, the bloat estimate, week-over-week deltas, backups and VACUUMs that stop a vacuum run, table
// names, and the terminate run's verdict.
import { describe, expect, it } from '@jest/globals';
import { emptyState, type ActivityRow } from '../../shared/src/index.js';
import { parseTableName } from '../src/inputs.js';
import { buildReport, recordHistory, type ReportFacts } from '../src/operations/report.js';
import { summaryCheck } from '../src/operations/terminate-long-queries.js';
import { pruneSeries, REPORT_SERIES, weekOverWeek } from '../src/report/history.js';
import { findDuplicateIndexes, findUnusedIndexes, type IndexRow } from '../src/report/indexes.js';
import { detectStatementColumns } from '../src/report/statements.js';
import { estimateBloat, hitRate, isBloated } from '../src/report/tables.js';
import type { TargetResult } from '../src/terminate/signal-targets.js';
import { findBlockingActivity } from '../src/vacuum/blocking-activity.js';
import { activityRow as activity, indexRow as index } from '../../test-support/sample-rows.js';

describe('detectStatementColumns', () => {
  it.each<[string, string[], ReturnType<typeof detectStatementColumns>]>([
    ['PostgreSQL 13+ (total_exec_time, mean_exec_time)', ['userid', 'queryid', 'query', 'calls', 'total_exec_time', 'mean_exec_time', 'rows', 'total_plan_time'], { total: 'total_exec_time', mean: 'mean_exec_time' }],
    ['PostgreSQL 12 and older (total_time, mean_time), as the runbook writes it', ['userid', 'queryid', 'query', 'calls', 'total_time', 'mean_time', 'rows'], { total: 'total_time', mean: 'mean_time' }],
    ['both namings present: the newer wins', ['total_time', 'mean_time', 'total_exec_time', 'mean_exec_time'], { total: 'total_exec_time', mean: 'mean_exec_time' }],
    ['half of the new naming falls back to a complete old one', ['total_exec_time', 'total_time', 'mean_time'], { total: 'total_time', mean: 'mean_time' }],
    ['neither naming complete', ['total_exec_time', 'mean_time'], undefined],
    ['no columns', [], undefined]
  ])('%s', (_name, columns, expected) => {
    expect(detectStatementColumns(columns)).toEqual(expected);
  });
});

describe('findUnusedIndexes', () => {
  it.each<[string, Partial<IndexRow>, boolean]>([
    ['a never-scanned plain index', { scans: 0 }, true],
    ['a scanned one', { scans: 1 }, false],
    ['a never-scanned unique index (it enforces uniqueness)', { scans: 0, unique: true }, false],
    ['a never-scanned primary key', { scans: 0, primary: true, unique: true }, false],
    ['a never-scanned index behind a constraint', { scans: 0, constraint: true }, false]
  ])('%s: unused = %s', (_name, over, unused) => {
    expect(findUnusedIndexes([index(over)]).length).toBe(unused ? 1 : 0);
  });

  it('lists the largest first', () => {
    const found = findUnusedIndexes([index({ index: 'small', scans: 0, sizeBytes: 1 }), index({ index: 'big', scans: 0, sizeBytes: 9 })]);
    expect(found.map((i) => i.index)).toEqual(['big', 'small']);
  });
});

describe('findDuplicateIndexes', () => {
  const pairs: Array<[string, Partial<IndexRow>, Partial<IndexRow>, string | undefined]> = [
    ['identical definitions: the less scanned goes', { index: 'a', scans: 5 }, { index: 'b', scans: 50 }, 'a identical to b'],
    ['identical, the constraint’s index is kept even if scanned less', { index: 'pkey', primary: true, unique: true, constraint: true, scans: 0 }, { index: 'copy', scans: 99 }, 'copy identical to pkey'],
    ['a leading prefix of a wider b-tree', { index: 'one', keys: '2' }, { index: 'two', keys: '2 3', opclasses: '1978 1978', collations: '0 0' }, 'one prefix of two'],
    ['a unique index is never the redundant prefix', { index: 'uniq', keys: '2', unique: true }, { index: 'two', keys: '2 3', opclasses: '1978 1978', collations: '0 0' }, undefined],
    ['the same columns in another order are not duplicates', { index: 'ab', keys: '2 3', opclasses: '1978 1978', collations: '0 0' }, { index: 'ba', keys: '3 2', opclasses: '1978 1978', collations: '0 0' }, undefined],
    ['a different operator class is not a duplicate', { index: 'a', opclasses: '1978' }, { index: 'b', opclasses: '3128' }, undefined],
    ['a different predicate is not a duplicate', { index: 'a', predicate: '(x > 0)' }, { index: 'b' }, undefined],
    ['different expressions are not duplicates', { index: 'a', keys: '0', expressions: 'lower(name)' }, { index: 'b', keys: '0', expressions: 'upper(name)' }, undefined],
    ['another access method is not a duplicate', { index: 'a', method: 'hash' }, { index: 'b' }, undefined],
    ['another table is not a duplicate', { index: 'a', table: 'agents' }, { index: 'b' }, undefined],
    ['an invalid index (a failed concurrent build) is left to its own report', { index: 'a', valid: false }, { index: 'b' }, undefined],
    ['a prefix of an expression index is not a duplicate', { index: 'a', keys: '0', expressions: 'lower(name)' }, { index: 'b', keys: '0 3', expressions: 'lower(name)', opclasses: '1978 1978', collations: '0 0' }, undefined]
  ];
  it.each(pairs)('%s', (_name, a, b, expected) => {
    const found = findDuplicateIndexes([index(a), index(b)]);
    const said = found.map((d) => `${d.redundant.index} ${d.kind === 'identical' ? 'identical to' : 'prefix of'} ${d.keep.index}`);
    expect(said).toEqual(expected ? [expected] : []);
  });
});

describe('bloat estimate (dead-row share × heap size)', () => {
  it.each<[number, number, number, number, boolean]>([
    // heap bytes, live, dead → reclaimable bytes, warned
    [100 * 1024 * 1024, 800, 200, 20 * 1024 * 1024, true],
    [100 * 1024 * 1024, 810, 190, 19 * 1024 * 1024, false],
    [5 * 1024 * 1024, 0, 1000, 5 * 1024 * 1024, false],
    [10 * 1024 * 1024, 80, 20, 2 * 1024 * 1024, true],
    [0, 0, 0, 0, false]
  ])('heap %i B, %i live, %i dead → ~%i B reclaimable, warned %s', (heapBytes, liveRows, deadRows, bytes, warned) => {
    expect(estimateBloat({ heapBytes, liveRows, deadRows }).reclaimableBytes).toBe(Math.round(bytes));
    expect(isBloated({ heapBytes, liveRows, deadRows })).toBe(warned);
  });

  it('has no hit rate before any block was asked for', () => {
    expect(hitRate(0, 0)).toBeUndefined();
    expect(hitRate(99, 1)).toBe(99);
  });
});

describe('weekOverWeek', () => {
  const now = new Date('2026-12-08T06:00:00Z');
  const at = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
  it.each<[string, Array<[number, number]>, number | undefined]>([
    ['a sample exactly a week ago', [[7, 100]], 100],
    ['the one nearest to a week ago wins', [[8.5, 80], [6.8, 90], [1, 120]], 90],
    ['a day late is still last week', [[8, 70]], 70],
    ['past the two-day window there is nothing to compare', [[9.5, 60]], undefined],
    ['only yesterday’s run: nothing a week old', [[1, 60]], undefined],
    ['no history (the first run)', [], undefined]
  ])('%s', (_name, samples, previous) => {
    const change = weekOverWeek(samples.map(([d, v]) => ({ t: at(d), v })), 150, now);
    expect(change?.previous).toBe(previous);
    if (previous !== undefined) {
      expect(change?.delta).toBe(150 - previous);
      expect(change?.deltaPercent).toBeCloseTo(((150 - previous) / previous) * 100);
    }
  });

  it('gives no percentage against zero', () => {
    expect(weekOverWeek([{ t: at(7), v: 0 }], 5, now)).toMatchObject({ delta: 5, deltaPercent: undefined });
  });

  it('drops a table’s series once it has not been written for five weeks, and only that target’s', () => {
    const state = emptyState();
    state.history[REPORT_SERIES.tableBytes('t1', 'public.gone')] = [{ t: at(36), v: 1 }];
    state.history[REPORT_SERIES.tableBytes('t1', 'public.kept')] = [{ t: at(7), v: 1 }];
    state.history[REPORT_SERIES.tableBytes('t2', 'public.gone')] = [{ t: at(36), v: 1 }];
    pruneSeries(state, 't1', now);
    expect(Object.keys(state.history).sort()).toEqual([REPORT_SERIES.tableBytes('t1', 'public.kept'), REPORT_SERIES.tableBytes('t2', 'public.gone')].sort());
  });
});

describe('the report’s week-over-week table', () => {
  const facts = (size: number, calls: number): ReportFacts => ({
    serverVersion: '15.18',
    statements: { available: true, columns: { total: 'total_exec_time', mean: 'mean_exec_time' }, top: [{ queryId: '42', query: 'SELECT 1', calls, totalMs: calls * 2, meanMs: 2, rows: calls }] },
    indexes: [],
    tables: [{ schema: 'public', table: 'patterns', heapBytes: size, indexBytes: 0, totalBytes: size, liveRows: 10, deadRows: 0, lastVacuum: null, lastAnalyze: null }],
    cache: { blocksHit: 990, blocksRead: 10, indexHit: 0, indexRead: 0, databaseBytes: size * 2, statsSince: null }
  });

  it('says "first run" without history, and shows the week’s growth and the calls in the week a week later', () => {
    const state = emptyState();
    const weekAgo = new Date('2026-12-01T06:00:00Z');
    const first = buildReport('db', facts(1024 * 1024, 100), state, weekAgo);
    expect(first.sections.find((s) => s.title === 'Week over week')?.markdown).toContain('first run: no history yet');
    recordHistory(state, 'db', facts(1024 * 1024, 100), weekAgo);

    const later = buildReport('db', facts(3 * 1024 * 1024, 350), state, new Date('2026-12-08T06:00:00Z'));
    const week = later.sections.find((s) => s.title === 'Week over week')?.markdown ?? '';
    expect(week).toContain('| Table public.patterns | 3.0 MB | 1.0 MB | +2.0 MB (+200.0 %) |');
    expect(week).toContain('| Database size | 6.0 MB | 2.0 MB | +4.0 MB (+200.0 %) |');
    const top = later.sections.find((s) => s.title.startsWith('Top queries'))?.markdown ?? '';
    // 350 calls now, 100 a week ago: 250 in the week; total time 700 ms vs 200 ms.
    expect(top).toMatch(/\| 1 \| SELECT 1 \| 350 \| 700 ms \| 2 ms \| 350 \| 250 \| 500 ms \|/);
  });

  it('says "reset since" when a counter went down (pg_stat_statements_reset in between)', () => {
    const state = emptyState();
    recordHistory(state, 'db', facts(1024, 1000), new Date('2026-12-01T06:00:00Z'));
    const later = buildReport('db', facts(1024, 10), state, new Date('2026-12-08T06:00:00Z'));
    expect(later.sections.find((s) => s.title.startsWith('Top queries'))?.markdown).toContain('reset since');
  });

  it('warns with how to enable pg_stat_statements when it is not loaded', () => {
    const f = facts(1024, 1);
    f.statements = { available: false, reason: 'pg_stat_statements is not loaded', howToEnable: 'add shared_preload_libraries' };
    const check = buildReport('db', f, emptyState(), new Date()).checks.find((c) => c.id === 'database:pg-stat-statements');
    expect(check).toMatchObject({ status: 'warn' });
    expect(check?.message).toContain('To enable it, add shared_preload_libraries');
  });
});

describe('findBlockingActivity', () => {
  it.each<[string, Partial<ActivityRow>, 'backup' | 'vacuum' | undefined]>([
    ['pg_dump by its own application_name', { applicationName: 'pg_dump', query: 'COPY public.patterns TO stdout;' }, 'backup'],
    ['pg_dump between two tables (idle in its transaction)', { applicationName: 'pg_dump', state: 'idle in transaction' }, 'backup'],
    ['pg_dumpall', { applicationName: 'pg_dumpall' }, 'backup'],
    ['the backup action’s sessions (PGAPPNAME a2a-ops backup)', { applicationName: 'a2a-ops backup' }, 'backup'],
    ['pg_basebackup’s walsender', { applicationName: 'pg_basebackup', backendType: 'walsender' }, 'backup'],
    ['another manual VACUUM', { query: 'VACUUM (ANALYZE) public.patterns' }, 'vacuum'],
    ['a lower-case vacuum after a comment', { query: '/* nightly */ vacuum analyze' }, 'vacuum'],
    ['vacuumdb', { applicationName: 'vacuumdb', query: 'SELECT 1' }, 'vacuum'],
    ['a VACUUM that already finished (idle) does not count', { query: 'VACUUM', state: 'idle' }, undefined],
    ['an autovacuum worker does not count', { backendType: 'autovacuum worker', query: 'autovacuum: VACUUM public.patterns' }, undefined],
    ['its own session does not count', { own: true, query: 'VACUUM (ANALYZE) public.patterns' }, undefined],
    ['a query mentioning vacuum is not one', { query: "SELECT 'vacuum' AS word" }, undefined],
    ['an ordinary application session', {}, undefined]
  ])('%s', (_name, over, kind) => {
    expect(findBlockingActivity([activity(over)])[0]?.kind).toBe(kind);
  });
});

describe('parseTableName', () => {
  it.each([
    ['patterns', { schema: 'public', table: 'patterns' }],
    ['analytics.events', { schema: 'analytics', table: 'events' }],
    ['_t$1', { schema: 'public', table: '_t$1' }]
  ])('%s', (entry, expected) => {
    expect(parseTableName(entry)).toEqual(expected);
  });
  it.each(['a.b.c', 'x; DROP TABLE y', '"quoted"', '1table', 'public.', '.t', 'tab le', 'a-b'])('refuses %s, naming the input', (entry) => {
    expect(() => parseTableName(entry)).toThrow(/Input 'tables' has .*not a table name/);
  });
});

describe('the terminate run’s verdict', () => {
  const r = (outcome: TargetResult['outcome']): TargetResult => ({ row: activity({}), outcome });
  it.each<[string, number, number, TargetResult[], boolean, string, RegExp]>([
    ['nothing long-running', 0, 0, [], false, 'ok', /no query has run longer than 5 min/],
    ['found in a dry run', 2, 0, [], true, 'warn', /2 queries longer than 5 min would be cancelled \(dry run/],
    ['cancelled and terminated', 2, 0, [r('cancelled'), r('terminated')], false, 'warn', /1 cancelled, 1 terminated/],
    ['one ended before any signal', 1, 0, [r('ended before any signal')], false, 'warn', /1 ended before any signal/],
    ['a refused signal fails', 1, 0, [r('refused')], false, 'fail', /1 refused/],
    ['a backend that would not exit fails', 1, 0, [r('still running')], false, 'fail', /1 still running/],
    ['over the cap is said', 1, 3, [r('cancelled')], false, 'warn', /3 more over the cap of 'max-targets' left alone/]
  ])('%s', (_name, found, overCap, results, dryRun, status, message) => {
    const check = summaryCheck('db', found, overCap, results, dryRun, 5 * 60_000);
    expect(check.status).toBe(status);
    expect(check.message).toMatch(message);
  });
});
