// Mutation-testing tables for decide-apply.ts (issue 14): every blocker's id, target and whole message,
// what target holds back, which allow-changed entries count as used, and the edges of the
// allow-changed and transaction-control patterns.
import { describe, expect, it } from '@jest/globals';
import type { AppliedMigration } from '../src/engine/bookkeeping.js';
import { decideApply, parseAllowChanged, type AllowedChange } from '../src/migrations/decide-apply.js';
import type { MigrationFile } from '../src/migrations/read-migrations.js';

const dir = 'migrations';
const file = (version: string, name = 'm', checksum = `sum-${version}`): MigrationFile => ({ version, name, file: `${version}_${name}.sql`, checksum, text: 'select 1;' });
const row = (version: string, checksum: string | null = `sum-${version}`, name: string | null = 'm'): AppliedMigration => ({ version, name, checksum, appliedAt: null, durationMs: null });
const allow = (...entries: string[]): AllowedChange[] => parseAllowChanged(entries) as AllowedChange[];
const files = (...versions: string[]) => versions.map((v) => file(v));
const rows = (...versions: string[]) => versions.map((v) => row(v));

describe('blockers, whole', () => {
  const edited = [file('0001', 'm', 'abcdef1234567890'), file('0002')];
  const editedRows = [row('0001', 'old-sum')];
  it.each([
    {
      case: 'an edited applied file, no allow-changed',
      files: edited,
      rows: editedRows,
      opts: {},
      blockers: [
        {
          id: 'migration:0001:checksum',
          target: '0001_m.sql',
          message:
            "0001_m.sql was edited after it was applied (recorded checksum old-sum, file now abcdef123456): nothing was run. Restore the applied text and put the change in a new migration, or, if the edit is known to be harmless (a comment), pass 'allow-changed: 0001=abcdef123456'."
        }
      ]
    },
    {
      case: 'an edited applied file, allow-changed naming the file but pinning another checksum',
      files: edited,
      rows: editedRows,
      opts: { allowChanged: allow('0001_m.sql=deadbeef') },
      blockers: [
        {
          id: 'migration:0001:checksum',
          target: '0001_m.sql',
          message:
            "0001_m.sql was edited after it was applied (recorded checksum old-sum, file now abcdef123456): nothing was run. allow-changed '0001_m.sql=deadbeef' names it but pins a different checksum; the file now has abcdef1234567890."
        }
      ]
    },
    {
      case: 'an applied migration whose file vanished (row with a name)',
      files: files('0001'),
      rows: rows('0001', '0002'),
      opts: {},
      blockers: [{ id: 'migration:0002:file', target: '0002_m', message: 'version 0002 (m) is applied in the database but has no file in migrations: restore the file (renamed or deleted?) before applying anything.' }]
    },
    {
      case: 'an applied migration whose file vanished (row without a name)',
      files: files('0001'),
      rows: [row('0001'), row('0002', 'sum-0002', null)],
      opts: {},
      blockers: [{ id: 'migration:0002:file', target: '0002', message: 'version 0002 is applied in the database but has no file in migrations: restore the file (renamed or deleted?) before applying anything.' }]
    },
    {
      case: 'a pending file below the current version',
      files: files('0001', '0002', '0003'),
      rows: rows('0001', '0003'),
      opts: {},
      blockers: [
        {
          id: 'migration:0002:order',
          target: '0002_m.sql',
          message: '0002_m.sql is pending but numbered below the current version 0003: it would run out of order. Renumber it above 0003 (a new number, the same SQL).'
        }
      ]
    },
    {
      case: 'a target that names nothing: the last three files are offered',
      files: files('0001', '0002', '0003', '0004', '0005'),
      rows: [],
      opts: { target: '0009' },
      blockers: [{ id: 'migrations:target', target: '0009', message: 'target 0009 names no migration file in migrations and no applied version: give one of 0003, 0004, 0005.' }]
    },
    {
      case: 'a target with no files at all',
      files: [],
      rows: [],
      opts: { target: '1' },
      blockers: [{ id: 'migrations:target', target: '1', message: 'target 1 names no migration file in migrations and no applied version: give one of (none).' }]
    },
    {
      case: 'a target naming nothing while other versions are applied',
      files: files('0001'),
      rows: rows('0001'),
      opts: { target: '0009' },
      blockers: [{ id: 'migrations:target', target: '0009', message: 'target 0009 names no migration file in migrations and no applied version: give one of 0001.' }]
    },
    {
      case: 'versions of different widths with a text version column',
      files: files('9', '10'),
      rows: rows('9'),
      opts: {},
      blockers: [
        {
          id: 'migrations:version-width',
          target: 'migrations',
          message:
            "versions 10 and 9 sort differently as text: the runbook's 'SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1' would report 9 instead of 10. Number migrations with the same width (e.g. 0009, 0010)."
        }
      ]
    }
  ])('$case', ({ files, rows, opts, blockers }) => {
    const d = decideApply(files, { rows, versionIsText: true }, { dir, ...opts });
    expect(d.blockers).toEqual(blockers);
  });

  it('a target whose file vanished but which is applied names no missing target (only the missing file)', () => {
    const d = decideApply(files('0001'), { rows: rows('0001', '0002'), versionIsText: true }, { dir, target: '2' });
    expect(d.blockers.map((b) => b.id)).toEqual(['migration:0002:file']);
  });
});

describe('target: what runs and what is held back', () => {
  it.each([
    { case: 'no target: nothing held back', files: ['0001', '0002', '0003'], rows: [], target: undefined, apply: ['0001', '0002', '0003'], held: [] },
    { case: 'target in the middle', files: ['0001', '0002', '0003', '0004'], rows: ['0001'], target: '0003', apply: ['0002', '0003'], held: ['0004'] },
    { case: 'target early', files: ['0001', '0002', '0003', '0004'], rows: [], target: '2', apply: ['0001', '0002'], held: ['0003', '0004'] },
    { case: 'target at the newest', files: ['0001', '0002'], rows: [], target: '0002', apply: ['0001', '0002'], held: [] },
    { case: 'target already applied: the pending rest is held', files: ['0001', '0002', '0003'], rows: ['0001', '0002'], target: '0001', apply: [], held: ['0003'] }
  ])('$case', ({ files: fs, rows: rs, target, apply, held }) => {
    const d = decideApply(files(...fs), { rows: rows(...rs), versionIsText: false }, { dir, target });
    expect(d.toApply.map((f) => f.file)).toEqual(apply.map((v) => `${v}_m.sql`));
    expect(d.heldBack.map((f) => f.file)).toEqual(held.map((v) => `${v}_m.sql`));
    expect(d.blockers).toEqual([]);
  });
});

describe('allow-changed bookkeeping', () => {
  it.each([
    { case: 'the entry that accepted the edit is used, the other one is not', allowed: ['0001', '0002'], accepted: ['0001'], unused: ['0002'] },
    { case: 'accepted by file name', allowed: ['0001_m.sql'], accepted: ['0001_m.sql'], unused: [] },
    { case: 'accepted by a pinned checksum', allowed: ['0001=ABCDEF12'], accepted: ['0001=ABCDEF12'], unused: [] },
    { case: 'a pin to another checksum accepts nothing and stays unused', allowed: ['0001=deadbeef'], accepted: [], unused: ['0001=deadbeef'] }
  ])('$case', ({ allowed, accepted, unused }) => {
    const d = decideApply([file('0001', 'm', 'abcdef1234567890')], { rows: [row('1', 'old-sum')], versionIsText: false }, { dir, allowChanged: allow(...allowed) });
    expect(d.acceptedEdits.map((e) => [e.entry.file, e.by, e.rowVersion])).toEqual(accepted.map((by) => ['0001_m.sql', by, '1']));
    expect(d.unusedAllowances).toEqual(unused);
  });
});

describe('parseAllowChanged anchors the whole entry', () => {
  it.each([['x0003'], ['v0003_add.sql'], ['0003x'], ['0003_add.sql.bak']])('refuses %j', (entry) => {
    expect(parseAllowChanged([entry])).toEqual({ error: entry });
  });
});

describe('transaction control, edges', () => {
  it.each([
    ['START with several spaces before TRANSACTION', 'start   transaction;\nSELECT 1;', 'migration:0001:transaction-control'],
    ['START and TRANSACTION on two lines', 'START\nTRANSACTION;\nSELECT 1;', 'migration:0001:transaction-control'],
    ['a COMMIT whose comment mentions ROLLBACK PREPARED', 'SELECT 1;\nCOMMIT /* not a ROLLBACK PREPARED */;', 'migration:0001:transaction-control'],
    ['ROLLBACK PREPARED (two-phase commit, not this transaction)', "ROLLBACK PREPARED 'tx1';", undefined],
    ['ROLLBACK PREPARED with two spaces', "rollback  prepared 'tx1';", undefined],
    ['ROLLBACK PREPARED across lines', "ROLLBACK\n  PREPARED 'tx1';", undefined]
  ])('%s', (_case, text, blocker) => {
    const d = decideApply([{ ...file('0001'), text }], { rows: [], versionIsText: false }, { dir });
    expect(d.blockers.map((b) => b.id)).toEqual(blocker ? [blocker] : []);
  });
});
