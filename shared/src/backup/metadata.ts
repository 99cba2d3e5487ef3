// The metadata file written beside every backup (`<backup>.meta.json`): what the backup holds, its
// checksum and how it was checked; read back to list, verify and prune backups. Layout in action-backup/README.md.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BackupEntry } from './retention.js';

/** The `format` of metadata files this code writes; readers refuse another major version. */
export const BACKUP_METADATA_FORMAT = 'a2a-ops-backup/1';
/** Suffix of the metadata file beside a backup. */
export const METADATA_SUFFIX = '.meta.json';

/** What a backup holds. */
export type BackupKind = 'database' | 'volumes' | 'config';

/** One table's row count, taken in the dump's own snapshot when `rowCountsFromSnapshot`. */
export interface TableRowCount {
  schema: string;
  name: string;
  rows: number;
}

/** How far a backup has been checked: `checked` at creation (exit codes, size, archive listing), `restored` by a restore drill, `failed` by a later verify. */
export type VerificationStatus = 'checked' | 'restored' | 'failed';

export interface BackupVerification {
  status: VerificationStatus;
  /** ISO time of the check. */
  at: string;
  /** What was checked, or what failed, in a sentence. */
  detail: string;
  /** Restore drills: how long the restore took (the measured recovery time). */
  restoreMs?: number;
}

/** The metadata JSON beside a backup (documented in action-backup/README.md). */
export interface BackupMetadata {
  format: typeof BACKUP_METADATA_FORMAT;
  kind: BackupKind;
  /** The backup's file name (no directory): the metadata names the file it describes. */
  file: string;
  /** The label the file name starts with (a database name, `volumes`, `config`). */
  label: string;
  /** ISO time the backup started. */
  createdAt: string;
  sizeBytes: number;
  /** SHA-256 (hex) of the file as written, computed while streaming. */
  sha256: string;
  durationMs: number;
  /** How the content is laid out: a pg_dump custom archive or a tar stream. */
  content: 'pg_dump-custom' | 'tar';
  compression: 'zstd' | 'none';
  encryption: 'age' | 'none';
  /** The one standard command that restores it without this action (with FILE and the target placeholders). */
  restoreCommand: string;
  /** Where it came from, printable (never a password): `direct user@host:5432/db`, `compose app1 postgres`, `app1:/opt/a2a-world/data`. */
  source: string;
  database?: {
    name: string;
    serverVersion: string;
    pgDumpVersion: string;
    /** Bytes pg_dump wrote before compression, when known. */
    dumpBytes?: number;
    tables: TableRowCount[];
    /** True when the counts were taken in the snapshot pg_dump used (exact); false when taken beside it. */
    rowCountsFromSnapshot: boolean;
  };
  verification: BackupVerification;
  /** Earlier verifications, newest first (a restore drill appends one each time). */
  history?: BackupVerification[];
}

/** The metadata path of a backup (`x.dump.zst` → `x.dump.zst.meta.json`); a metadata path is returned as is. */
export function metadataPathFor(path: string): string {
  return path.endsWith(METADATA_SUFFIX) ? path : `${path}${METADATA_SUFFIX}`;
}

/** A metadata file that cannot be used: missing, not JSON, another format, missing fields. */
export class BackupMetadataError extends Error {
  override name = 'BackupMetadataError';
}

function fail(path: string, why: string): never {
  throw new BackupMetadataError(`${path}: ${why}`);
}

/** Checks the shape of parsed metadata; throws BackupMetadataError naming the first bad field. */
export function parseBackupMetadata(value: unknown, path: string): BackupMetadata {
  if (typeof value !== 'object' || value === null) fail(path, 'is not a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== BACKUP_METADATA_FORMAT) fail(path, `format is ${JSON.stringify(m.format)}, expected '${BACKUP_METADATA_FORMAT}'`);
  const str = (k: string): void => {
    if (typeof m[k] !== 'string' || !(m[k] as string)) fail(path, `'${k}' must be a non-empty string`);
  };
  for (const k of ['kind', 'file', 'label', 'createdAt', 'sha256', 'content', 'compression', 'encryption', 'restoreCommand', 'source']) str(k);
  if (!['database', 'volumes', 'config'].includes(m.kind as string)) fail(path, `'kind' must be database, volumes or config`);
  if (!/^[0-9a-f]{64}$/.test(m.sha256 as string)) fail(path, `'sha256' must be 64 hex digits`);
  if (Number.isNaN(Date.parse(m.createdAt as string))) fail(path, `'createdAt' is not an ISO time`);
  for (const k of ['sizeBytes', 'durationMs']) {
    if (!Number.isInteger(m[k]) || (m[k] as number) < 0) fail(path, `'${k}' must be a whole number of at least 0`);
  }
  if ((m.file as string).includes('/')) fail(path, `'file' must be a file name without a directory`);
  const v = m.verification as Record<string, unknown> | undefined;
  if (!v || !['checked', 'restored', 'failed'].includes(v.status as string) || typeof v.at !== 'string') {
    fail(path, `'verification' must have status checked|restored|failed and an 'at' time`);
  }
  if (m.database !== undefined) {
    const d = m.database as Record<string, unknown>;
    if (!Array.isArray(d.tables)) fail(path, `'database.tables' must be a list`);
    for (const t of d.tables as unknown[]) {
      const row = t as Record<string, unknown>;
      if (typeof row.schema !== 'string' || typeof row.name !== 'string' || !Number.isInteger(row.rows)) {
        fail(path, `'database.tables' entries need schema, name and a whole-number rows`);
      }
    }
  }
  return value as BackupMetadata;
}

/**
 * Reads a backup's metadata: `path` is the metadata file or the backup itself (its `.meta.json` is
 * read). Throws BackupMetadataError when it is missing, not JSON or not of this format.
 */
export async function readBackupMetadata(path: string): Promise<BackupMetadata> {
  const metaPath = metadataPathFor(path);
  let text: string;
  try {
    text = await readFile(metaPath, 'utf8');
  } catch (err) {
    fail(metaPath, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(metaPath, 'is not valid JSON');
  }
  return parseBackupMetadata(parsed, metaPath);
}

/** Writes metadata atomically (temp file, fsync, rename), so a reader never sees half a file. */
export async function writeBackupMetadata(metaPath: string, metadata: BackupMetadata): Promise<void> {
  const tmp = join(dirname(metaPath), `.${basename(metaPath)}.partial-${process.pid}-${Date.now()}`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(metadata, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, metaPath);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A backup file found with its metadata, as `listBackups` returns it. */
export interface ListedBackup extends BackupEntry {
  metadata: BackupMetadata;
  metadataPath: string;
}

/** Whether metadata counts as a good backup for retention: checked or restored, never failed. */
export function isVerified(metadata: BackupMetadata): boolean {
  return metadata.verification.status !== 'failed';
}

/**
 * The backups in `dir` that have metadata (optionally of one `kind` and `label`), newest first. Files
 * whose metadata cannot be read are returned in `unreadable` (with why), never silently dropped;
 * temp files (names starting with `.`) are ignored.
 */
export async function listBackups(dir: string, filter: { kind?: BackupKind; label?: string } = {}): Promise<{ backups: ListedBackup[]; unreadable: Array<{ path: string; reason: string }> }> {
  const names = await readdir(dir);
  const backups: ListedBackup[] = [];
  const unreadable: Array<{ path: string; reason: string }> = [];
  for (const name of names) {
    if (!name.endsWith(METADATA_SUFFIX) || name.startsWith('.')) continue;
    const metadataPath = join(dir, name);
    try {
      const metadata = await readBackupMetadata(metadataPath);
      if (filter.kind && metadata.kind !== filter.kind) continue;
      if (filter.label && metadata.label !== filter.label) continue;
      backups.push({
        path: join(dir, metadata.file),
        createdAt: new Date(metadata.createdAt),
        verified: isVerified(metadata),
        sizeBytes: metadata.sizeBytes,
        metadata,
        metadataPath
      });
    } catch (err) {
      unreadable.push({ path: metadataPath, reason: (err as Error).message });
    }
  }
  backups.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { backups, unreadable };
}

/** SHA-256 (hex) and size of a file, streamed (bounded memory). */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
