// Mutation-testing table for vacuum-analyze's verdicts (issue 14): each table's check (vacuumed ok, skipped a
// warning, failed a failure), the run's check and counts, the check when a backup or another VACUUM stops the
// run (before it starts or midway), and the progress line, every field word for word.
import { describe, expect, it } from '@jest/globals';
import type { ActivityRow, Check } from '../../shared/src/index.js';
import { progressLine, runCheck, skippedRunCheck, tableCheck, VACUUM_CHECK_IDS } from '../src/operations/vacuum-analyze.js';
import type { BlockingActivity } from '../src/vacuum/blocking-activity.js';
import type { VacuumResult } from '../src/vacuum/vacuum-table.js';

const MB = 1024 * 1024;
const result = (table: string, outcome: VacuumResult['outcome'], durationMs: number, detail?: string): VacuumResult => ({
  table: { schema: 'public', table, totalBytes: 24 * MB, deadRows: 1200, liveRows: 5000, owned: true },
  outcome,
  durationMs,
  ...(detail === undefined ? {} : { detail })
});
const base = { kind: 'database', target: 'u@db:5432/app' };

describe('tableCheck', () => {
  it.each<[string, VacuumResult, Check]>([
    [
      'vacuumed: ok, with its time',
      result('patterns', 'vacuumed', 1234),
      { ...base, id: 'database:vacuum:public.patterns', status: 'ok', value: 1234, unit: 'ms', message: 'public.patterns vacuumed and analyzed in 1 s' }
    ],
    [
      'skipped (the application holds it): a warning with the reason',
      result('agents', 'skipped', 3000, 'its lock was not granted within lock_timeout'),
      { ...base, id: 'database:vacuum:public.agents', status: 'warn', value: 3000, unit: 'ms', message: 'public.agents skipped: its lock was not granted within lock_timeout' }
    ],
    [
      'failed: a failure with the reason',
      result('events', 'failed', 250, 'stopped by statement_timeout'),
      { ...base, id: 'database:vacuum:public.events', status: 'fail', value: 250, unit: 'ms', message: 'public.events failed: stopped by statement_timeout' }
    ],
    ['failed without a reason: no dangling colon space', result('events', 'failed', 250), { ...base, id: 'database:vacuum:public.events', status: 'fail', value: 250, unit: 'ms', message: 'public.events failed:' }]
  ])('%s', (_name, r, expected) => {
    expect(tableCheck(base.target, r)).toEqual(expected);
  });

  it('names each table’s check by schema and table', () => {
    expect(VACUUM_CHECK_IDS.table('analytics', 'events')).toBe('database:vacuum:analytics.events');
  });
});

describe('runCheck', () => {
  const check = (status: Check['status'], value: number, message: string): Check => ({ ...base, id: 'database:vacuum-analyze', status, value, unit: 'tables', message });
  it.each<[string, VacuumResult[], Check]>([
    ['no tables', [], check('ok', 0, '0 of 0 table(s) vacuumed and analyzed in 0 ms')],
    ['all vacuumed: ok, the times added up', [result('a', 'vacuumed', 30_000), result('b', 'vacuumed', 31_000)], check('ok', 2, '2 of 2 table(s) vacuumed and analyzed in 1 min')],
    ['one skipped: a warning', [result('a', 'vacuumed', 100), result('b', 'skipped', 150)], check('warn', 2, '1 of 2 table(s) vacuumed and analyzed in 250 ms, 1 skipped')],
    ['one failed: a failure', [result('a', 'failed', 100), result('b', 'vacuumed', 150)], check('fail', 2, '1 of 2 table(s) vacuumed and analyzed in 250 ms, 1 failed')],
    [
      'skipped and failed: the failure wins, both counted',
      [result('a', 'skipped', 1), result('b', 'failed', 1), result('c', 'skipped', 1), result('d', 'vacuumed', 1)],
      check('fail', 4, '1 of 4 table(s) vacuumed and analyzed in 4 ms, 2 skipped, 1 failed')
    ]
  ])('%s', (_name, results, expected) => {
    expect(runCheck(base.target, results)).toEqual(expected);
  });
});

describe('skippedRunCheck', () => {
  const row = { pid: 7 } as ActivityRow;
  const backup: BlockingActivity = { kind: 'backup', row, why: 'pid 7: a backup is running' };
  const vacuum: BlockingActivity = { kind: 'vacuum', row, why: 'pid 8: another VACUUM is running' };
  const check = (value: number, message: string): Check => ({ ...base, id: 'database:vacuum-analyze', status: 'warn', value, unit: 'tables', message });
  it.each<[string, BlockingActivity[], number, number | undefined, Check]>([
    ['a backup before the start', [backup], 0, undefined, check(0, 'skipped: a backup is running (pid 7: a backup is running); run it again once it has finished')],
    ['another VACUUM before the start', [vacuum], 0, undefined, check(0, 'skipped: another VACUUM is running (pid 8: another VACUUM is running); run it again once it has finished')],
    [
      'a VACUUM and a backup: the backup is named',
      [vacuum, backup],
      0,
      undefined,
      check(0, 'skipped: a backup is running (pid 8: another VACUUM is running; pid 7: a backup is running); run it again once it has finished')
    ],
    ['a backup midway', [backup], 3, 9, check(3, 'stopped after 3 table(s), 9 left: a backup is running (pid 7: a backup is running)')],
    [
      'a backup and another VACUUM midway: both named',
      [backup, vacuum],
      1,
      4,
      check(1, 'stopped after 1 table(s), 4 left: a backup is running (pid 7: a backup is running; pid 8: another VACUUM is running)')
    ],
    ['another VACUUM midway, nothing left', [vacuum], 2, 0, check(2, 'stopped after 2 table(s), 0 left: another VACUUM is running (pid 8: another VACUUM is running)')]
  ])('%s', (_name, blocking, done, left, expected) => {
    expect(skippedRunCheck(base.target, blocking, done, left)).toEqual(expected);
  });
});

describe('progressLine', () => {
  it.each<[VacuumResult, string]>([
    [result('patterns', 'vacuumed', 1234), '[3/12] public.patterns (24.0 MB, 1200 dead rows): vacuumed and analyzed in 1 s'],
    [result('patterns', 'skipped', 250, 'its lock was not granted'), '[3/12] public.patterns (24.0 MB, 1200 dead rows): skipped (its lock was not granted) in 250 ms'],
    [result('patterns', 'failed', 250), '[3/12] public.patterns (24.0 MB, 1200 dead rows): failed in 250 ms']
  ])('%j', (r, line) => {
    expect(progressLine(3, 12, r)).toBe(line);
  });
});
