// The last steps every backup shares: fsync, the size floor, the archive check, the rename into place,
// the metadata beside it. A failure removes the temporary file; nothing half-done keeps the final name.
import { randomBytes } from 'node:crypto';
import { link, open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BACKUP_METADATA_FORMAT, metadataPathFor, writeBackupMetadata, type BackupMetadata } from './metadata.js';
import { BackupError } from './pg-tools.js';

/** Smallest file that can be a backup: an empty database's compressed custom archive is larger than this. */
export const DEFAULT_MIN_BACKUP_BYTES = 100;

/** Names allowed as a backup label (the start of the file name). */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks a label; BackupError naming the rule. */
export function assertBackupLabel(label: string): string {
  if (!LABEL.test(label)) throw new BackupError(`backup label '${label.slice(0, 70)}' must be 1-64 letters, digits, '_', '.', '-' (starting with a letter or digit).`);
  return label;
}

/** `20261201T142700Z` (UTC, second resolution): sorts as time, safe in any file system. */
export function backupStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** A temporary name beside the final one, hidden (leading dot) so listings and globs never take it for a backup. */
export function temporaryPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.partial-${randomBytes(4).toString('hex')}`);
}

/** fsync of a file (its bytes are on disk before the rename makes them the backup). */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves a checked temporary file to its final name and writes the metadata beside it. The final name
 * is taken with link(2) (fails if it exists: never overwrites a backup); the metadata comes last, so a
 * backup "exists" for listings only once both are complete. On failure both are removed.
 */
export async function publishBackup(tempPath: string, finalPath: string, metadata: Omit<BackupMetadata, 'format' | 'file'>, minBytes = DEFAULT_MIN_BACKUP_BYTES): Promise<{ metadataPath: string; metadata: BackupMetadata }> {
  const size = (await stat(tempPath)).size;
  if (size !== metadata.sizeBytes) throw new BackupError(`${basename(finalPath)}: ${size} bytes on disk but ${metadata.sizeBytes} were written: the file system lost data.`);
  if (size < minBytes) throw new BackupError(`${basename(finalPath)} is only ${size} bytes (the minimum is ${minBytes}): not a usable backup.`);
  await syncFile(tempPath);
  const full: BackupMetadata = { format: BACKUP_METADATA_FORMAT, file: basename(finalPath), ...metadata };
  const metadataPath = metadataPathFor(finalPath);
  await link(tempPath, finalPath);
  try {
    await writeBackupMetadata(metadataPath, full);
  } catch (err) {
    await unlink(finalPath).catch(() => undefined);
    throw new BackupError(`${basename(finalPath)}: the metadata could not be written (${(err as Error).message}); the backup was removed.`);
  }
  await unlink(tempPath).catch(() => undefined);
  return { metadataPath, metadata: full };
}
