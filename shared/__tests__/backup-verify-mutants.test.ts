// Backup verification's verdicts word for word (issue 14, mutation testing): the checksum check's whole
// result for each way a file goes bad, row-count differences in name order, the metadata refusals and
// what counts as verified, the pg_dump version check and the archive-listing match.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKUP_METADATA_FORMAT,
  BackupError,
  BackupMetadataError,
  assertClientNotOlder,
  byTable,
  checkBackupChecksum,
  compareRowCounts,
  isVerified,
  metadataPathFor,
  parseBackupMetadata,
  parseClientVersion,
  tableDataEntry,
  tablesMissingFromArchive,
  type BackupMetadata
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'a2a-backup-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function metadata(content: Buffer, over: Partial<BackupMetadata> = {}): BackupMetadata {
  return {
    format: BACKUP_METADATA_FORMAT,
    kind: 'database',
    file: 'b.dump.zst',
    label: 'a2a_world',
    createdAt: '2026-12-01T03:00:00.000Z',
    sizeBytes: content.length,
    sha256: sha(content),
    durationMs: 1200,
    content: 'pg_dump-custom',
    compression: 'zstd',
    encryption: 'none',
    restoreCommand: 'zstd -dc FILE | pg_restore --exit-on-error --no-owner -d DATABASE_URL',
    source: 'direct a2a_user@db:5432/a2a_world',
    verification: { status: 'checked', at: '2026-12-01T03:00:02.000Z', detail: 'ok' },
    ...over
  };
}

describe('checkBackupChecksum, the whole result', () => {
  const content = Buffer.from('the archive bytes');
  const changed = Buffer.from('the archive bytez');

  it.each([
    { name: 'an intact file', file: content, meta: metadata(content), want: { ok: true, sha256: sha(content), sizeBytes: 17, message: 'SHA-256 and size (17 bytes) match the metadata' } },
    {
      name: 'a file of another size',
      file: content.subarray(0, 10),
      meta: metadata(content),
      want: { ok: false, sha256: sha(content.subarray(0, 10)), sizeBytes: 10, message: 'PATH is 10 bytes but the metadata says 17: the file was truncated or changed after the backup' }
    },
    {
      name: 'a file of the same size with other bytes',
      file: changed,
      meta: metadata(content),
      want: { ok: false, sha256: sha(changed), sizeBytes: 17, message: `PATH: SHA-256 ${sha(changed)} differs from the metadata's ${sha(content)}: the file was corrupted after the backup` }
    }
  ])('$name', async ({ name, file, meta, want }) => {
    const path = join(dir, `${name.replaceAll(' ', '-')}.dump.zst`);
    writeFileSync(path, file);
    expect(await checkBackupChecksum(path, meta)).toEqual({ ...want, message: want.message.replace('PATH', path) });
  });

  it('a file that cannot be read: no checksum, no size, and the reason', async () => {
    const path = join(dir, 'absent.dump.zst');
    expect(await checkBackupChecksum(path, metadata(content))).toEqual({ ok: false, sha256: '', sizeBytes: 0, message: `${path} cannot be read (ENOENT)` });
  });
});

describe('compareRowCounts', () => {
  it('names the differing tables in name order, whatever order they were counted in', () => {
    const expected = [
      { schema: 'public', name: 'zeta', rows: 1 },
      { schema: 'audit', name: 'log', rows: 5 },
      { schema: 'public', name: 'alpha', rows: 2 }
    ];
    const actual = [
      { schema: 'public', name: 'alpha', rows: 3 },
      { schema: 'public', name: 'zeta', rows: 0 },
      { schema: 'audit', name: 'log', rows: 4 }
    ];
    expect(compareRowCounts(expected, actual).map((d) => d.table)).toEqual(['audit.log', 'public.alpha', 'public.zeta']);
  });
});

describe('isVerified', () => {
  it.each([
    ['checked', true],
    ['restored', true],
    ['failed', false]
  ] as const)('a backup whose verification is %s counts as verified: %s', (status, want) => {
    expect(isVerified(metadata(Buffer.from('x'), { verification: { status, at: '2026-12-01T03:00:00Z', detail: '' } }))).toBe(want);
  });
});

describe('parseBackupMetadata, every refusal word for word', () => {
  const good = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(metadata(Buffer.from('abc'), { database: { name: 'a2a_world', serverVersion: '15.18', pgDumpVersion: '15.18', tables: [{ schema: 'public', name: 'patterns', rows: 3 }], rowCountsFromSnapshot: true } })));
  const refusal = (value: unknown): { name: string; message: string; isMetadataError: boolean } | undefined => {
    try {
      parseBackupMetadata(value, 'm.json');
      return undefined;
    } catch (err) {
      return { name: (err as Error).name, message: (err as Error).message, isMetadataError: err instanceof BackupMetadataError };
    }
  };
  const STRING_KEYS = ['kind', 'file', 'label', 'createdAt', 'sha256', 'content', 'compression', 'encryption', 'restoreCommand', 'source'];
  const HEX = 'a'.repeat(64);
  const withChange = (change: (m: Record<string, unknown>) => void): Record<string, unknown> => {
    const m = good();
    change(m);
    return m;
  };

  it.each<[string, unknown, string]>([
    ['null', null, 'is not a JSON object'],
    ['a number', 42, 'is not a JSON object'],
    ['a string', 'a2a-ops-backup/1', 'is not a JSON object'],
    ['another format', withChange((m) => { m.format = 'a2a-ops-backup/2'; }), `format is "a2a-ops-backup/2", expected 'a2a-ops-backup/1'`],
    ...STRING_KEYS.flatMap((k): Array<[string, unknown, string]> => [
      [`an empty '${k}'`, withChange((m) => { m[k] = ''; }), `'${k}' must be a non-empty string`],
      [`a missing '${k}'`, withChange((m) => { delete m[k]; }), `'${k}' must be a non-empty string`],
      [`a number as '${k}'`, withChange((m) => { m[k] = 7; }), `'${k}' must be a non-empty string`]
    ]),
    ['an unknown kind', withChange((m) => { m.kind = 'tape'; }), "'kind' must be database, volumes or config"],
    ['a checksum with a leading extra character', withChange((m) => { m.sha256 = `x${HEX}`; }), "'sha256' must be 64 hex digits"],
    ['a checksum with a trailing extra character', withChange((m) => { m.sha256 = `${HEX}x`; }), "'sha256' must be 64 hex digits"],
    ['a checksum one digit short', withChange((m) => { m.sha256 = HEX.slice(1); }), "'sha256' must be 64 hex digits"],
    ['a creation time that is no time', withChange((m) => { m.createdAt = 'yesterday'; }), "'createdAt' is not an ISO time"],
    ['a negative size', withChange((m) => { m.sizeBytes = -1; }), "'sizeBytes' must be a whole number of at least 0"],
    ['a fractional size', withChange((m) => { m.sizeBytes = 1.5; }), "'sizeBytes' must be a whole number of at least 0"],
    ['a size given as text', withChange((m) => { m.sizeBytes = '3'; }), "'sizeBytes' must be a whole number of at least 0"],
    ['a negative duration', withChange((m) => { m.durationMs = -1; }), "'durationMs' must be a whole number of at least 0"],
    ['a file in a directory', withChange((m) => { m.file = 'backups/b.dump.zst'; }), "'file' must be a file name without a directory"],
    ['no verification', withChange((m) => { delete m.verification; }), "'verification' must have status checked|restored|failed and an 'at' time"],
    ['an unknown verification status', withChange((m) => { m.verification = { status: 'maybe', at: '2026-12-01T03:00:00Z' }; }), "'verification' must have status checked|restored|failed and an 'at' time"],
    ['a verification time that is not text', withChange((m) => { m.verification = { status: 'checked', at: 5 }; }), "'verification' must have status checked|restored|failed and an 'at' time"],
    ['tables that are not a list', withChange((m) => { (m.database as Record<string, unknown>).tables = {}; }), "'database.tables' must be a list"],
    ['a table without a schema', withChange((m) => { (m.database as Record<string, unknown>).tables = [{ schema: 1, name: 't', rows: 1 }]; }), "'database.tables' entries need schema, name and a whole-number rows"],
    ['a table without a name', withChange((m) => { (m.database as Record<string, unknown>).tables = [{ schema: 'public', name: 1, rows: 1 }]; }), "'database.tables' entries need schema, name and a whole-number rows"],
    ['a table with a fractional row count', withChange((m) => { (m.database as Record<string, unknown>).tables = [{ schema: 'public', name: 't', rows: 1.5 }]; }), "'database.tables' entries need schema, name and a whole-number rows"]
  ])('refuses %s', (_name, value, why) => {
    expect(refusal(value)).toEqual({ name: 'BackupMetadataError', message: `m.json: ${why}`, isMetadataError: true });
  });

  it.each<[string, (m: Record<string, unknown>) => void]>([
    ['as written', () => undefined],
    ['a volumes backup without database details', (m) => { m.kind = 'volumes'; delete m.database; }],
    ['a config backup', (m) => { m.kind = 'config'; delete m.database; }],
    ['an empty file of size 0 taken in 0 ms', (m) => { m.sizeBytes = 0; m.durationMs = 0; }],
    ['a restored backup', (m) => { m.verification = { status: 'restored', at: '2026-12-02T03:00:00Z', detail: 'drill' }; }],
    ['a failed one (it is still readable metadata)', (m) => { m.verification = { status: 'failed', at: '2026-12-02T03:00:00Z', detail: 'flipped' }; }],
    ['a database without tables', (m) => { (m.database as Record<string, unknown>).tables = []; }]
  ])('accepts %s, returning it unchanged', (_name, change) => {
    const value = withChange(change);
    expect(refusal(value)).toBeUndefined();
    expect(parseBackupMetadata(value, 'm.json')).toBe(value);
  });
});

describe('metadataPathFor', () => {
  it.each([
    ['/b/x.dump.zst', '/b/x.dump.zst.meta.json'],
    ['/b/x.dump.zst.meta.json', '/b/x.dump.zst.meta.json'],
    ['x.tar', 'x.tar.meta.json']
  ])('%s → %s', (path, want) => {
    expect(metadataPathFor(path)).toBe(want);
  });
});

describe('the pg_dump version check', () => {
  it('refuses a client older than the server with the whole story', () => {
    const check = (): void => assertClientNotOlder('pg_dump', { version: '14.9', major: 14 }, '15.18 (Debian 15.18-0+deb12u1)', 150018);
    expect(check).toThrow(BackupError);
    expect(check).toThrow(
      'pg_dump 14.9 is older than the server (PostgreSQL 15.18 (Debian 15.18-0+deb12u1)): aborting because of server version mismatch. ' +
        'Install postgresql-client-15 on the runner, or back up inside the compose postgres service (mode compose), whose pg_dump matches its server. Nothing was written.'
    );
  });

  it.each([
    ['pg_dump (PostgreSQL)  16.4', { version: '16.4', major: 16 }],
    ['pg_restore (PostgreSQL)\t17.0', { version: '17.0', major: 17 }]
  ])('reads the version however much space follows the name: %s', (text, want) => {
    expect(parseClientVersion(text)).toEqual(want);
  });
});

describe('byTable orders by schema, then name', () => {
  const t = (schema: string, name: string) => ({ schema, name });
  it.each([
    [t('public', 'a'), t('public', 'b'), -1],
    [t('public', 'b'), t('public', 'a'), 1],
    [t('public', 'a'), t('public', 'a'), 0],
    [t('audit', 'z'), t('public', 'a'), -1],
    [t('public', 'a'), t('audit', 'z'), 1]
  ])('%o against %o: %i', (a, b, want) => {
    expect(byTable(a, b)).toBe(want);
  });
});

describe('archive listing lines', () => {
  it.each([
    ['3345; 0 16466 TABLE DATA public items a2a_user', 'public items a2a_user'],
    ['3345;  0  16466  TABLE DATA  public items a2a_user', 'public items a2a_user'],
    ['3345;\t0\t16466\tTABLE DATA\tpublic items a2a_user', 'public items a2a_user'],
    // TABLE DATA entries carry 0 as their catalog table; any number is read the same.
    ['12; 2615 16466 TABLE DATA public items a2a_user', 'public items a2a_user'],
    // A commented-out entry of a use-list (`;` first) restores nothing.
    [';3345; 0 16466 TABLE DATA public items a2a_user', undefined],
    ['; 3345; 0 16466 TABLE DATA public items a2a_user', undefined]
  ])('%j → %j', (line, want) => {
    expect(tableDataEntry(line)).toBe(want);
  });

  it.each([
    ['an entry with an owner', ['public items a2a_user'], []],
    ['an entry with no owner (a dump taken with --no-owner)', ['public items'], []],
    ['another table whose name starts the same', ['public items_archive a2a_user'], ['public.items']],
    ['the same name in another schema', ['audit items a2a_user'], ['public.items']],
    ['no data entries at all', [], ['public.items']]
  ])('a table with rows against %s', (_name, tableData, missing) => {
    expect(tablesMissingFromArchive([{ schema: 'public', name: 'items', rows: 2 }], { entries: 4, tableData })).toEqual(missing);
  });
});

describe('BackupMetadataError', () => {
  it('is named for what it is', () => {
    expect(new BackupMetadataError('x').name).toBe('BackupMetadataError');
  });
});
