// The metadata beside each backup (shape checks, atomic write, listing), the checksum check that
// catches a flipped byte or a cut file, row-count comparison, version and archive-listing parsing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKUP_METADATA_FORMAT,
  BackupError,
  assertClientNotOlder,
  checkBackupChecksum,
  compareRowCounts,
  listBackups,
  parseBackupMetadata,
  parseClientVersion,
  readBackupMetadata,
  rowCountSql,
  tableDataEntry,
  tablesMissingFromArchive,
  writeBackupMetadata,
  type BackupMetadata
} from '../src/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'a2a-backup-meta-'));
  dirs.push(d);
  return d;
};

function metadataFor(file: string, content: Buffer, over: Partial<BackupMetadata> = {}): BackupMetadata {
  return {
    format: BACKUP_METADATA_FORMAT,
    kind: 'database',
    file,
    label: 'a2a_world',
    createdAt: '2026-12-01T03:00:00.000Z',
    sizeBytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    durationMs: 1200,
    content: 'pg_dump-custom',
    compression: 'zstd',
    encryption: 'none',
    restoreCommand: 'zstd -dc FILE | pg_restore --exit-on-error --no-owner -d DATABASE_URL',
    source: 'direct a2a_user@db:5432/a2a_world',
    database: { name: 'a2a_world', serverVersion: '15.18', pgDumpVersion: '15.18', tables: [{ schema: 'public', name: 'patterns', rows: 3 }], rowCountsFromSnapshot: true },
    verification: { status: 'checked', at: '2026-12-01T03:00:02.000Z', detail: 'ok' },
    ...over
  };
}

describe('parseBackupMetadata', () => {
  const good = metadataFor('x.dump.zst', Buffer.from('abc'));
  it('accepts what this code writes', () => {
    expect(parseBackupMetadata(JSON.parse(JSON.stringify(good)), 'm.json')).toEqual(good);
  });
  it.each([
    { name: 'another format', change: { format: 'other/2' }, error: "format is \"other/2\", expected 'a2a-ops-backup/1'" },
    { name: 'a bad checksum', change: { sha256: 'xyz' }, error: "'sha256' must be 64 hex digits" },
    { name: 'a negative size', change: { sizeBytes: -1 }, error: "'sizeBytes' must be a whole number of at least 0" },
    { name: 'a file with a directory', change: { file: '../etc/passwd' }, error: "'file' must be a file name without a directory" },
    { name: 'an unknown kind', change: { kind: 'tape' }, error: "'kind' must be database, volumes or config" },
    { name: 'no verification', change: { verification: undefined }, error: "'verification' must have status" },
    { name: 'a bad creation time', change: { createdAt: 'yesterday' }, error: "'createdAt' is not an ISO time" },
    { name: 'a table row without a count', change: { database: { ...good.database!, tables: [{ schema: 'public', name: 't' }] } }, error: "'database.tables' entries need schema, name" }
  ])('refuses $name, naming the field', ({ change, error }) => {
    expect(() => parseBackupMetadata({ ...good, ...change }, 'm.json')).toThrow(error);
  });
});

describe('metadata files', () => {
  it('are written atomically and read back by the backup path or the metadata path', async () => {
    const dir = tempDir();
    const content = Buffer.from('archive bytes');
    writeFileSync(join(dir, 'a.dump.zst'), content);
    await writeBackupMetadata(join(dir, 'a.dump.zst.meta.json'), metadataFor('a.dump.zst', content));
    expect(readdirSync(dir).sort()).toEqual(['a.dump.zst', 'a.dump.zst.meta.json']);
    expect((await readBackupMetadata(join(dir, 'a.dump.zst'))).sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect((await readBackupMetadata(join(dir, 'a.dump.zst.meta.json'))).file).toBe('a.dump.zst');
  });

  it('listBackups: newest first, filtered, temp files ignored, unreadable metadata reported, never dropped silently', async () => {
    const dir = tempDir();
    const c = Buffer.from('x');
    await writeBackupMetadata(join(dir, 'old.dump.zst.meta.json'), metadataFor('old.dump.zst', c, { createdAt: '2026-11-01T00:00:00Z' }));
    await writeBackupMetadata(join(dir, 'new.dump.zst.meta.json'), metadataFor('new.dump.zst', c, { createdAt: '2026-12-01T00:00:00Z', verification: { status: 'failed', at: '2026-12-01T01:00:00Z', detail: 'flipped' } }));
    await writeBackupMetadata(join(dir, 'vol.tar.zst.meta.json'), metadataFor('vol.tar.zst', c, { kind: 'volumes', label: 'volumes-app1', database: undefined, createdAt: '2026-11-15T00:00:00Z' }));
    writeFileSync(join(dir, '.half.dump.zst.meta.json.partial-1'), '{');
    writeFileSync(join(dir, 'broken.dump.zst.meta.json'), '{not json');
    const all = await listBackups(dir);
    expect(all.backups.map((b) => [b.metadata.file, b.verified])).toEqual([
      ['new.dump.zst', false],
      ['vol.tar.zst', true],
      ['old.dump.zst', true]
    ]);
    expect(all.unreadable).toEqual([{ path: join(dir, 'broken.dump.zst.meta.json'), reason: `${join(dir, 'broken.dump.zst.meta.json')}: is not valid JSON` }]);
    expect((await listBackups(dir, { kind: 'database', label: 'a2a_world' })).backups.map((b) => b.metadata.file)).toEqual(['new.dump.zst', 'old.dump.zst']);
  });
});

describe('checkBackupChecksum', () => {
  const content = Buffer.alloc(4096, 7);
  it.each([
    { name: 'an intact file passes', damage: (_p: string) => undefined, ok: true, message: 'SHA-256 and size (4096 bytes) match the metadata' },
    {
      name: 'a flipped byte is caught by the SHA-256',
      damage: (p: string) => {
        const b = readFileSync(p);
        b[2000] ^= 0x01;
        writeFileSync(p, b);
      },
      ok: false,
      message: 'differs from the metadata'
    },
    { name: 'a truncated file is caught by its size', damage: (p: string) => truncateSync(p, 1000), ok: false, message: 'is 1000 bytes but the metadata says 4096: the file was truncated' },
    { name: 'a 0-byte file is caught', damage: (p: string) => truncateSync(p, 0), ok: false, message: 'is 0 bytes but the metadata says 4096' },
    { name: 'a missing file is caught', damage: (p: string) => rmSync(p), ok: false, message: 'cannot be read (ENOENT)' }
  ])('$name', async ({ damage, ok, message }) => {
    const dir = tempDir();
    const path = join(dir, 'b.dump.zst');
    writeFileSync(path, content);
    damage(path);
    const r = await checkBackupChecksum(path, metadataFor('b.dump.zst', content));
    expect(r.ok).toBe(ok);
    expect(r.message).toContain(message);
  });
});

describe('compareRowCounts', () => {
  const t = (name: string, rows: number) => ({ schema: 'public', name, rows });
  it.each([
    { name: 'equal counts differ nowhere', expected: [t('a', 1), t('b', 2)], actual: [t('b', 2), t('a', 1)], diffs: [] },
    { name: 'a changed count is named', expected: [t('a', 1)], actual: [t('a', 0)], diffs: [{ table: 'public.a', expected: 1, actual: 0 }] },
    { name: 'a table missing after restore is named', expected: [t('a', 1), t('b', 0)], actual: [t('a', 1)], diffs: [{ table: 'public.b', expected: 0, actual: undefined }] },
    { name: 'an extra table after restore is named', expected: [], actual: [t('c', 4)], diffs: [{ table: 'public.c', expected: undefined, actual: 4 }] }
  ])('$name', ({ expected, actual, diffs }) => {
    expect(compareRowCounts(expected, actual)).toEqual(diffs);
  });
});

describe('PostgreSQL client versions', () => {
  it.each([
    { text: 'pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)', want: { version: '15.18', major: 15 } },
    { text: 'pg_dump (PostgreSQL) 17.2', want: { version: '17.2', major: 17 } },
    { text: 'pg_dump (PostgreSQL) 18devel', want: { version: '18', major: 18 } },
    { text: 'something else', want: undefined }
  ])('parses "$text"', ({ text, want }) => {
    expect(parseClientVersion(text)).toEqual(want);
  });

  it.each([
    { client: { version: '15.18', major: 15 }, num: 150018, refused: false },
    { client: { version: '16.1', major: 16 }, num: 150018, refused: false },
    { client: { version: '13.11', major: 13 }, num: 150018, refused: true },
    { client: { version: '15.2', major: 15 }, num: 160001, refused: true }
  ])('pg_dump $client.version against server $num: refused $refused', ({ client, num, refused }) => {
    const check = (): void => assertClientNotOlder('pg_dump', client, String(num), num);
    if (refused) {
      expect(check).toThrow(BackupError);
      expect(check).toThrow('aborting because of server version mismatch');
    } else expect(check).not.toThrow();
  });
});

describe('archive listing', () => {
  it.each([
    { line: '3345; 0 16466 TABLE DATA public items a2a_user', want: 'public items a2a_user' },
    { line: '3346; 0 16474 TABLE DATA s2 odd name a2a_user', want: 's2 odd name a2a_user' },
    { line: '215; 1259 16466 TABLE public items a2a_user', want: undefined },
    { line: ';', want: undefined }
  ])('reads "$line"', ({ line, want }) => {
    expect(tableDataEntry(line)).toBe(want);
  });

  it('names a table with rows whose data is missing from the archive, and ignores empty ones', () => {
    const listing = { entries: 5, tableData: ['public items a2a_user', 's2 odd name a2a_user'] };
    const tables = [
      { schema: 'public', name: 'items', rows: 3 },
      { schema: 's2', name: 'odd name', rows: 1 },
      { schema: 'public', name: 'lost', rows: 9 },
      { schema: 'public', name: 'empty', rows: 0 }
    ];
    expect(tablesMissingFromArchive(tables, listing)).toEqual(['public.lost']);
  });

  it('counts every table in one statement, names quoted', () => {
    expect(rowCountSql([{ schema: 'public', name: 'a"b' }, { schema: "o'k", name: 't' }])).toBe(
      `SELECT 'public' AS schema, 'a"b' AS name, count(*)::bigint AS rows FROM ONLY "public"."a""b"\nUNION ALL\nSELECT 'o''k' AS schema, 't' AS name, count(*)::bigint AS rows FROM ONLY "o'k"."t"`
    );
    expect(rowCountSql([])).toBeUndefined();
  });
});
