// Reading the migrations folder: naming rules, order, checksums.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../shared/src/index.js';
import { readMigrations } from '../src/migrations/read-migrations.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-migrations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('readMigrations', () => {
  it('lists NNNN_name.sql files in numeric order with the SHA-256 of their bytes, ignoring other files', async () => {
    const dir = folder({ '0010_ten.sql': 'select 10;', '0002_two.sql': 'select 2;', 'README.md': '# notes', '0001_init.sql': 'create table a(i int);' });
    mkdirSync(join(dir, '0003_a_folder.sql'));
    const files = await readMigrations(dir);
    expect(files.map((f) => f.file)).toEqual(['0001_init.sql', '0002_two.sql', '0010_ten.sql']);
    expect(files[0]).toMatchObject({
      version: '0001',
      name: 'init',
      file: '0001_init.sql',
      checksum: createHash('sha256').update('create table a(i int);').digest('hex'),
      text: 'create table a(i int);',
      noTransaction: false
    });
  });

  it('gives a CRLF checkout the same checksum as the LF file (line endings normalised), and keeps the raw one', async () => {
    const [lf] = await readMigrations(folder({ '0001_a.sql': 'select 1;\n' }));
    const [crlf] = await readMigrations(folder({ '0001_a.sql': 'select 1;\r\n' }));
    expect(crlf.checksum).toBe(lf.checksum);
    expect(crlf.rawChecksum).not.toBe(lf.rawChecksum);
    expect(lf.rawChecksum).toBe(lf.checksum);
  });

  it('marks a file carrying -- migrate:no-transaction on a line of its own', async () => {
    const files = await readMigrations(folder({ '0001_a.sql': '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n', '0002_b.sql': "SELECT '-- migrate:no-transaction';\n" }));
    expect(files.map((f) => f.noTransaction)).toEqual([true, false]);
  });

  it.each([
    [{ 'init.sql': 'x' }, "rename 'init.sql'"],
    [{ '0001-init.sql': 'x' }, "rename '0001-init.sql'"],
    [{ '0001_init.sql': 'x', '1_again.sql': 'y' }, 'Two migration files share version'],
    [{ '0002_a.sql': 'x', '0002_b.sql': 'y' }, "'0002_a.sql' and '0002_b.sql'"]
  ])('rejects %j with a ConfigurationError: %s', async (files, says) => {
    const attempt = readMigrations(folder(files));
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(readMigrations(folder(files))).rejects.toThrow(says);
  });

  it('finds nothing in an empty folder', async () => {
    expect(await readMigrations(folder({}))).toEqual([]);
  });
});
