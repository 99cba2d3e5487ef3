// The query killer's target selection, row by row: every exclusion, the duration boundary, idle in
// transaction, the cap and the order (catalogue case 37).
import { describe, expect, it } from '@jest/globals';
import { selectQueryTargets, targetDurationMs, type ActivityRow, type QueryTargetOptions } from '../src/index.js';

const MIN = 5 * 60_000;
const OPTS: QueryTargetOptions = { database: 'a2a_world', minDurationMs: MIN, includeIdleInTransaction: false, includeSuperusers: false, allDatabases: false, max: 5 };

let nextPid = 1000;
function row(over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    pid: nextPid++,
    database: 'a2a_world',
    user: 'a2a_user',
    applicationName: 'api',
    backendType: 'client backend',
    state: 'active',
    backendStart: '1764590000000000',
    queryStart: '1764590100000000',
    queryMs: MIN + 60_000,
    stateMs: MIN + 60_000,
    superuser: false,
    own: false,
    waitEvent: null,
    query: 'SELECT pg_sleep(600)',
    ...over
  };
}

describe('selectQueryTargets', () => {
  it.each<[string, Partial<ActivityRow>, Partial<QueryTargetOptions>, 'target' | 'excluded' | 'ignored', string?]>([
    ['an active query over the limit is a target', {}, {}, 'target'],
    ['exactly at the limit is not (the runbook: query_start < now() - 5 minutes)', { queryMs: MIN }, {}, 'ignored'],
    ['one millisecond over the limit is', { queryMs: MIN + 1 }, {}, 'target'],
    ['a short query is ignored', { queryMs: 1000 }, {}, 'ignored'],
    ['its own session is never a target', { own: true }, {}, 'excluded', 'own session'],
    ['its own session stays excluded even with every opt-in', { own: true, superuser: true }, { includeSuperusers: true, allDatabases: true }, 'excluded', 'own session'],
    ['a walsender running a query is not a client backend', { backendType: 'walsender' }, {}, 'excluded', 'not a client backend'],
    ['an autovacuum worker is protected', { backendType: 'autovacuum worker', query: 'autovacuum: VACUUM public.patterns' }, {}, 'excluded', 'not a client backend'],
    ['a parallel or background worker is protected', { backendType: 'parallel worker' }, { includeSuperusers: true, allDatabases: true }, 'excluded', 'not a client backend'],
    ['a logical replication worker is protected', { backendType: 'logical replication worker' }, {}, 'excluded', 'not a client backend'],
    ['a session whose start times are hidden (no pg_monitor) is left alone', { backendStart: null, queryStart: null }, {}, 'excluded', 'not visible'],
    ['another database is left alone', { database: 'other_db' }, {}, 'excluded', 'other database'],
    ['another database is a target when all-databases is asked for', { database: 'other_db' }, { allDatabases: true }, 'target'],
    ['a superuser session is left alone', { superuser: true, user: 'postgres' }, {}, 'excluded', 'superuser'],
    ['a superuser session is a target when asked for', { superuser: true }, { includeSuperusers: true }, 'target'],
    ['a long pg_dump is a backup, left alone', { applicationName: 'pg_dump', query: 'COPY public.patterns TO stdout;' }, {}, 'excluded', 'backup'],
    ['the backup action’s session is left alone', { applicationName: 'a2a-ops backup' }, {}, 'excluded', 'backup'],
    ['a backup is a target when asked for', { applicationName: 'pg_dump' }, { includeBackups: true }, 'target'],
    ['idle in transaction is not a target by default', { state: 'idle in transaction', queryMs: MIN * 3, stateMs: MIN * 2 }, {}, 'ignored'],
    ['idle in transaction past the limit is when asked for', { state: 'idle in transaction', queryMs: MIN * 3, stateMs: MIN + 1 }, { includeIdleInTransaction: true }, 'target'],
    ['idle in transaction measures time idle, not the last query’s age', { state: 'idle in transaction', queryMs: MIN * 3, stateMs: MIN }, { includeIdleInTransaction: true }, 'ignored'],
    ['an active query stays a target when idle in transaction is asked for too', {}, { includeIdleInTransaction: true }, 'target'],
    ['an aborted transaction counts as idle in transaction', { state: 'idle in transaction (aborted)', stateMs: MIN + 1 }, { includeIdleInTransaction: true }, 'target'],
    ['an idle session is never a target', { state: 'idle', queryMs: MIN * 10, stateMs: MIN * 10 }, { includeIdleInTransaction: true }, 'ignored'],
    ['a row with no state (a background process) is ignored', { state: null, backendType: 'checkpointer' }, {}, 'ignored']
    // A rest parameter: jest would take a fifth named parameter for `done` on the rows without a reason.
  ])('%s', (_name, over, opts, expected, ...rest) => {
    const reason = rest[0];
    const r = row(over);
    const picked = selectQueryTargets([r], { ...OPTS, ...opts });
    const where = picked.targets.includes(r) ? 'target' : picked.excluded.some((e) => e.row === r) ? 'excluded' : 'ignored';
    expect(where).toBe(expected);
    if (reason) expect(picked.excluded.find((e) => e.row === r)?.reason).toBe(reason);
  });

  it('takes the longest first up to the cap and lists the rest as over the cap', () => {
    const rows = [row({ queryMs: MIN + 10 }), row({ queryMs: MIN + 30 }), row({ queryMs: MIN + 20 }), row({ queryMs: MIN + 40 })];
    const picked = selectQueryTargets(rows, { ...OPTS, max: 2 });
    expect(picked.targets.map((r) => r.queryMs)).toEqual([MIN + 40, MIN + 30]);
    expect(picked.overCap.map((r) => r.queryMs)).toEqual([MIN + 20, MIN + 10]);
  });

  it.each([
    [1, 1, 3],
    [4, 4, 0],
    [10, 4, 0]
  ])('with a cap of %i it signals %i of 4 and leaves %i over the cap', (max, targets, over) => {
    const picked = selectQueryTargets([row(), row(), row(), row()], { ...OPTS, max });
    expect([picked.targets.length, picked.overCap.length]).toEqual([targets, over]);
  });

  it('never counts protected sessions against the cap', () => {
    const picked = selectQueryTargets([row({ backendType: 'walsender', queryMs: MIN * 9 }), row({ superuser: true, queryMs: MIN * 8 }), row()], { ...OPTS, max: 1 });
    expect(picked.targets).toHaveLength(1);
    expect(picked.overCap).toHaveLength(0);
    expect(picked.excluded.map((e) => e.reason)).toEqual(['not a client backend', 'superuser']);
  });

  it('measures an active query by query_start and an idle transaction by its state change', () => {
    expect(targetDurationMs({ state: 'active', queryMs: 7, stateMs: 3 })).toBe(7);
    expect(targetDurationMs({ state: 'idle in transaction', queryMs: 7, stateMs: 3 })).toBe(3);
  });
});
