// The query killer's exclusions as the report shows them: each reason's detail text word for word
// (unknown values as '?'), either start time hidden is enough to protect a row, and sessions of equal
// duration are ordered by pid.
import { describe, expect, it } from '@jest/globals';
import { selectQueryTargets, type ActivityRow, type QueryTargetOptions } from '../src/index.js';

const MIN = 5 * 60_000;
const OPTS: QueryTargetOptions = { database: 'a2a_world', minDurationMs: MIN, includeIdleInTransaction: false, includeSuperusers: false, allDatabases: false, max: 5 };
const row = (over: Partial<ActivityRow> = {}): ActivityRow => ({
  pid: 2000,
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
});
const HIDDEN = 'its start times are hidden from this role (grant it pg_monitor or pg_read_all_stats)';

describe('selectQueryTargets exclusion details', () => {
  it.each<[string, Partial<ActivityRow>, string, string]>([
    ['its own session', { own: true }, 'own session', 'this run’s own session'],
    ['a walsender', { backendType: 'walsender' }, 'not a client backend', 'walsender'],
    ['an empty backend type', { backendType: '' }, 'not a client backend', 'unknown backend type'],
    ['a hidden backend start', { backendStart: null }, 'not visible', HIDDEN],
    ['a hidden query start', { queryStart: null }, 'not visible', HIDDEN],
    ['another database', { database: 'other' }, 'other database', "database 'other'"],
    ['an unknown database', { database: null }, 'other database', "database '?'"],
    ['a superuser', { superuser: true, user: 'postgres' }, 'superuser', "superuser 'postgres'"],
    ['a superuser of unknown name', { superuser: true, user: null }, 'superuser', "superuser '?'"],
    ['a backup', { applicationName: 'pg_dump' }, 'backup', "a backup (application 'pg_dump')"]
  ])('%s: %s, %p', (_what, over, reason, detail) => {
    const r = row(over);
    const { targets, excluded } = selectQueryTargets([r], OPTS);
    expect(targets).toEqual([]);
    expect(excluded).toEqual([{ row: r, reason, detail }]);
  });

  it('orders sessions of equal duration by pid, lowest first', () => {
    const rows = [row({ pid: 30 }), row({ pid: 10 }), row({ pid: 20 })];
    expect(selectQueryTargets(rows, OPTS).targets.map((r) => r.pid)).toEqual([10, 20, 30]);
  });
});
