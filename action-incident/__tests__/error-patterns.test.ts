// Error-log patterns: which lines are errors, the signature that masks what varies, grouping with counts
// and first/last seen, and the week-over-week comparison kept in the state.
import { describe, expect, it } from '@jest/globals';
import { emptyState, type RunState } from '../../shared/src/index.js';
import { diagnoseErrorPatterns } from '../src/error-patterns/diagnose-error-patterns.js';
import { groupErrorPatterns } from '../src/error-patterns/group.js';
import { errorSignature, isErrorLine, stripDockerTimestamp } from '../src/error-patterns/signature.js';
import { compareWithLastWeek, isNotable, PATTERN_RUN_KEY, patternKey, recordPatterns, trendOf } from '../src/error-patterns/week-over-week.js';

describe('isErrorLine', () => {
  it.each([
    ['ERROR database connection failed', true],
    ['level=error msg="upstream timed out"', true],
    ['{"level":"error","msg":"boom"}', true],
    ['Traceback (most recent call last):', true],
    ['panic: runtime error: index out of range', true],
    ['2026-12-01 14:30:56.452 UTC [1] FATAL:  password authentication failed', true],
    ['INFO request served in 12 ms', false],
    ['processed 120 rows, 0 errors', false],
    ['errors=0 warnings=3', false],
    ['api v1 (health=ok) listening on :80', false]
  ])('%s → %s', (line, want) => {
    expect(isErrorLine(line)).toBe(want);
  });
});

describe('errorSignature masks what varies between occurrences (numbers glued to a word, like app1 or v2, are names and stay)', () => {
  it.each([
    ['ERROR request 5f2b7c1e-3a4d-4e5f-9a8b-1c2d3e4f5a6b failed after 1200 ms', 'ERROR request <uuid> failed after <n> ms'],
    ['ERROR 2026-12-01T14:27:43.123Z upstream 10.0.0.12:8000 refused', 'ERROR <ts> upstream <ip> refused'],
    ['ERROR [01/Dec/2026:14:27:43 +0000] "GET /api/v1/patterns/42" 502', 'ERROR [<ts>] "GET /api/v1/patterns/<n>" <n>'],
    ['Dec  1 14:27:43 app1 dockerd: error pulling image', '<ts> app1 dockerd: error pulling image'],
    ['error in container 9a44ec7f9cad0f1e: exit 137', 'error in container <hex>: exit <n>'],
    ['segfault at 0x7ffd5e8a1c20 ip 0x55d', 'segfault at <hex> ip <hex>'],
    ['ERROR connect to [2001:db8::1]:5432 failed', 'ERROR connect to [<ip>]:<n> failed'],
    ['ERROR   too    many\tspaces', 'ERROR too many spaces'],
    ['FATAL: at 14:27:43.5 on 2026-12-01 pid=1234', 'FATAL: at <time> on <date> pid=<n>']
  ])('%s', (line, want) => {
    expect(errorSignature(line)).toBe(want);
  });

  it('gives two occurrences of one error the same signature and two errors different ones', () => {
    const a = errorSignature('ERROR user 1842 session 0f3c9a2b11 expired at 2026-11-30T10:00:00Z');
    const b = errorSignature('ERROR user 77 session ab12cd34ef expired at 2026-12-01T09:13:14Z');
    const c = errorSignature('ERROR user 77 login refused');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('strips the docker --timestamps receive time and cuts long lines', () => {
    expect(stripDockerTimestamp('2026-12-01T14:24:35.277578344Z api listening')).toEqual({ at: '2026-12-01T14:24:35.277Z', text: 'api listening' });
    expect(stripDockerTimestamp('no timestamp here')).toEqual({ text: 'no timestamp here' });
    expect(errorSignature(`2026-12-01T14:24:35.277578344Z ERROR ${'x'.repeat(400)}`).length).toBe(160);
  });
});

const log = (host: string, service: string, lines: string[]): { host: string; service: string; container: string; text: string } => ({
  host,
  service,
  container: `${host}_${service}_1`,
  text: lines.join('\n')
});

describe('groupErrorPatterns', () => {
  it('groups per service by signature with counts, first/last seen, hosts and the latest example', () => {
    const patterns = groupErrorPatterns([
      log('app1', 'api', [
        '2026-12-01T10:00:00.000000001Z ERROR db timeout after 5000 ms',
        '2026-12-01T10:00:01.000000000Z INFO ok',
        '2026-12-01T10:05:00.000000000Z ERROR db timeout after 5012 ms'
      ]),
      log('app2', 'api', ['2026-12-01T09:59:00.000000000Z ERROR db timeout after 4999 ms', '2026-12-01T10:01:00.000000000Z ERROR cache miss storm']),
      log('app1', 'frontend', ['2026-12-01T10:02:00.000000000Z ERROR db timeout after 5000 ms'])
    ]);
    expect(patterns.map((p) => [p.service, p.signature, p.count, p.firstSeen, p.lastSeen, p.hosts])).toEqual([
      ['api', 'ERROR db timeout after <n> ms', 3, '2026-12-01T09:59:00.000Z', '2026-12-01T10:05:00.000Z', ['app1', 'app2']],
      ['frontend', 'ERROR db timeout after <n> ms', 1, '2026-12-01T10:02:00.000Z', '2026-12-01T10:02:00.000Z', ['app1']],
      ['api', 'ERROR cache miss storm', 1, '2026-12-01T10:01:00.000Z', '2026-12-01T10:01:00.000Z', ['app2']]
    ]);
    expect(patterns[0].example).toBe('ERROR db timeout after 5012 ms');
  });

  it('finds nothing in logs without error lines', () => {
    expect(groupErrorPatterns([log('app1', 'api', ['INFO up', 'GET /health 200'])])).toEqual([]);
  });
});

describe('week over week', () => {
  const now = new Date('2026-12-09T09:00:00.000Z');
  const lastWeek = '2026-12-02T09:00:00.000Z';
  const seeded = (): RunState => {
    const s = emptyState();
    s.history[PATTERN_RUN_KEY] = [
      { t: '2026-11-20T09:00:00.000Z', v: 1 },
      { t: lastWeek, v: 2 },
      { t: '2026-12-08T09:00:00.000Z', v: 1 }
    ];
    s.history[patternKey({ service: 'api', signature: 'ERROR a' })] = [{ t: lastWeek, v: 4 }];
    s.history[patternKey({ service: 'api', signature: 'ERROR gone' })] = [{ t: lastWeek, v: 7 }];
    // Only in yesterday's run: not last week's, so not "gone".
    s.history[patternKey({ service: 'api', signature: 'ERROR yesterday' })] = [{ t: '2026-12-08T09:00:00.000Z', v: 3 }];
    return s;
  };
  const p = (signature: string, count: number): { service: string; signature: string; count: number; hosts: string[]; example: string } => ({
    service: 'api',
    signature,
    count,
    hosts: ['app1'],
    example: signature
  });

  it.each([
    [0, 0, 'same'],
    [0, 3, 'gone'],
    [5, 0, 'new'],
    [5, 3, 'up'],
    [3, 5, 'down'],
    [4, 4, 'same']
  ] as const)('trend of %i lines against %i last week is %s', (count, previous, want) => {
    expect(trendOf(count, previous)).toBe(want);
  });

  it('compares with the latest run 6 to 14 days old, never with a newer or older one', () => {
    const week = compareWithLastWeek([p('ERROR a', 12), p('ERROR new', 2)], seeded(), now);
    expect(week.baselineAt).toBe(lastWeek);
    expect(week.patterns.map((x) => [x.signature, x.count, x.previous, x.trend])).toEqual([
      ['ERROR a', 12, 4, 'up'],
      ['ERROR new', 2, 0, 'new']
    ]);
    expect(week.gone).toEqual([{ service: 'api', signature: 'ERROR gone', previous: 7 }]);
  });

  it('has no baseline without a run in that window', () => {
    const s = emptyState();
    s.history[PATTERN_RUN_KEY] = [{ t: '2026-12-08T09:00:00.000Z', v: 1 }];
    const week = compareWithLastWeek([p('ERROR a', 1)], s, now);
    expect([week.baselineAt, week.patterns[0].previous, week.patterns[0].trend]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    [{ trend: 'new', count: 1, previous: 0 }, true],
    [{ trend: 'up', count: 10, previous: 5 }, true],
    [{ trend: 'up', count: 9, previous: 4 }, false],
    [{ trend: 'up', count: 12, previous: 7 }, false],
    [{ trend: 'same', count: 50, previous: 50 }, false],
    [{ trend: undefined, count: 50, previous: undefined }, false]
  ] as const)('%j is notable: %s', (facts, want) => {
    expect(isNotable({ ...p('x', facts.count), ...facts })).toBe(want);
  });

  it('records the run and its patterns, and forgets patterns unseen for 35 days', () => {
    const s = seeded();
    s.history[patternKey({ service: 'api', signature: 'ERROR ancient' })] = [{ t: '2026-10-01T00:00:00.000Z', v: 1 }];
    recordPatterns(s, [p('ERROR a', 12)], now);
    expect(s.history[patternKey({ service: 'api', signature: 'ERROR a' })]).toEqual([
      { t: lastWeek, v: 4 },
      { t: now.toISOString(), v: 12 }
    ]);
    expect(s.history[PATTERN_RUN_KEY].at(-1)).toEqual({ t: now.toISOString(), v: 1 });
    expect(s.history[patternKey({ service: 'api', signature: 'ERROR ancient' })]).toBeUndefined();
  });

  it('a week later, the diagnosis names the new pattern as a fault and shows last week in the table', () => {
    const state = emptyState();
    const first = diagnoseErrorPatterns([log('app1', 'api', ['2026-12-02T08:00:00.000Z ERROR a 1'])], state, new Date(lastWeek));
    expect(first.faults.map((f) => f.message)).toEqual(["1 error line in 1 pattern; most frequent: 'ERROR a <n>'"]);
    const second = diagnoseErrorPatterns(
      [log('app1', 'api', ['2026-12-09T08:00:00.000Z ERROR a 2', '2026-12-09T08:01:00.000Z ERROR brand new failure 42'])],
      state,
      now
    );
    expect(second.faults.map((f) => f.message)).toEqual(["new error pattern since last week: 'ERROR brand new failure <n>' (1 lines on app1)"]);
    expect(second.sections[0].title).toBe(`Error log patterns (compared with the run of ${lastWeek})`);
    expect(second.sections[0].markdown).toContain('| api | ERROR a &lt;n&gt; | 1 | 1 | same |');
  });
});
