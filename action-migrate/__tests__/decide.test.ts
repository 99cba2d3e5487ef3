// The decision code, table by table: statement splitting, checksums, version order, what apply would
// run or refuse (allow-changed, target, out of order, the runbook's text ordering), error positions.
import { describe, expect, it } from '@jest/globals';
import { describeMigrationError, isConnectionLoss, isLockTimeout } from '../src/engine/database-error.js';
import { verificationChecks } from '../src/engine/verify-database.js';
import { splitCommand } from '../src/inputs.js';
import { migrationChecksum, normaliseMigrationText, rawChecksum } from '../src/migrations/checksum.js';
import { decideApply, parseAllowChanged, runbookOrderProblem, type AllowedChange } from '../src/migrations/decide-apply.js';
import { hasNoTransactionMarker } from '../src/migrations/markers.js';
import { planStatus } from '../src/migrations/plan-status.js';
import type { MigrationFile } from '../src/migrations/read-migrations.js';
import { splitStatements } from '../src/migrations/split-statements.js';
import { compareVersions, versionKey } from '../src/migrations/versions.js';
import type { AppliedMigration } from '../src/engine/bookkeeping.js';

const file = (version: string, name = 'm', checksum = `sum-${version}`): MigrationFile => ({ version, name, file: `${version}_${name}.sql`, checksum, text: 'select 1;' });
const row = (version: string, checksum: string | null = `sum-${version}`): AppliedMigration => ({ version, name: 'm', checksum, appliedAt: null, durationMs: null });
const allow = (...entries: string[]): AllowedChange[] => parseAllowChanged(entries) as AllowedChange[];

describe('splitStatements', () => {
  it.each([
    ['two plain statements', 'CREATE TABLE a (i int);\nCREATE TABLE b (i int);\n', ['CREATE TABLE a (i int)', 'CREATE TABLE b (i int)'], [1, 2]],
    ['a semicolon inside a string', "INSERT INTO a VALUES ('x;y');\nSELECT 1;", ["INSERT INTO a VALUES ('x;y')", 'SELECT 1'], [1, 2]],
    ['doubled quotes', "SELECT 'it''s; fine';SELECT 2", ["SELECT 'it''s; fine'", 'SELECT 2'], [1, 1]],
    ['E-strings with backslash escapes', "SELECT E'a\\';b';SELECT 3;", ["SELECT E'a\\';b'", 'SELECT 3'], [1, 1]],
    ['quoted identifiers', 'CREATE TABLE "we;ird" (i int); SELECT 1;', ['CREATE TABLE "we;ird" (i int)', 'SELECT 1'], [1, 1]],
    ['dollar-quoted function bodies', 'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT f();', ['CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql', 'SELECT f()'], [1, 2]],
    ['$$ bodies and $1 parameters', 'DO $$ BEGIN PERFORM 1; END $$;\nPREPARE p AS SELECT $1;', ['DO $$ BEGIN PERFORM 1; END $$', 'PREPARE p AS SELECT $1'], [1, 2]],
    ['line and nested block comments', '-- a; comment\n/* outer /* inner; */ still; */\nSELECT 1; -- tail;\n', ['SELECT 1'], [3]],
    ['a last statement without semicolon', 'SELECT 1;\n\n  SELECT 2', ['SELECT 1', 'SELECT 2'], [1, 3]],
    ['only comments', '-- migrate:no-transaction\n-- nothing\n', [], []],
    [
      'a BEGIN ATOMIC body with CASE inside',
      'CREATE FUNCTION f(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; SELECT 2; END;\nSELECT 3;',
      ['CREATE FUNCTION f(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; SELECT 2; END', 'SELECT 3'],
      [1, 2]
    ],
    ['BEGIN as a transaction is not a body', 'BEGIN;\nSELECT 1;\nCOMMIT;', ['BEGIN', 'SELECT 1', 'COMMIT'], [1, 2, 3]]
  ])('%s', (_case, sql, texts, lines) => {
    const s = splitStatements(sql);
    expect(s.map((x) => x.text)).toEqual(texts);
    expect(s.map((x) => x.line)).toEqual(lines);
  });
});

describe('checksums', () => {
  it.each([
    ['LF', 'select 1;\nselect 2;\n'],
    ['CRLF', 'select 1;\r\nselect 2;\r\n'],
    ['CR', 'select 1;\rselect 2;\r'],
    ['BOM and CRLF', '\uFEFFselect 1;\r\nselect 2;\r\n']
  ])('%s gives the same checksum as the LF text', (_case, text) => {
    expect(normaliseMigrationText(text)).toBe('select 1;\nselect 2;\n');
    expect(migrationChecksum(text)).toBe(rawChecksum('select 1;\nselect 2;\n'));
  });

  it('still tells a real edit apart', () => {
    expect(migrationChecksum('select 1;\n')).not.toBe(migrationChecksum('select 2;\n'));
  });

  it('matches a row recorded from the raw bytes of a CRLF file (the first status version) as unchanged', () => {
    const text = 'select 1;\r\n';
    const f = { ...file('0001'), checksum: migrationChecksum(text), rawChecksum: rawChecksum(text) };
    expect(planStatus([f], [row('0001', rawChecksum(text))]).changed).toHaveLength(0);
  });
});

describe('versions and markers', () => {
  it.each([
    ['0009', '0010', -1],
    ['10', '9', 1],
    ['0001', '1', 0],
    ['20260101120000', '20251231235959', 1]
  ])('compareVersions(%s, %s) = %i', (a, b, want) => {
    expect(Math.sign(compareVersions(a, b))).toBe(want);
  });

  it.each([
    ['0001', '1'],
    ['000', '0']
  ])('versionKey(%s) = %s', (v, k) => expect(versionKey(v)).toBe(k));

  it.each([
    ['-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);', true],
    ['  --migrate:no-transaction  \nSELECT 1;', true],
    ['SELECT 1; -- migrate:no-transaction', false],
    ['-- migrate:no-transactions\n', false]
  ])('marker in %j: %s', (text, want) => expect(hasNoTransactionMarker(text)).toBe(want));
});

describe('decideApply', () => {
  const dir = 'migrations';
  it.each([
    { case: 'fresh database: everything, in order', files: ['0002', '0001', '0003'], rows: [], target: undefined, apply: ['0001', '0002', '0003'], blockers: [] },
    { case: 'partly applied', files: ['0001', '0002', '0003'], rows: ['0001'], target: undefined, apply: ['0002', '0003'], blockers: [] },
    { case: 'up to date', files: ['0001', '0002'], rows: ['0001', '0002'], target: undefined, apply: [], blockers: [] },
    { case: 'target in the middle', files: ['0001', '0002', '0003', '0004'], rows: ['0001'], target: '0003', apply: ['0002', '0003'], blockers: [] },
    { case: 'target written without zeros', files: ['0001', '0002', '0003'], rows: [], target: '2', apply: ['0001', '0002'], blockers: [] },
    { case: 'target already applied', files: ['0001', '0002'], rows: ['0001', '0002'], target: '0001', apply: [], blockers: [] },
    { case: 'target that names nothing', files: ['0001'], rows: [], target: '0009', apply: ['0001'], blockers: ['migrations:target'] },
    { case: 'a pending file below the current version', files: ['0001', '0002', '0003'], rows: ['0001', '0003'], target: undefined, apply: ['0002'], blockers: ['migration:0002:order'] },
    { case: 'an applied file that vanished', files: ['0001'], rows: ['0001', '0002'], target: undefined, apply: [], blockers: ['migration:0002:file'] },
    { case: 'versions of different widths (text order breaks the runbook query)', files: ['9', '10'], rows: ['9'], target: undefined, apply: ['10'], blockers: ['migrations:version-width'] }
  ])('$case', ({ files, rows, target, apply, blockers }) => {
    const d = decideApply(files.map((v) => file(v)), { rows: rows.map((v) => row(v)), versionIsText: true }, { target, dir });
    expect(d.toApply.map((m) => m.version)).toEqual(apply);
    expect(d.blockers.map((b) => b.id)).toEqual(blockers);
  });

  it.each([
    ['CREATE TABLE a (i int);\nCOMMIT;\nCREATE TABLE b (i int);\n', 'COMMIT', 2],
    ['BEGIN;\nCREATE TABLE a (i int);\n', 'BEGIN', 1],
    ['start transaction;\nSELECT 1;', 'START TRANSACTION', 1]
  ])('refuses a transactional file with its own transaction control: %j', (text, word, line) => {
    const f = { ...file('0001'), text };
    const d = decideApply([f], { rows: [], versionIsText: true }, { dir });
    expect(d.blockers.map((b) => b.id)).toEqual(['migration:0001:transaction-control']);
    expect(d.blockers[0].message).toContain(`0001_m.sql:${line} has its own '${word}'`);
  });

  it.each([
    ['DO $$ BEGIN PERFORM 1; END $$;'],
    ['CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;'],
    ["SELECT 'COMMIT;';"]
  ])('does not mistake %j for transaction control', (text) => {
    const d = decideApply([{ ...file('0001'), text }], { rows: [], versionIsText: true }, { dir });
    expect(d.blockers).toEqual([]);
  });

  it('leaves transaction control alone in a migrate:no-transaction file', () => {
    const d = decideApply([{ ...file('0001'), text: 'BEGIN;\nSELECT 1;\nCOMMIT;', noTransaction: true }], { rows: [], versionIsText: true }, { dir });
    expect(d.blockers).toEqual([]);
  });

  it('accepts different widths when the version column is numeric', () => {
    const d = decideApply([file('9'), file('10')], { rows: [row('9')], versionIsText: false }, { dir });
    expect(d.blockers).toEqual([]);
  });

  it.each([
    { case: 'no allow-changed: refused, naming the file and the way out', allowed: [], blocked: true, says: "0001_m.sql was edited after it was applied" },
    { case: 'by version', allowed: ['0001'], blocked: false, says: '' },
    { case: 'by version without zeros', allowed: ['1'], blocked: false, says: '' },
    { case: 'by file name', allowed: ['0001_m.sql'], blocked: false, says: '' },
    { case: 'pinned to the new checksum', allowed: ['0001=abcdef12'], blocked: false, says: '' },
    { case: 'pinned to a different checksum', allowed: ['0001=deadbeef'], blocked: true, says: 'pins a different checksum' },
    { case: 'naming another migration', allowed: ['0002'], blocked: true, says: "allow-changed: 0001=abcdef12" }
  ])('an edited applied file, allow-changed $case', ({ allowed, blocked, says }) => {
    const d = decideApply([file('0001', 'm', 'abcdef1234567890'), file('0002')], { rows: [row('0001', 'old-sum')], versionIsText: true }, { allowChanged: allow(...allowed), dir });
    expect(d.blockers.length > 0).toBe(blocked);
    if (blocked) expect(d.blockers[0].message).toContain(says);
    else expect(d.acceptedEdits.map((e) => e.entry.version)).toEqual(['0001']);
    expect(d.toApply.map((m) => m.version)).toEqual(['0002']);
  });

  it('lists allow-changed entries that matched nothing', () => {
    const d = decideApply([file('0001')], { rows: [row('0001')], versionIsText: true }, { allowChanged: allow('0001'), dir });
    expect(d.unusedAllowances).toEqual(['0001']);
  });
});

describe('parseAllowChanged', () => {
  it.each([
    [['0003'], [{ entry: '0003', match: '3' }]],
    [['0003_add_index.sql'], [{ entry: '0003_add_index.sql', match: '0003_add_index.sql' }]],
    [['0003=ABCDEF12'], [{ entry: '0003=ABCDEF12', match: '3', checksumPrefix: 'abcdef12' }]]
  ])('%j', (entries, want) => expect(parseAllowChanged(entries)).toEqual(want));

  it.each([['add_index'], ['0003=abc'], ['../0003.sql'], ['0003 ; drop']])('refuses %j', (entry) => {
    expect(parseAllowChanged([entry])).toEqual({ error: entry });
  });
});

describe('runbookOrderProblem', () => {
  it.each([
    [['0001', '0002', '0010'], undefined],
    [['9', '10'], { numericMax: '10', textMax: '9' }],
    [['0009', '10'], undefined],
    [['1'], undefined]
  ])('%j', (versions, want) => expect(runbookOrderProblem(versions)).toEqual(want));
});

describe('describeMigrationError', () => {
  const fileText = 'CREATE TABLE a (i int);\nINSERT INTO a VALUES (1);\nINSERT INTO nope VALUES (2);\n';
  it('turns the server position into file:line:column with the hint and SQLSTATE', () => {
    const error = Object.assign(new Error('relation "nope" does not exist'), { code: '42P01', position: String(fileText.indexOf('nope') + 1), hint: 'Create it first.' });
    expect(describeMigrationError(error, { file: '0002_x.sql', fileText, sentOffset: 0, sentText: fileText })).toBe(
      '0002_x.sql:3:13: relation "nope" does not exist (SQLSTATE 42P01). Hint: Create it first.'
    );
  });

  it('offsets the position of a statement sent alone', () => {
    const offset = fileText.indexOf('INSERT INTO nope');
    const sent = 'INSERT INTO nope VALUES (2)';
    const error = Object.assign(new Error('relation "nope" does not exist'), { code: '42P01', position: '13' });
    expect(describeMigrationError(error, { file: 'f.sql', fileText, sentOffset: offset, sentText: sent })).toContain('f.sql:3:13:');
  });

  it.each([
    [{ code: '55P03', message: 'canceling statement due to lock timeout' }, true, false],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, false, true],
    [new Error('Connection terminated unexpectedly'), false, true],
    [{ code: '23505', message: 'duplicate key' }, false, false]
  ])('classifies %j: lock timeout %s, connection loss %s', (error, lock, lost) => {
    expect(isLockTimeout(error)).toBe(lock);
    expect(isConnectionLoss(error)).toBe(lost);
  });
});

describe('verificationChecks', () => {
  const ctx = { target: 'u@h/db', dir: 'migrations', expected: '0002' };
  it.each([
    { case: 'at the newest file', runbook: '0002', rows: ['0001', '0002'], status: 'ok' },
    { case: 'behind', runbook: '0001', rows: ['0001'], status: 'fail' },
    { case: 'no table', runbook: null, rows: [], status: 'fail' }
  ])('$case: $status', ({ runbook, rows, status }) => {
    const checks = verificationChecks(planStatus([file('0001'), file('0002')], rows.map((v) => row(v))), runbook, [], ctx);
    expect(checks.find((c) => c.id === 'migrations:version')?.status).toBe(status);
  });

  it('fails on an INVALID index', () => {
    const checks = verificationChecks(planStatus([file('0001')], [row('0001')]), '0001', ['index x is INVALID'], { ...ctx, expected: '0001' });
    expect(checks.find((c) => c.id === 'migrations:invalid-indexes')?.status).toBe('fail');
  });
});

describe('splitCommand (exec-command)', () => {
  it.each([
    ['python database/scripts/migration_manager.py --apply', ['python', 'database/scripts/migration_manager.py', '--apply']],
    [`python -c "print('x y')"`, ['python', '-c', "print('x y')"]],
    ["manage.py migrate --database 'main db'", ['manage.py', 'migrate', '--database', 'main db']]
  ])('%s', (raw, want) => expect(splitCommand(raw, 'exec-command')).toEqual(want));

  it.each(['migrate; rm -rf /', 'migrate && echo', 'migrate | tee', 'echo $HOME', 'echo `id`', 'cat > x', "unclosed 'quote"])('refuses %j', (raw) => {
    expect(() => splitCommand(raw, 'exec-command')).toThrow(/Input 'exec-command'/);
  });
});
