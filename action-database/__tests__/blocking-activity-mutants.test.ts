// Mutation-testing table for vacuum/blocking-activity.ts (issue 14): which sessions stop a VACUUM run (a
// backup by application_name in a client backend or walsender, another client's active VACUUM or vacuumdb),
// the line each is reported with, and that every one of several is found in order.
import { describe, expect, it } from '@jest/globals';
import type { ActivityRow } from '../../shared/src/index.js';
import { findBlockingActivity } from '../src/vacuum/blocking-activity.js';
import { activityRow as activity } from '../../test-support/sample-rows.js';

describe('findBlockingActivity: one session', () => {
  it.each<[string, Partial<ActivityRow>, string | undefined]>([
    ['pg_dump in a client backend', { pid: 11, applicationName: 'pg_dump' }, "backup: pid 11: a backup (application 'pg_dump', client backend) is running"],
    ['pg_basebackup’s walsender', { pid: 12, applicationName: 'pg_basebackup', backendType: 'walsender' }, "backup: pid 12: a backup (application 'pg_basebackup', walsender) is running"],
    ['a backup name in a background worker does not count', { applicationName: 'pg_dump', backendType: 'background worker' }, undefined],
    ['a walsender of a replica (not a backup) does not count', { applicationName: 'walreceiver', backendType: 'walsender', query: 'VACUUM' }, undefined],
    ['a backup that is its own session does not count', { applicationName: 'pg_dump', own: true }, undefined],
    ['another VACUUM', { pid: 13, query: 'VACUUM (ANALYZE) public.patterns' }, "vacuum: pid 13: another VACUUM is running (application 'api')"],
    ['another VACUUM from a nameless client', { pid: 14, applicationName: '', query: '  vacuum verbose' }, "vacuum: pid 14: another VACUUM is running (application '-')"],
    ['vacuumdb, whatever it runs', { pid: 15, applicationName: 'vacuumdb', query: 'SELECT 1' }, "vacuum: pid 15: another VACUUM is running (application 'vacuumdb')"],
    ['vacuumdb idle between tables does not count', { applicationName: 'vacuumdb', state: 'idle' }, undefined],
    ['a VACUUM with no visible state does not count', { query: 'VACUUM', state: null }, undefined],
    ['a VACUUM in a background worker does not count', { query: 'VACUUM', backendType: 'background worker' }, undefined],
    ['a VACUUM in a walsender does not count', { query: 'VACUUM', backendType: 'walsender' }, undefined],
    ['VACUUMING is not VACUUM', { query: 'VACUUMING' }, undefined],
    ['a SELECT then VACUUM text is not one', { query: 'SELECT 1; VACUUM' }, undefined]
  ])('%s', (_name, over, expected) => {
    const found = findBlockingActivity([activity(over)]);
    expect(found.map((b) => `${b.kind}: ${b.why}`)).toEqual(expected ? [expected] : []);
    if (expected) expect(found[0].row.pid).toBe(over.pid);
  });
});

describe('findBlockingActivity: several sessions', () => {
  it('finds each in order, passing over the ordinary ones', () => {
    const rows = [
      activity({ pid: 1, query: 'VACUUM' }),
      activity({ pid: 2 }),
      activity({ pid: 3, applicationName: 'a2a-ops backup' }),
      activity({ pid: 4, own: true, query: 'VACUUM' }),
      activity({ pid: 5, applicationName: 'pg_dump', query: 'VACUUM' })
    ];
    expect(findBlockingActivity(rows).map((b) => `${b.row.pid} ${b.kind}`)).toEqual(['1 vacuum', '3 backup', '5 backup']);
  });

  it('finds nothing in an empty server', () => {
    expect(findBlockingActivity([])).toEqual([]);
  });
});
