// The database checks word for word (issue 14, mutation testing): every field of every check, each
// message in its singular and plural, the thresholds at their edges, the order of listed sessions, the
// privilege note, the cache policy's floor and the default policy. Snapshots in, checks out.
import { describe, expect, it } from '@jest/globals';
import {
  classifyCache,
  classifyConnections,
  classifyDatabase,
  classifySessions,
  classifyStatements,
  classifyUnusedIndexes,
  DEFAULT_CACHE_HIT_POLICY,
  reachableCheck,
  unreachableCheck
} from '../src/health/database/classify-database.js';
import type { DatabaseSnapshot, SessionFact } from '../src/health/database/snapshot.js';

const T = { dbConnectionsWarnPercent: 80, dbConnectionsFail: 100, longQueryMs: 5 * 60_000 };
const MIN = 60_000;
const NOTE = '\n\nSome query texts are hidden: grant the checking role pg_monitor (or pg_read_all_stats) to see them.';

function session(over: Partial<SessionFact>): SessionFact {
  return {
    pid: 4242,
    database: 'a2a_world',
    user: 'a2a_user',
    application: 'api',
    client: '10.0.0.5',
    state: 'active',
    queryMs: 1000,
    stateMs: 1000,
    xactMs: 1000,
    waitEvent: null,
    blockedBy: [],
    query: 'SELECT 1',
    ...over
  };
}
const sessions = (list: SessionFact[]) => classifySessions('db', { ok: true, value: list }, T);

describe('reachability', () => {
  it('writes the reachable and unreachable checks in full', () => {
    expect(reachableCheck('db', { serverVersion: '15.18', connectMs: 4, database: 'a2a_world' })).toEqual({
      id: 'database:reachability', kind: 'database', target: 'db', status: 'ok', value: 4, unit: 'ms', message: "accepting connections: PostgreSQL 15.18, database 'a2a_world', connected in 4 ms"
    });
    expect(unreachableCheck('db', 'connection refused', 5000)).toEqual({ id: 'database:reachability', kind: 'database', target: 'db', status: 'fail', threshold: 'connects within 5000 ms', message: 'connection refused' });
  });
});

describe('connections, every field', () => {
  it.each([
    { total: 10, max: 40, reserved: 3, byState: { active: 1, idle: 9 }, status: 'ok', message: '10 connections (25 % of max_connections 40)', details: 'By state: active: 1, idle: 9' },
    { total: 1, max: 40, reserved: 3, byState: {}, status: 'ok', message: '1 connection (3 % of max_connections 40)', details: undefined },
    { total: 31, max: 40, reserved: 3, byState: {}, status: 'ok', message: '31 connections (78 % of max_connections 40)', details: undefined },
    { total: 32, max: 40, reserved: 3, byState: {}, status: 'warn', message: '32 connections: 80 % of max_connections 40, at or above the 80 % warning level', details: undefined },
    { total: 36, max: 40, reserved: 3, byState: {}, status: 'warn', message: '36 connections: 90 % of max_connections 40, at or above the 80 % warning level', details: undefined },
    { total: 37, max: 40, reserved: 3, byState: {}, status: 'fail', message: '37 connections: at the limit, new non-superuser connections are refused (93 % of max_connections 40, 3 reserved for superusers)', details: undefined },
    { total: 100, max: 500, reserved: 3, byState: {}, status: 'ok', message: '100 connections (20 % of max_connections 500)', details: undefined },
    { total: 101, max: 500, reserved: 3, byState: {}, status: 'fail', message: '101 connections: above the alert threshold of 100 (20 % of max_connections 500)', details: undefined },
    { total: 0, max: 0, reserved: 3, byState: {}, status: 'fail', message: '0 connections: at the limit, new non-superuser connections are refused (0 % of max_connections 0, 3 reserved for superusers)', details: undefined },
    { total: 2, max: 10, reserved: 0, byState: {}, status: 'ok', message: '2 connections (20 % of max_connections 10)', details: undefined }
  ])('$total of $max ($reserved reserved) is $status', ({ total, max, reserved, byState, status, message, details }) => {
    expect(classifyConnections('db', { ok: true, value: { total, maxConnections: max, reserved, byState: byState as Record<string, number> } }, T)).toEqual({
      id: 'database:connections',
      kind: 'database',
      target: 'db',
      status,
      value: total,
      unit: 'connections',
      threshold: `< 80 % of ${max}, <= 100`,
      message,
      details
    });
  });

  it('warns in full when pg_stat_activity could not be read', () => {
    expect(classifyConnections('db', { ok: false, error: 'permission denied' }, T)).toEqual({ id: 'database:connections', kind: 'database', target: 'db', status: 'warn', message: 'could not read pg_stat_activity: permission denied' });
  });
});

describe('sessions, every field', () => {
  it('writes three ok checks for a quiet server', () => {
    expect(sessions([session({}), session({ state: 'idle in transaction', stateMs: 5 * MIN }), session({ queryMs: 5 * MIN })])).toEqual([
      { id: 'database:long-queries', kind: 'database', target: 'db', status: 'ok', value: 0, unit: 'ms', threshold: '<= 5 min', message: 'no query has run longer than 5 min', details: undefined },
      { id: 'database:idle-in-transaction', kind: 'database', target: 'db', status: 'ok', value: 0, unit: 'sessions', threshold: 'idle in transaction <= 5 min', message: 'no session idle in a transaction longer than 5 min', details: undefined },
      { id: 'database:blocked-queries', kind: 'database', target: 'db', status: 'ok', value: 0, unit: 'sessions', threshold: 'none waiting on a lock', message: 'no query is waiting on a lock', details: undefined }
    ]);
  });

  it('warns three times when pg_stat_activity could not be read', () => {
    expect(classifySessions('db', { ok: false, error: 'timeout' }, T)).toEqual(
      ['database:long-queries', 'database:idle-in-transaction', 'database:blocked-queries'].map((id) => ({ id, kind: 'database', target: 'db', status: 'warn', message: 'could not read pg_stat_activity: timeout' }))
    );
  });

  it('lists long queries longest first, only active ones', () => {
    const [long] = sessions([
      session({ pid: 77, queryMs: 6 * MIN, query: 'SELECT pg_sleep(360)' }),
      session({ pid: 78, queryMs: 10 * MIN, query: 'SELECT pg_sleep(600)' }),
      session({ pid: 79, state: 'idle', queryMs: 20 * MIN }),
      session({ pid: 80, queryMs: 5 * MIN + 1, query: 'SELECT 3' })
    ]);
    expect(long).toEqual({
      id: 'database:long-queries',
      kind: 'database',
      target: 'db',
      status: 'fail',
      value: 10 * MIN,
      unit: 'ms',
      threshold: '<= 5 min',
      message: '3 queries have run longer than 5 min (longest: pid 78, 10 min)',
      details: [
        "- pid 78 · a2a_user@a2a_world · running 10 min · app 'api': SELECT pg_sleep(600)",
        "- pid 77 · a2a_user@a2a_world · running 6 min · app 'api': SELECT pg_sleep(360)",
        "- pid 80 · a2a_user@a2a_world · running 5 min · app 'api': SELECT 3"
      ].join('\n')
    });
  });

  it('words one long query in the singular', () => {
    expect(sessions([session({ pid: 77, queryMs: 6 * MIN })])[0].message).toBe('1 query has run longer than 5 min (longest: pid 77, 6 min)');
  });

  it('lists sessions idle in a transaction (aborted ones too), longest first', () => {
    const [, idle] = sessions([
      session({ pid: 90, state: 'idle in transaction', stateMs: 6 * MIN }),
      session({ pid: 91, state: 'idle in transaction (aborted)', stateMs: 9 * MIN }),
      session({ pid: 92, state: 'idle', stateMs: 60 * MIN })
    ]);
    expect(idle).toEqual({
      id: 'database:idle-in-transaction',
      kind: 'database',
      target: 'db',
      status: 'warn',
      value: 2,
      unit: 'sessions',
      threshold: 'idle in transaction <= 5 min',
      message: '2 sessions have sat idle in a transaction longer than 5 min (holding locks and old snapshots; longest: pid 91, 9 min)',
      details: ["- pid 91 · a2a_user@a2a_world · idle for 9 min · app 'api': SELECT 1", "- pid 90 · a2a_user@a2a_world · idle for 6 min · app 'api': SELECT 1"].join('\n')
    });
  });

  it('words one idle session in the singular', () => {
    expect(sessions([session({ pid: 90, state: 'idle in transaction', stateMs: 6 * MIN })])[1].message).toBe(
      '1 session has sat idle in a transaction longer than 5 min (holding locks and old snapshots; longest: pid 90, 6 min)'
    );
  });

  it('lists blocked sessions longest first, naming each blocking pid once', () => {
    const [, , blocked] = sessions([
      session({ pid: 101, queryMs: 2000, blockedBy: [100], waitEvent: 'Lock:transactionid' }),
      session({ pid: 103, queryMs: 4000, blockedBy: [100, 102], waitEvent: 'Lock:relation' })
    ]);
    expect(blocked).toEqual({
      id: 'database:blocked-queries',
      kind: 'database',
      target: 'db',
      status: 'warn',
      value: 2,
      unit: 'sessions',
      threshold: 'none waiting on a lock',
      message: '2 sessions are waiting on locks held by pid 100, 102',
      details: [
        "- pid 103 · a2a_user@a2a_world · waiting 4.0 s · app 'api' · waiting on Lock:relation · blocked by pid 100, 102: SELECT 1",
        "- pid 101 · a2a_user@a2a_world · waiting 2.0 s · app 'api' · waiting on Lock:transactionid · blocked by pid 100: SELECT 1"
      ].join('\n')
    });
  });

  it('words one blocked session in the singular', () => {
    expect(sessions([session({ blockedBy: [100] })])[2].message).toBe('1 session is waiting on locks held by pid 100');
  });

  it('adds the privilege note to every list when any session hides its text, and only then', () => {
    const hidden = session({ pid: 5, query: '<insufficient privilege>' });
    const listed = [session({ pid: 1, queryMs: 6 * MIN }), session({ pid: 2, state: 'idle in transaction', stateMs: 6 * MIN }), session({ pid: 3, blockedBy: [1] })];
    const line = (pid: number, what: string): string => `- pid ${pid} · a2a_user@a2a_world · ${what} · app 'api'${pid === 3 ? ' · blocked by pid 1' : ''}: SELECT 1`;
    const expected = [line(1, 'running 6 min'), line(2, 'idle for 6 min'), line(3, 'waiting 1.0 s')];
    expect(sessions([...listed, hidden]).map((c) => c.details)).toEqual(expected.map((d) => d + NOTE));
    expect(sessions(listed).map((c) => c.details)).toEqual(expected);
  });
});

describe('top queries, every field', () => {
  it.each([
    { name: 'a failed probe', probed: { ok: false as const, error: 'boom' }, check: { status: 'ok', message: 'top queries unavailable: boom' } },
    { name: 'no extension', probed: { ok: true as const, value: { available: false as const, reason: 'not installed' } }, check: { status: 'ok', message: 'top queries unavailable: not installed' } },
    { name: 'nothing recorded', probed: { ok: true as const, value: { available: true as const, top: [] } }, check: { status: 'ok', value: 0, message: 'pg_stat_statements has recorded no statements yet' } }
  ])('says so for $name', ({ probed, check }) => {
    expect(classifyStatements('db', probed as DatabaseSnapshot['statements'])).toEqual({ id: 'database:top-queries', kind: 'database', target: 'db', ...check });
  });

  it('lists the statements and cuts the first one to 60 characters in the message', () => {
    const long = `SELECT ${'agent_id, '.repeat(10)}1 FROM patterns`;
    const check = classifyStatements('db', {
      ok: true,
      value: { available: true, top: [{ query: long, calls: 900, totalMs: 4500.6, meanMs: 5.0011, rows: 901 }, { query: 'SELECT 2', calls: 3, totalMs: 12.4, meanMs: 4.136, rows: 0 }] }
    });
    expect(check).toEqual({
      id: 'database:top-queries',
      kind: 'database',
      target: 'db',
      status: 'ok',
      value: 4501,
      unit: 'ms',
      message: `top query by total time: ${long.slice(0, 59)}… (4501 ms in 900 calls)`,
      details: [`- 4501 ms total · 900 calls · 5.00 ms mean · 901 rows: ${long}`, '- 12 ms total · 3 calls · 4.14 ms mean · 0 rows: SELECT 2'].join('\n')
    });
  });
});

describe('cache hit rate, every field', () => {
  const cache = (blocksHit: number, blocksRead: number, statsSince: string | null = null, policy = DEFAULT_CACHE_HIT_POLICY) =>
    classifyCache('db', { ok: true, value: { blocksHit, blocksRead, statsSince } }, policy);
  const base = { id: 'database:cache-hit-rate', kind: 'database', target: 'db' };

  it.each([
    { hit: 0, read: 0, since: null, check: { status: 'ok', message: 'no blocks read yet' } },
    { hit: 0, read: 0, since: '2026-01-01', check: { status: 'ok', message: 'no blocks read yet since 2026-01-01' } },
    { hit: 900, read: 100, since: null, check: { status: 'ok', value: 90, unit: '%', threshold: '>= 99 %', message: '90 % cache hits over only 1000 block reads: too few to judge' } },
    { hit: 9000, read: 999, since: '2026-01-01', check: { status: 'ok', value: 90.01, unit: '%', threshold: '>= 99 %', message: '90.01 % cache hits over only 9999 block reads since 2026-01-01: too few to judge' } },
    { hit: 9900, read: 100, since: null, check: { status: 'ok', value: 99, unit: '%', threshold: '>= 99 %', message: '99 % of block reads hit the cache' } },
    { hit: 9899, read: 101, since: '2026-01-01', check: { status: 'warn', value: 98.99, unit: '%', threshold: '>= 99 %', message: '98.99 % of block reads hit the cache since 2026-01-01: below 99 %, the working set may not fit shared_buffers' } },
    { hit: 20_000, read: 10_000, since: null, check: { status: 'warn', value: 66.67, unit: '%', threshold: '>= 99 %', message: '66.67 % of block reads hit the cache: below 99 %, the working set may not fit shared_buffers' } }
  ])('$hit hits and $read reads', ({ hit, read, since, check }) => {
    expect(cache(hit, read, since)).toEqual({ ...base, ...check });
  });

  it('uses the given policy', () => {
    expect(cache(90, 10, null, { warnPercent: 95, minBlocks: 100 })).toMatchObject({ status: 'warn', threshold: '>= 95 %', message: '90 % of block reads hit the cache: below 95 %, the working set may not fit shared_buffers' });
  });

  it('warns in full when pg_stat_database could not be read', () => {
    expect(classifyCache('db', { ok: false, error: 'denied' }, DEFAULT_CACHE_HIT_POLICY)).toEqual({ ...base, status: 'warn', message: 'could not read pg_stat_database: denied' });
  });
});

describe('unused indexes, every field', () => {
  const base = { id: 'database:unused-indexes', kind: 'database', target: 'db', status: 'ok' };
  const idx = (index: string, sizeBytes: number) => ({ schema: 'public', table: 'patterns', index, sizeBytes });

  it.each([
    { indexes: [], since: null, check: { value: 0, message: 'every non-unique index has been used' } },
    { indexes: [], since: '2026-01-01', check: { value: 0, message: 'every non-unique index has been used since 2026-01-01' } },
    {
      indexes: [idx('a_idx', 81_920)],
      since: null,
      check: { value: 1, unit: 'indexes', message: '1 index never scanned (80 kB): candidates to drop after checking replicas and rare jobs', details: '- public.a_idx on patterns (80 kB)' }
    },
    {
      indexes: [idx('a_idx', 1024 * 1024), idx('b_idx', 512)],
      since: '2026-01-01',
      check: { value: 2, unit: 'indexes', message: '2 indexes never scanned since 2026-01-01 (1.0 MB): candidates to drop after checking replicas and rare jobs', details: '- public.a_idx on patterns (1.0 MB)\n- public.b_idx on patterns (512 B)' }
    }
  ])('$indexes.length indexes, since $since', ({ indexes, since, check }) => {
    expect(classifyUnusedIndexes('db', { ok: true, value: { indexes, statsSince: since } })).toEqual({ ...base, ...check });
  });

  it('warns in full when pg_stat_user_indexes could not be read', () => {
    expect(classifyUnusedIndexes('db', { ok: false, error: 'denied' })).toEqual({ ...base, status: 'warn', message: 'could not read pg_stat_user_indexes: denied' });
  });
});

describe('a whole snapshot', () => {
  it('judges the cache with the default policy (99 %, 10,000 blocks)', () => {
    const snapshot: DatabaseSnapshot = {
      serverVersion: '16.4',
      database: 'a2a_world',
      connectMs: 7,
      connections: { ok: true, value: { total: 3, maxConnections: 40, reserved: 3, byState: {} } },
      sessions: { ok: true, value: [] },
      statements: { ok: true, value: { available: false, reason: 'not installed' } },
      cache: { ok: true, value: { blocksHit: 9000, blocksRead: 1000, statsSince: null } },
      unusedIndexes: { ok: true, value: { indexes: [], statsSince: null } }
    };
    const checks = classifyDatabase('db', snapshot, T);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['database:reachability', 'ok'],
      ['database:connections', 'ok'],
      ['database:long-queries', 'ok'],
      ['database:idle-in-transaction', 'ok'],
      ['database:blocked-queries', 'ok'],
      ['database:top-queries', 'ok'],
      ['database:cache-hit-rate', 'warn'],
      ['database:unused-indexes', 'ok']
    ]);
    expect(checks[0].target).toBe('db');
  });
});
