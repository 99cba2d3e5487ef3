// Mutation-testing table for report/history.ts (issue 14): the series keys kept between runs, the sample
// chosen as "a week ago" at the window's edges, the change figures, and which series are pruned.
import { describe, expect, it } from '@jest/globals';
import { emptyState } from '../../shared/src/index.js';
import { pruneSeries, remember, REPORT_SERIES, SERIES_MAX_AGE_MS, WEEK_WINDOW_MS, weekOverWeek } from '../src/report/history.js';

const DAY = 86_400_000;
const now = new Date('2026-12-08T06:00:00Z');
const at = (ms: number): string => new Date(now.getTime() - ms).toISOString();

describe('REPORT_SERIES', () => {
  // The keys are built inside each test (not while the table is collected), so a planted change is seen.
  it.each<[string, () => string, string]>([
    ['prefix', () => REPORT_SERIES.prefix('u@h:5432/db'), 'db:u@h:5432/db:'],
    ['cacheHit', () => REPORT_SERIES.cacheHit('t'), 'db:t:cache-hit-percent'],
    ['databaseBytes', () => REPORT_SERIES.databaseBytes('t'), 'db:t:database-bytes'],
    ['tableBytes', () => REPORT_SERIES.tableBytes('t', 'public.patterns'), 'db:t:table-bytes:public.patterns'],
    ['queryCalls', () => REPORT_SERIES.queryCalls('t', '42'), 'db:t:query-calls:42'],
    ['queryTotalMs', () => REPORT_SERIES.queryTotalMs('t', '42'), 'db:t:query-total-ms:42']
  ])('%s', (_name, key, expected) => {
    expect(key()).toBe(expected);
  });

  it('keeps a week’s window of two days and series for 35 days', () => {
    expect([WEEK_WINDOW_MS, SERIES_MAX_AGE_MS]).toEqual([2 * DAY, 35 * DAY]);
  });
});

describe('weekOverWeek: which sample is a week ago', () => {
  it.each<[string, Array<[string, number]>, number | undefined]>([
    ['exactly at the window’s late edge (9 days)', [[at(9 * DAY), 10]], 10],
    ['exactly at the window’s early edge (5 days)', [[at(5 * DAY), 11]], 11],
    ['a millisecond past the late edge', [[at(9 * DAY + 1), 12]], undefined],
    ['a millisecond past the early edge', [[at(5 * DAY - 1), 13]], undefined],
    ['a sample from the future is not last week', [[new Date(now.getTime() + 7 * DAY).toISOString(), 14]], undefined],
    ['two equally near: the first listed wins', [[at(8 * DAY), 80], [at(6 * DAY), 90]], 80],
    ['the nearer one wins when listed second', [[at(8.5 * DAY), 80], [at(7 * DAY + 1000), 90]], 90],
    ['the nearer one wins when listed first', [[at(7 * DAY - 1000), 70], [at(6 * DAY), 90]], 70],
    ['an unreadable time is skipped', [['not a time', 5]], undefined],
    ['an unreadable time does not shadow a good one', [['not a time', 5], [at(8 * DAY), 6]], 6]
  ])('%s', (_name, samples, previous) => {
    const change = weekOverWeek(samples.map(([t, v]) => ({ t, v })), 100, now);
    expect(change?.previous).toBe(previous);
  });

  it('gives nothing without a series', () => {
    expect(weekOverWeek(undefined, 100, now)).toBeUndefined();
  });

  it.each<[number, number, { delta: number; deltaPercent: number | undefined }]>([
    [80, 100, { delta: 20, deltaPercent: 25 }],
    [100, 80, { delta: -20, deltaPercent: -20 }],
    [50, 50, { delta: 0, deltaPercent: 0 }],
    [0, 7, { delta: 7, deltaPercent: undefined }]
  ])('%i a week ago, %i now', (before, current, expected) => {
    const t = at(7 * DAY);
    expect(weekOverWeek([{ t, v: before }], current, now)).toEqual({ previous: before, previousAt: t, ...expected });
  });
});

describe('remember and pruneSeries', () => {
  it('records a sample at the run’s time, after the ones already there', () => {
    const state = emptyState();
    remember(state, 'db:t:database-bytes', 5, new Date('2026-12-01T06:00:00Z'));
    remember(state, 'db:t:database-bytes', 6, now);
    expect(state.history['db:t:database-bytes']).toEqual([
      { t: '2026-12-01T06:00:00.000Z', v: 5 },
      { t: now.toISOString(), v: 6 }
    ]);
  });

  it('drops only this target’s series whose newest sample is more than 35 days old', () => {
    const state = emptyState();
    const h = state.history;
    h['db:t1:exactly-35-days'] = [{ t: at(35 * DAY), v: 1 }];
    h['db:t1:a-ms-over'] = [{ t: at(35 * DAY + 1), v: 1 }];
    h['db:t1:old-then-new'] = [{ t: at(60 * DAY), v: 1 }, { t: at(DAY), v: 2 }];
    h['db:t1:new-then-old'] = [{ t: at(DAY), v: 1 }, { t: at(60 * DAY), v: 2 }];
    h['db:t1:empty'] = [];
    h['db:t10:old'] = [{ t: at(60 * DAY), v: 1 }];
    h['host:t1:old'] = [{ t: at(60 * DAY), v: 1 }];
    pruneSeries(state, 't1', now);
    expect(Object.keys(h).sort()).toEqual(['db:t10:old', 'db:t1:exactly-35-days', 'db:t1:old-then-new', 'host:t1:old']);
  });
});
