// The error-pattern review's verdicts and summary (issue 14's mutation testing of
// diagnose-error-patterns.ts): no logs, logs without errors, the first run (no week to compare with),
// a week later (new and grown patterns, patterns gone), and the table's bounds.
import { describe, expect, it } from '@jest/globals';
import { emptyState, type RunState } from '../../shared/src/index.js';
import { diagnoseErrorPatterns } from '../src/error-patterns/diagnose-error-patterns.js';
import type { ContainerLog } from '../src/error-patterns/group.js';
import { PATTERN_RUN_KEY, patternKey } from '../src/error-patterns/week-over-week.js';

const now = new Date('2026-12-15T12:00:00.000Z');
const lastWeek = '2026-12-08T12:00:00.000Z';
const log = (host: string, service: string, lines: string[]): ContainerLog => ({ host, service, container: `${host}_${service}_1`, text: lines.join('\n') });
const times = (n: number, line: string): string[] => Array.from({ length: n }, () => line);
const NO_WEEK = 'Error patterns: no run 6 to 14 days ago to compare with; this run is recorded for next week.';
const HEADER = '| Service | Signature | Lines | Last week | Trend | First seen | Last seen | Hosts |\n|---|---|---:|---:|---|---|---|---|';

/** A state whose run a week ago counted these patterns (service:signature → lines). */
const weekAgo = (counts: Record<string, number>): RunState => {
  const state = emptyState();
  state.history[PATTERN_RUN_KEY] = [{ t: lastWeek, v: Object.keys(counts).length }];
  for (const [key, v] of Object.entries(counts)) {
    const colon = key.indexOf(':');
    state.history[patternKey({ service: key.slice(0, colon), signature: key.slice(colon + 1) })] = [{ t: lastWeek, v }];
  }
  return state;
};

describe('diagnoseErrorPatterns: nothing to review', () => {
  it('says no logs were read, and still records the run', () => {
    const state = emptyState();
    const d = diagnoseErrorPatterns([], state, now);
    expect(d).toStrictEqual({
      family: 'error patterns',
      faults: [],
      sections: [],
      notes: ['Error patterns: no container logs were read (no hosts, or their logs could not be read).']
    });
    expect(state.history[PATTERN_RUN_KEY]).toEqual([{ t: now.toISOString(), v: 0 }]);
  });

  it.each<[string, RunState, string[]]>([
    ['first run', emptyState(), [NO_WEEK, 'Error patterns: no error lines in the 2 container logs read.']],
    ['a week later', weekAgo({}), ['Error patterns: no error lines in the 2 container logs read.']]
  ])('logs without an error line, %s: no fault and no table', (_name, state, notes) => {
    const d = diagnoseErrorPatterns([log('app1', 'api', ['INFO up']), log('app1', 'worker', [''])], state, now);
    expect([d.faults, d.sections, d.notes]).toEqual([[], [], notes]);
  });
});

describe('diagnoseErrorPatterns: the first run has no week to compare with', () => {
  it('warns once per service with its error lines and patterns, and shows them without trends', () => {
    const d = diagnoseErrorPatterns(
      [log('app1', 'api', [...times(2, 'ERROR a'), 'ERROR b']), log('app2', 'worker', ['2026-12-15T11:00:00.000Z ERROR w'])],
      emptyState(),
      now
    );
    expect(d.notes).toEqual([NO_WEEK]);
    expect(d.faults).toStrictEqual([
      { family: 'error patterns', target: 'api', severity: 'warn', message: "3 error lines in 2 patterns; most frequent: 'ERROR a'" },
      { family: 'error patterns', target: 'worker', severity: 'warn', message: "1 error line in 1 pattern; most frequent: 'ERROR w'" }
    ]);
    expect(d.sections).toStrictEqual([
      {
        title: 'Error log patterns',
        markdown: [
          HEADER,
          '| api | ERROR a | 2 | — | — | — | — | app1 |',
          '| worker | ERROR w | 1 | — | — | 2026-12-15T11:00:00.000Z | 2026-12-15T11:00:00.000Z | app2 |',
          '| api | ERROR b | 1 | — | — | — | — | app1 |'
        ].join('\n')
      }
    ]);
  });
});

describe('diagnoseErrorPatterns: a week later', () => {
  it.each<[string, Record<string, number>, string[], string[]]>([
    ['a new pattern', { 'api:ERROR a': 3 }, [...times(3, 'ERROR a'), 'ERROR fresh'], ["new error pattern since last week: 'ERROR fresh' (1 lines on app1)"]],
    ['a pattern doubled to 10 lines', { 'api:ERROR a': 5 }, times(10, 'ERROR a'), ["error pattern grew from 5 to 10 lines since last week: 'ERROR a' (10 lines on app1)"]],
    ['a pattern grown, not doubled', { 'api:ERROR a': 6 }, times(10, 'ERROR a'), []],
    ['a pattern as often as last week', { 'api:ERROR a': 3 }, times(3, 'ERROR a'), []],
    ['a pattern less often', { 'api:ERROR a': 30 }, times(3, 'ERROR a'), []]
  ])('%s', (_name, counts, lines, messages) => {
    const d = diagnoseErrorPatterns([log('app1', 'api', lines)], weekAgo(counts), now);
    expect(d.notes).toEqual([]);
    expect(d.faults).toStrictEqual(messages.map((message) => ({ family: 'error patterns', target: 'api', severity: 'warn', message })));
    expect(d.sections.map((s) => s.title)).toEqual([`Error log patterns (compared with the run of ${lastWeek})`]);
  });

  it('names every host a new pattern came from', () => {
    const d = diagnoseErrorPatterns([log('app1', 'api', ['ERROR fresh']), log('app2', 'api', ['ERROR fresh'])], weekAgo({ 'api:ERROR a': 3 }), now);
    expect(d.faults.map((f) => f.message)).toEqual(["new error pattern since last week: 'ERROR fresh' (2 lines on app1, app2)"]);
  });

  it('shows last week and the trend in the table, and names the patterns gone (cells escaped)', () => {
    const d = diagnoseErrorPatterns(
      [log('app1', 'api', ['ERROR a', 'ERROR a']), log('app2', 'api', ['ERROR a'])],
      weekAgo({ 'api:ERROR a': 3, 'api:ERROR x|y': 2, 'worker:ERROR <w>': 7, 'api:ERROR zero': 0 }),
      now
    );
    expect(d.sections[0].markdown).toBe(
      [HEADER, '| api | ERROR a | 3 | 3 | same | — | — | app1, app2 |'].join('\n') + '\n\nGone since last week: worker: ERROR &lt;w&gt; (7); api: ERROR x\\|y (2).'
    );
  });

  it('names at most 10 patterns gone', () => {
    const counts = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`api:ERROR g${i}`, 20 - i]));
    const d = diagnoseErrorPatterns([log('app1', 'api', ['ERROR a'])], weekAgo(counts), now);
    const gone = d.sections[0].markdown.split('Gone since last week: ')[1];
    expect(gone.split('; ')).toEqual([...Array.from({ length: 9 }, (_, i) => `api: ERROR g${i} (${20 - i})`), 'api: ERROR g9 (11).']);
  });
});

describe('diagnoseErrorPatterns: the table shows the 30 most frequent patterns', () => {
  const lines = (n: number): string[] => Array.from({ length: n }, (_, i) => times(100 - i, `ERROR p${String.fromCharCode(97 + (i % 26))}${i >= 26 ? 'z' : ''}`)).flat();
  it.each([
    [30, 30, ''],
    [31, 30, '\n\n_1 less frequent patterns not shown._'],
    [33, 30, '\n\n_3 less frequent patterns not shown._']
  ])('%i patterns: %i rows', (patterns, rows, cut) => {
    const d = diagnoseErrorPatterns([log('app1', 'api', lines(patterns))], emptyState(), now);
    const markdown = d.sections[0].markdown;
    expect(markdown.split('\n').filter((l) => l.startsWith('| api |'))).toHaveLength(rows);
    expect(markdown.endsWith(`| app1 |${cut}`)).toBe(true);
  });
});
