// Reads the migrations folder: NNNN_name.sql files in version order, each with its text and checksum.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, truncate } from '../../../shared/src/index.js';
import { migrationChecksum, rawChecksum } from './checksum.js';
import { hasNoTransactionMarker } from './markers.js';
import { compareVersions, versionKey } from './versions.js';

/** One migration file on disk. */
export interface MigrationFile {
  /** The digits before the first underscore, as written (`0003`). */
  version: string;
  /** The rest of the name without `.sql` (`add_patterns_index`). */
  name: string;
  /** File name inside the folder. */
  file: string;
  /** Hex SHA-256 of the text with line endings normalised: an edit after applying is detected by comparing this. */
  checksum: string;
  /** Hex SHA-256 of the raw bytes (what the first `status` version recorded); accepted as a match too. */
  rawChecksum?: string;
  /** The file's text (UTF-8), as it will be sent to the server. */
  text?: string;
  /** The file carries `-- migrate:no-transaction`: its statements run one by one, outside a transaction. */
  noTransaction?: boolean;
}

const MIGRATION_FILE = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;

/**
 * Lists `dir`'s migration files sorted by numeric version. Other files (README.md) are ignored; a `.sql`
 * file that does not follow `NNNN_name.sql`, or two files with the same version, is a ConfigurationError
 * naming the files: such a file would otherwise be silently skipped or applied in a surprising order.
 * Checksums are of the text with CRLF turned into LF, so a CRLF checkout (core.autocrlf) is not an edit.
 */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: MigrationFile[] = [];
  const badNames: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.sql')) continue;
    const m = MIGRATION_FILE.exec(entry.name);
    if (!m) {
      badNames.push(entry.name);
      continue;
    }
    const bytes = await readFile(join(dir, entry.name));
    const text = bytes.toString('utf8');
    files.push({
      version: m[1],
      name: m[2],
      file: entry.name,
      checksum: migrationChecksum(text),
      rawChecksum: rawChecksum(bytes),
      text,
      noTransaction: hasNoTransactionMarker(text)
    });
  }
  if (badNames.length > 0) {
    throw new ConfigurationError(
      `Migration files must be named NNNN_name.sql (digits, underscore, letters/digits/_.-): rename ${badNames.map((n) => `'${truncate(n)}'`).join(', ')}.`
    );
  }
  files.sort((a, b) => compareVersions(a.version, b.version) || a.file.localeCompare(b.file));
  for (let i = 1; i < files.length; i++) {
    if (versionKey(files[i].version) === versionKey(files[i - 1].version)) {
      throw new ConfigurationError(
        `Two migration files share version ${files[i].version}: '${files[i - 1].file}' and '${files[i].file}'. Give one of them the next free number.`
      );
    }
  }
  return files;
}
