// Where each migration stands: files on disk against rows in schema_migrations (pure).
import { describe, expect, it } from '@jest/globals';
import { planStatus } from '../src/migrations/plan-status.js';
import type { AppliedMigration } from '../src/engine/bookkeeping.js';
import type { MigrationFile } from '../src/migrations/read-migrations.js';
import { reportStatus } from '../src/report/report-status.js';

const file = (version: string, name: string, checksum = `sum-${version}`): MigrationFile => ({ version, name, file: `${version}_${name}.sql`, checksum });
const row = (version: string, checksum: string | null = `sum-${version}`, name: string | null = 'x'): AppliedMigration => ({
  version,
  name,
  checksum,
  appliedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 5
});

describe('planStatus', () => {
  it.each([
    { case: 'nothing applied', files: [file('0001', 'init'), file('0002', 'idx')], rows: [], current: null, pending: 2, changed: 0, missing: 0 },
    { case: 'all applied', files: [file('0001', 'init'), file('0002', 'idx')], rows: [row('0001'), row('0002')], current: '0002', pending: 0, changed: 0, missing: 0 },
    { case: 'one pending', files: [file('0001', 'init'), file('0002', 'idx')], rows: [row('0001')], current: '0001', pending: 1, changed: 0, missing: 0 },
    { case: 'an edited applied file', files: [file('0001', 'init', 'new')], rows: [row('0001', 'old')], current: '0001', pending: 0, changed: 1, missing: 0 },
    { case: 'a vanished applied file', files: [file('0001', 'init')], rows: [row('0001'), row('0002')], current: '0002', pending: 0, changed: 0, missing: 1 },
    { case: 'versions matched numerically', files: [file('0001', 'init'), file('0010', 'ten')], rows: [row('1', 'sum-0001'), row('10', 'sum-0010')], current: '10', pending: 0, changed: 0, missing: 0 }
  ])('$case', ({ files, rows, current, pending, changed, missing }) => {
    const s = planStatus(files, rows);
    expect(s.current).toBe(current);
    expect(s.pending).toHaveLength(pending);
    expect(s.changed).toHaveLength(changed);
    expect(s.missing).toHaveLength(missing);
    expect(s.applied).toHaveLength(rows.length);
  });

  it('orders 0010 after 0009, not after 0001', () => {
    const s = planStatus([file('0010', 'b'), file('0009', 'a'), file('0001', 'z')], []);
    expect(s.entries.map((e) => e.version)).toEqual(['0001', '0009', '0010']);
  });

  it('marks a pending migration numbered below the current version as out of order', () => {
    const s = planStatus([file('0001', 'a'), file('0002', 'late'), file('0003', 'c')], [row('0001'), row('0003')]);
    expect(s.pending.map((e) => [e.version, e.outOfOrder])).toEqual([['0002', true]]);
  });

  it('cannot verify rows without a recorded checksum, and does not call them edited', () => {
    const s = planStatus([file('0001', 'init')], [row('0001', null)]);
    expect(s.changed).toHaveLength(0);
    expect(s.unverified.map((e) => e.version)).toEqual(['0001']);
  });
});

describe('reportStatus', () => {
  const ctx = { target: 'u@h:5432/db', dir: 'migrations', tableExists: true, missingColumns: [] };

  it.each([
    { case: 'up to date', files: [file('0001', 'a')], rows: [row('0001')], status: ['ok'], current: '0001', pending: '0' },
    { case: 'pending', files: [file('0001', 'a'), file('0002', 'b')], rows: [row('0001')], status: ['warn'], current: '0001', pending: '1' },
    { case: 'edited', files: [file('0001', 'a', 'changed')], rows: [row('0001')], status: ['fail', 'ok'], current: '0001', pending: '0' },
    { case: 'missing', files: [], rows: [row('0007')], status: ['fail', 'ok'], current: '0007', pending: '0' }
  ])('$case gives checks $status and outputs current=$current pending=$pending', ({ files, rows, status, current, pending }) => {
    const parts = reportStatus(planStatus(files, rows), ctx);
    expect(parts.checks.map((c) => c.status)).toEqual(status);
    expect(parts.outputs).toEqual({ current, pending, applied: String(rows.length), 'current-version': current, 'pending-count': pending, 'applied-count': String(rows.length) });
  });

  it('names the edited file and both checksums, under a stable issue key', () => {
    const parts = reportStatus(planStatus([file('0003', 'add_idx', 'b'.repeat(64))], [row('0003', 'a'.repeat(64))]), ctx);
    expect(parts.checks[0]).toMatchObject({ id: 'migration:0003:checksum', status: 'fail', kind: 'migration' });
    expect(parts.checks[0].message).toContain('0003_add_idx.sql was edited after it was applied');
    expect(parts.checks[0].message).toContain('a'.repeat(12));
    expect(parts.checks[0].message).toContain('b'.repeat(12));
  });

  it('draws a table of every migration, with pipes in names escaped', () => {
    const parts = reportStatus(planStatus([file('0001', 'a')], [row('0001'), row('0002', 'x', 'evil|name')]), ctx);
    expect(parts.sections[0].markdown).toContain('| 0001 | a | ✅ applied |');
    expect(parts.sections[0].markdown).toContain('evil\\|name');
    expect(parts.sections[0].markdown).toContain('❌ file missing');
  });

  it('notes a missing bookkeeping table', () => {
    const parts = reportStatus(planStatus([file('0001', 'a')], []), { ...ctx, tableExists: false });
    expect(parts.notes.join(' ')).toContain('no schema_migrations table');
  });
});
