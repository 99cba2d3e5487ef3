// The edges of the week-over-week comparison (issue 14's mutation testing of week-over-week.ts): the
// 6-to-14-day window to the millisecond, the latest run in it, last week's count of each pattern, the
// patterns gone since, what is notable, and what the state keeps and forgets.
import { describe, expect, it } from '@jest/globals';
import { emptyState, type RunState } from '../../shared/src/index.js';
import type { ErrorPattern } from '../src/error-patterns/group.js';
import {
  BASELINE_MAX_AGE_MS,
  BASELINE_MIN_AGE_MS,
  compareWithLastWeek,
  isNotable,
  PATTERN_RUN_KEY,
  PATTERNS_KEPT,
  patternKey,
  recordPatterns
} from '../src/error-patterns/week-over-week.js';

const DAY = 86_400_000;
const now = new Date('2026-12-15T12:00:00.000Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const pattern = (signature: string, count: number, service = 'api'): ErrorPattern => ({ service, signature, count, hosts: ['app1'], example: signature });
const stateWith = (history: RunState['history']): RunState => ({ ...emptyState(), history });

describe('compareWithLastWeek: which run is last week', () => {
  it.each<[string, number[], string | undefined]>([
    ['exactly 6 days old', [BASELINE_MIN_AGE_MS], ago(BASELINE_MIN_AGE_MS)],
    ['a millisecond short of 6 days', [BASELINE_MIN_AGE_MS - 1], undefined],
    ['exactly 14 days old', [BASELINE_MAX_AGE_MS], ago(BASELINE_MAX_AGE_MS)],
    ['a millisecond past 14 days', [BASELINE_MAX_AGE_MS + 1], undefined],
    // Runs are recorded in time order, so the latest in the window is the last one recorded in it.
    ['two runs in the window: the latest', [13 * DAY, 7 * DAY, 2 * DAY], ago(7 * DAY)]
  ])('%s', (_name, ages, baselineAt) => {
    const runs = ages.map((age) => ({ t: ago(age), v: 1 }));
    const week = compareWithLastWeek([pattern('ERROR a', 1)], stateWith({ [PATTERN_RUN_KEY]: runs }), now);
    expect(week.baselineAt).toBe(baselineAt);
  });

  it('has no baseline in a state that never recorded a run, and copies the patterns unjudged', () => {
    const week = compareWithLastWeek([pattern('ERROR a', 3)], emptyState(), now);
    expect(week).toStrictEqual({ patterns: [pattern('ERROR a', 3)], gone: [] });
  });
});

describe('compareWithLastWeek: counts and the patterns gone', () => {
  const baseline = ago(7 * DAY);
  const other = ago(3 * DAY);
  const seeded = (): RunState =>
    stateWith({
      [PATTERN_RUN_KEY]: [
        { t: baseline, v: 5 },
        { t: other, v: 1 }
      ],
      // Counted at the baseline and again since: last week's count is the baseline's.
      [patternKey(pattern('ERROR a', 0))]: [
        { t: ago(10 * DAY), v: 50 },
        { t: baseline, v: 4 },
        { t: other, v: 99 }
      ],
      // Gone since, in ascending order of count to show the sort.
      [patternKey(pattern('ERROR small gone', 0))]: [{ t: baseline, v: 3 }],
      [patternKey(pattern('ERROR db: refused', 0, 'worker'))]: [{ t: baseline, v: 9 }],
      // Zero at the baseline, or not counted in it: not gone.
      [patternKey(pattern('ERROR zero', 0))]: [{ t: baseline, v: 0 }],
      [patternKey(pattern('ERROR recent', 0))]: [{ t: other, v: 8 }],
      // Another action's series at the baseline's time is not a pattern.
      'cpu:app1': [{ t: baseline, v: 80 }]
    });

  it('takes each pattern\'s count at the baseline run (0 when it had none)', () => {
    const week = compareWithLastWeek([pattern('ERROR a', 4), pattern('ERROR recent', 2), pattern('ERROR brand new', 1)], seeded(), now);
    expect(week.patterns.map((p) => [p.signature, p.previous, p.trend])).toEqual([
      ['ERROR a', 4, 'same'],
      ['ERROR recent', 0, 'new'],
      ['ERROR brand new', 0, 'new']
    ]);
  });

  it('lists the patterns last week counted and this run did not, the largest first, split at the first colon', () => {
    const week = compareWithLastWeek([pattern('ERROR a', 4)], seeded(), now);
    expect(week.gone).toStrictEqual([
      { service: 'worker', signature: 'ERROR db: refused', previous: 9 },
      { service: 'api', signature: 'ERROR small gone', previous: 3 }
    ]);
  });

  it('does not count a pattern seen this run as gone', () => {
    const week = compareWithLastWeek([pattern('ERROR small gone', 1), pattern('ERROR db: refused', 2, 'worker')], seeded(), now);
    expect(week.gone).toStrictEqual([{ service: 'api', signature: 'ERROR a', previous: 4 }]);
  });
});

describe('isNotable: the trend decides, then the counts', () => {
  it.each([
    ['new', { trend: 'new', count: 1, previous: 0 }, true],
    ['doubled to exactly 10', { trend: 'up', count: 10, previous: 5 }, true],
    ['more than doubled past 10', { trend: 'up', count: 30, previous: 4 }, true],
    ['doubled but under 10', { trend: 'up', count: 8, previous: 4 }, false],
    ['one line short of doubling', { trend: 'up', count: 19, previous: 10 }, false],
    ['counts that would qualify, but the trend is down', { trend: 'down', count: 20, previous: 5 }, false],
    ['counts that would qualify, but no baseline', { trend: undefined, count: 20, previous: undefined }, false]
  ] as const)('%s: %s', (_name, facts, want) => {
    expect(isNotable({ ...pattern('x', facts.count), ...facts })).toBe(want);
  });
});

describe('recordPatterns: what the state keeps', () => {
  it(`keeps the ${PATTERNS_KEPT} most frequent patterns of a run`, () => {
    const state = emptyState();
    const patterns = Array.from({ length: PATTERNS_KEPT + 1 }, (_, i) => pattern(`ERROR p${i}`, 1000 - i));
    recordPatterns(state, patterns, now);
    expect(state.history[PATTERN_RUN_KEY]).toEqual([{ t: now.toISOString(), v: PATTERNS_KEPT }]);
    expect(state.history[patternKey(patterns[PATTERNS_KEPT - 1])]).toEqual([{ t: now.toISOString(), v: 1000 - PATTERNS_KEPT + 1 }]);
    expect(state.history[patternKey(patterns[PATTERNS_KEPT])]).toBeUndefined();
  });

  it('records a run with no patterns as a run (so next week compares with it)', () => {
    const state = emptyState();
    recordPatterns(state, [], now);
    expect(state.history).toEqual({ [PATTERN_RUN_KEY]: [{ t: now.toISOString(), v: 0 }] });
  });

  it('forgets samples older than 35 days, to the millisecond, in its own series only', () => {
    const edge = ago(35 * DAY);
    const past = ago(35 * DAY + 1);
    const state = stateWith({
      [PATTERN_RUN_KEY]: [
        { t: past, v: 1 },
        { t: edge, v: 2 }
      ],
      [patternKey(pattern('ERROR old', 0))]: [
        { t: past, v: 3 },
        { t: edge, v: 4 }
      ],
      [patternKey(pattern('ERROR ancient', 0))]: [{ t: past, v: 5 }],
      'cpu:app1': [{ t: past, v: 80 }]
    });
    recordPatterns(state, [pattern('ERROR new', 6)], now);
    expect(state.history).toEqual({
      [PATTERN_RUN_KEY]: [
        { t: edge, v: 2 },
        { t: now.toISOString(), v: 1 }
      ],
      [patternKey(pattern('ERROR old', 0))]: [{ t: edge, v: 4 }],
      [patternKey(pattern('ERROR new', 0))]: [{ t: now.toISOString(), v: 6 }],
      'cpu:app1': [{ t: past, v: 80 }]
    });
  });
});
