// Restoring a database backup with the standard tools (`zstd -dc FILE | pg_restore --exit-on-error`),
// the checks before (checksum against the metadata) and after (row counts per table against it).
import { createReadStream } from 'node:fs';
import { parseDatabaseUrl } from '../database/client-config.js';
import { openDatabaseSession } from '../database/session.js';
import { scrubSecrets } from '../secrets.js';
import { LocalPipelineError, runLocalPipeline } from './local-pipeline.js';
import { hashFile, type BackupMetadata, type TableRowCount } from './metadata.js';
import { BackupError, byTable, countRows, decompressStages } from './pg-tools.js';
import { ProgressMeter } from './progress.js';

/** The file is the one the metadata describes: same size, same SHA-256. A flipped byte or a cut file fails here. */
export async function checkBackupChecksum(path: string, metadata: BackupMetadata, signal?: AbortSignal): Promise<{ ok: boolean; sha256: string; sizeBytes: number; message: string }> {
  let actual: { sha256: string; sizeBytes: number };
  try {
    actual = await hashFile(path, signal);
  } catch (err) {
    return { ok: false, sha256: '', sizeBytes: 0, message: `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  if (actual.sizeBytes !== metadata.sizeBytes) {
    return { ...actual, ok: false, message: `${path} is ${actual.sizeBytes} bytes but the metadata says ${metadata.sizeBytes}: the file was truncated or changed after the backup` };
  }
  if (actual.sha256 !== metadata.sha256) {
    return { ...actual, ok: false, message: `${path}: SHA-256 ${actual.sha256} differs from the metadata's ${metadata.sha256}: the file was corrupted after the backup` };
  }
  return { ...actual, ok: true, message: `SHA-256 and size (${actual.sizeBytes} bytes) match the metadata` };
}

/** A table whose row count differs between the metadata and a restored database. */
export interface RowCountDifference {
  table: string;
  expected: number | undefined;
  actual: number | undefined;
}

/** Pure: the tables whose counts differ (missing on either side counts as a difference). */
export function compareRowCounts(expected: readonly TableRowCount[], actual: readonly TableRowCount[]): RowCountDifference[] {
  const key = (t: TableRowCount): string => `${t.schema}.${t.name}`;
  const want = new Map(expected.map((t) => [key(t), t.rows]));
  const got = new Map(actual.map((t) => [key(t), t.rows]));
  const names = [...new Set([...want.keys(), ...got.keys()])].sort();
  return names.filter((n) => want.get(n) !== got.get(n)).map((n) => ({ table: n, expected: want.get(n), actual: got.get(n) }));
}

/** Options of `restoreDatabaseBackup`. */
export interface RestoreRequest {
  path: string;
  compression: 'zstd' | 'none';
  /** The database restored into (it must exist). */
  databaseUrl: string;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Drop each object before recreating it (`--clean --if-exists`): for a restore over a live database. */
  clean?: boolean;
  /** Everything in one transaction (`--single-transaction`): a failure leaves the target as it was. */
  singleTransaction?: boolean;
  progressIntervalMs?: number;
  pgRestore?: string;
}

/**
 * `zstd -dc FILE | pg_restore --exit-on-error --no-owner --no-acl -d DB` (the documented command): the
 * first error fails the restore. Ownership and grants are left out because the target need not have
 * production's roles (a scratch server); everything else must restore without error. Returns how long it
 * took (the measured recovery time) and the row counts of the restored database.
 */
export async function restoreDatabaseBackup(request: RestoreRequest): Promise<{ durationMs: number; tables: TableRowCount[] }> {
  const url = parseDatabaseUrl(request.databaseUrl, 'The restore target URL');
  const u = new URL(url.url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const args = ['--exit-on-error', '--no-owner', '--no-acl', '--no-password', `--dbname=${u.toString()}`];
  if (request.clean) args.push('--clean', '--if-exists');
  if (request.singleTransaction) args.push('--single-transaction');
  const started = performance.now();
  // The file goes through Node only to be counted for the progress lines; zstd and pg_restore do the rest.
  const meter = new ProgressMeter('restore', request.log, request.progressIntervalMs);
  const source = createReadStream(request.path, { highWaterMark: 1024 * 1024 });
  source.on('error', (err) => meter.destroy(err));
  source.pipe(meter);
  const decompress = decompressStages('-', request.compression).map((s) => ({ ...s, args: ['-dc', '-q'] }));
  try {
    await runLocalPipeline(
      [...decompress, { file: request.pgRestore ?? 'pg_restore', name: 'pg_restore', args, env: { PGPASSWORD: password, PGAPPNAME: 'a2a-ops restore' } }],
      undefined,
      { signal: request.signal, stdin: meter, onStderr: request.log }
    );
  } catch (err) {
    const why = err instanceof LocalPipelineError ? err.message : (err as Error).message;
    throw new BackupError(`the restore of ${request.path} into ${url.target} failed: ${scrubSecrets(why)}`);
  } finally {
    meter.stop();
  }
  const durationMs = Math.round(performance.now() - started);
  const session = await openDatabaseSession(url, { mode: 'read-only', applicationName: 'a2a-ops restore check', connectTimeoutMs: 15_000 });
  try {
    const tables = (await countRows(async (sql) => (await session.query(sql)).rows)).sort(byTable);
    return { durationMs, tables };
  } finally {
    await session.close();
  }
}
