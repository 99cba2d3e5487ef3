// The database checks' judgement, without a server: snapshots in, checks out.
import { describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret } from '../src/index.js';
import {
  classifyCache,
  classifyConnections,
  classifyDatabase,
  classifySessions,
  classifyStatements,
  classifyUnusedIndexes,
  DEFAULT_CACHE_HIT_POLICY
} from '../src/health/database/classify-database.js';
import { formatDuration } from '../src/health/database/format.js';
import { presentQuery, QUERY_TEXT_MAX } from '../src/health/database/query-text.js';
import type { DatabaseSnapshot, SessionFact } from '../src/health/database/snapshot.js';

const T = { dbConnectionsWarnPercent: 80, dbConnectionsFail: 100, longQueryMs: 5 * 60_000 };

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

describe('connections against max_connections and the runbook alert', () => {
  it.each([
    { total: 10, max: 40, reserved: 3, status: 'ok', says: '10 connections (25 % of max_connections 40)' },
    { total: 31, max: 40, reserved: 3, status: 'ok', says: '31 connections' },
    { total: 32, max: 40, reserved: 3, status: 'warn', says: 'at or above the 80 % warning level' },
    { total: 37, max: 40, reserved: 3, status: 'fail', says: 'at the limit, new non-superuser connections are refused' },
    { total: 101, max: 500, reserved: 3, status: 'fail', says: 'above the alert threshold of 100' },
    { total: 100, max: 500, reserved: 3, status: 'ok', says: '100 connections (20 %' }
  ])('$total of $max connections is $status', ({ total, max, reserved, status, says }) => {
    const check = classifyConnections('db', { ok: true, value: { total, maxConnections: max, reserved, byState: { active: 1 } } }, T);
    expect(check).toMatchObject({ id: 'database:connections', kind: 'database', status, value: total });
    expect(check.message).toContain(says);
  });

  it('uses the configured warning share and absolute limit', () => {
    const value = { total: 12, maxConnections: 40, reserved: 3, byState: {} };
    expect(classifyConnections('db', { ok: true, value }, { ...T, dbConnectionsWarnPercent: 25 }).status).toBe('warn');
    expect(classifyConnections('db', { ok: true, value }, { ...T, dbConnectionsFail: 11 }).status).toBe('fail');
  });

  it('warns, naming the reason, when pg_stat_activity could not be read', () => {
    const check = classifyConnections('db', { ok: false, error: 'permission denied for view pg_stat_activity' }, T);
    expect(check.status).toBe('warn');
    expect(check.message).toContain('permission denied');
  });
});

describe('sessions: long queries, idle in transaction, lock waits', () => {
  it('fails on a query running longer than the threshold and lists it with its pid', () => {
    const sessions = [session({ pid: 77, queryMs: 6 * 60_000, query: 'SELECT pg_sleep(900)' }), session({ pid: 78, queryMs: 2000 })];
    const [long] = classifySessions('db', { ok: true, value: sessions }, T);
    expect(long).toMatchObject({ id: 'database:long-queries', status: 'fail', value: 6 * 60_000 });
    expect(long.message).toContain('pid 77');
    expect(long.details).toContain('pid 77');
    expect(long.details).toContain('SELECT pg_sleep(900)');
    expect(long.details).not.toContain('pid 78');
  });

  it('does not count idle-in-transaction time as a long query, but warns about it', () => {
    const sessions = [session({ pid: 90, state: 'idle in transaction', queryMs: 9 * 60_000, stateMs: 9 * 60_000 })];
    const [long, idle] = classifySessions('db', { ok: true, value: sessions }, T);
    expect(long.status).toBe('ok');
    expect(idle).toMatchObject({ id: 'database:idle-in-transaction', status: 'warn', value: 1 });
    expect(idle.details).toContain('pid 90');
  });

  it('leaves a session idle in a transaction for less than the threshold alone', () => {
    const [, idle] = classifySessions('db', { ok: true, value: [session({ state: 'idle in transaction', stateMs: 1000 })] }, T);
    expect(idle.status).toBe('ok');
  });

  it('warns about a blocked query naming the blocking pid', () => {
    const sessions = [session({ pid: 101, blockedBy: [100], waitEvent: 'Lock:transactionid', query: 'UPDATE agents SET kind = $1' })];
    const [, , blocked] = classifySessions('db', { ok: true, value: sessions }, T);
    expect(blocked).toMatchObject({ id: 'database:blocked-queries', status: 'warn', value: 1 });
    expect(blocked.message).toContain('pid 100');
    expect(blocked.details).toContain('pid 101');
    expect(blocked.details).toContain('Lock:transactionid');
  });

  it('says how to see query text hidden for lack of privilege', () => {
    const [long] = classifySessions('db', { ok: true, value: [session({ queryMs: 10 * 60_000, query: '<insufficient privilege>' })] }, T);
    expect(long.details).toContain('pg_monitor');
  });

  it('lists at most ten sessions and counts the rest', () => {
    const many = Array.from({ length: 14 }, (_, i) => session({ pid: 1000 + i, queryMs: 10 * 60_000 }));
    const [long] = classifySessions('db', { ok: true, value: many }, T);
    expect(long.details?.split('\n').filter((l) => l.startsWith('- pid'))).toHaveLength(10);
    expect(long.details).toContain('and 4 more');
  });
});

describe('top queries, cache hit rate, unused indexes', () => {
  it('says pg_stat_statements is missing without failing', () => {
    const check = classifyStatements('db', { ok: true, value: { available: false, reason: 'the pg_stat_statements extension is not created' } });
    expect(check).toMatchObject({ id: 'database:top-queries', status: 'ok' });
    expect(check.message).toContain('not created');
  });

  it('lists the top statements by total time', () => {
    const check = classifyStatements('db', {
      ok: true,
      value: { available: true, top: [{ query: 'SELECT * FROM patterns WHERE agent_id = $1', calls: 900, totalMs: 4500, meanMs: 5, rows: 900 }] }
    });
    expect(check.status).toBe('ok');
    expect(check.message).toContain('SELECT * FROM patterns');
    expect(check.details).toContain('900 calls');
  });

  it.each([
    { hit: 995_000, read: 5_000, status: 'ok', says: '99.5 %' },
    { hit: 90_000, read: 10_000, status: 'warn', says: 'below 99 %' },
    { hit: 900, read: 100, status: 'ok', says: 'too few to judge' },
    { hit: 0, read: 0, status: 'ok', says: 'no blocks read yet' }
  ])('a cache of $hit hits and $read reads is $status', ({ hit, read, status, says }) => {
    const check = classifyCache('db', { ok: true, value: { blocksHit: hit, blocksRead: read, statsSince: null } }, DEFAULT_CACHE_HIT_POLICY);
    expect(check.status).toBe(status);
    expect(check.message).toContain(says);
  });

  it('reports never-scanned indexes by name and size, as information', () => {
    const check = classifyUnusedIndexes('db', {
      ok: true,
      value: { indexes: [{ schema: 'public', table: 'patterns', index: 'patterns_confidence_idx', sizeBytes: 81920 }], statsSince: '2026-01-01T00:00:00.000Z' }
    });
    expect(check).toMatchObject({ id: 'database:unused-indexes', status: 'ok', value: 1 });
    expect(check.details).toContain('public.patterns_confidence_idx on patterns (80 kB)');
    expect(check.message).toContain('since 2026-01-01');
  });
});

describe('a whole snapshot', () => {
  it('gives one check per aspect, all of kind database, with unique ids', () => {
    const snapshot: DatabaseSnapshot = {
      serverVersion: '15.18',
      database: 'a2a_world',
      connectMs: 4,
      connections: { ok: true, value: { total: 3, maxConnections: 40, reserved: 3, byState: { active: 1, idle: 2 } } },
      sessions: { ok: true, value: [] },
      statements: { ok: true, value: { available: false, reason: 'not installed' } },
      cache: { ok: true, value: { blocksHit: 10, blocksRead: 0, statsSince: null } },
      unusedIndexes: { ok: true, value: { indexes: [], statsSince: null } }
    };
    const checks = classifyDatabase('a2a_user@db:5432/a2a_world', snapshot, T);
    expect(checks.map((c) => c.id)).toEqual([
      'database:reachability',
      'database:connections',
      'database:long-queries',
      'database:idle-in-transaction',
      'database:blocked-queries',
      'database:top-queries',
      'database:cache-hit-rate',
      'database:unused-indexes'
    ]);
    expect(new Set(checks.map((c) => c.kind))).toEqual(new Set(['database']));
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
    expect(checks[0].message).toContain('PostgreSQL 15.18');
  });
});

describe('query text in reports', () => {
  it('scrubs registered secrets and password literals, and fits one short line', () => {
    clearSecretsForTest();
    registerSecret('s3cr3t-token-value');
    const text = presentQuery(`SELECT *\n  FROM t WHERE token = 's3cr3t-token-value';\nALTER ROLE app PASSWORD 'hunter2hunter2'`);
    expect(text).not.toContain('s3cr3t-token-value');
    expect(text).not.toContain('hunter2hunter2');
    expect(text).not.toContain('\n');
    expect(text).toContain("PASSWORD '***'");
    clearSecretsForTest();
  });

  it('cuts long queries with an ellipsis', () => {
    const text = presentQuery(`SELECT ${'x, '.repeat(200)} 1`);
    expect(text.length).toBe(QUERY_TEXT_MAX);
    expect(text.endsWith('…')).toBe(true);
  });

  it.each([
    [999, '999 ms'],
    [12_400, '12.4 s'],
    [300_000, '5 min'],
    [363_000, '6 min 3 s'],
    [7_500_000, '2 h 5 min']
  ])('formats %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
