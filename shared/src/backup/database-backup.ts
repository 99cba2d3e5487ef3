// A database backup taken on the runner (`database-url`): pg_dump in custom format, compressed by zstd,
// streamed to a temporary file while hashed, checked, then renamed into place with metadata beside it.
// Row counts are taken in the very snapshot pg_dump dumps (pg_export_snapshot), so they are exact.
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDatabaseUrl } from '../database/client-config.js';
import { DatabaseConnectError, openDatabaseSession } from '../database/session.js';
import { scrubSecrets } from '../secrets.js';
import { LocalPipelineError, runLocalPipeline, type LocalStage } from './local-pipeline.js';
import type { BackupMetadata } from './metadata.js';
import { assertBackupLabel, backupStamp, publishBackup, temporaryPathFor, DEFAULT_MIN_BACKUP_BYTES } from './finish.js';
import { assertClientNotOlder, BackupError, countRows, listArchive, localClientVersion, tablesMissingFromArchive } from './pg-tools.js';
import { formatBytes, formatDuration } from '../report/markdown-text.js';
import { MeteredFile } from './progress.js';

/** What `backUpDatabaseToDirectory` produced. */
export interface DatabaseBackupResult {
  path: string;
  sha256: string;
  sizeBytes: number;
  metadataPath: string;
  durationMs: number;
}

/** Extra knobs of a runner-side database backup (all optional; defaults are the measured best). */
export interface DatabaseBackupOptions {
  /** `zstd` (default: `pg_dump -Fc -Z0 | zstd -T2 -1`, as fast as pg_dump alone) or `none` (an uncompressed custom archive). */
  compression?: 'zstd' | 'none';
  /** zstd worker threads (`-T`), default 2. */
  zstdThreads?: number;
  /** zstd level, default 1. */
  zstdLevel?: number;
  /** Files smaller than this fail the check (default 100 bytes). */
  minSizeBytes?: number;
  /** Seconds between progress lines, in ms (default 5000). */
  progressIntervalMs?: number;
  /** The pg_dump / pg_restore programs (default from PATH). */
  pgDump?: string;
  pgRestore?: string;
  /** Bound on connecting (default 15 s). */
  connectTimeoutMs?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** The file extension of a database backup. */
export function databaseBackupExtension(compression: 'zstd' | 'none'): string {
  return compression === 'zstd' ? '.dump.zst' : '.dump';
}

/** The one standard command that restores a database backup without this action. */
export function databaseRestoreCommand(compression: 'zstd' | 'none'): string {
  return compression === 'zstd'
    ? 'zstd -dc FILE | pg_restore --exit-on-error --no-owner -d DATABASE_URL'
    : 'pg_restore --exit-on-error --no-owner -d DATABASE_URL FILE';
}

/** The URL without its password (pg_dump gets the password through PGPASSWORD, never on its command line). */
function urlWithoutPassword(url: string): { conninfo: string; password: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { conninfo: u.toString(), password };
}

/**
 * pg_dump on the runner for `databaseUrl` into `destinationDir`: streamed (`pg_dump -Fc -Z0 | zstd -T2
 * -1` through kernel pipes, only the compressed bytes pass through Node, bounded memory), every stage's
 * exit checked, written under a temporary name, verified (`pg_restore --list`, every counted table's data
 * present, a minimum size), SHA-256 computed while streaming, metadata beside it, then renamed.
 * A pg_dump older than the server is refused before anything is written. On any failure nothing is left
 * under the final name (or the temporary one) and a BackupError / DatabaseConnectError says why.
 */
export async function backUpDatabaseToDirectory(
  request: { databaseUrl: string; destinationDir: string; signal: AbortSignal; log: (line: string) => void; label?: string },
  options: DatabaseBackupOptions = {}
): Promise<DatabaseBackupResult> {
  const url = parseDatabaseUrl(request.databaseUrl, 'The database URL');
  const compression = options.compression ?? 'zstd';
  const now = options.now ?? (() => new Date());
  const label = assertBackupLabel(request.label ?? url.database);
  const pgDump = options.pgDump ?? 'pg_dump';
  const started = performance.now();
  const createdAt = now();
  const client = await localClientVersion(pgDump);
  await mkdir(request.destinationDir, { recursive: true });

  const session = await openDatabaseSession(url, { mode: 'read-only', applicationName: 'a2a-ops backup', connectTimeoutMs: options.connectTimeoutMs ?? 15_000 });
  const finalPath = join(request.destinationDir, `${label}-${backupStamp(createdAt)}${databaseBackupExtension(compression)}`);
  const tempPath = temporaryPathFor(finalPath);
  try {
    // The dump and the row counts read the same snapshot, held open by this transaction until both finish.
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const info = await session.query<{ snapshot: string; version: string; num: string }>(
      "SELECT pg_export_snapshot() AS snapshot, current_setting('server_version') AS version, current_setting('server_version_num') AS num"
    );
    const { snapshot, version: serverVersion, num } = info.rows[0];
    assertClientNotOlder('pg_dump', client, serverVersion, Number(num));
    request.log(`pg_dump ${client.version} → ${url.target} (PostgreSQL ${serverVersion}), compression ${compression}, into ${request.destinationDir}`);

    const { conninfo, password } = urlWithoutPassword(url.url);
    const stages: LocalStage[] = [
      {
        file: pgDump,
        name: 'pg_dump',
        args: ['--format=custom', '--compress=0', '--no-password', `--snapshot=${snapshot}`, `--dbname=${conninfo}`],
        env: { PGPASSWORD: password, PGAPPNAME: 'a2a-ops backup', PGCONNECT_TIMEOUT: '15' }
      }
    ];
    if (compression === 'zstd') {
      stages.push({ file: 'zstd', name: 'zstd', args: ['-q', '-c', `-T${options.zstdThreads ?? 2}`, `-${options.zstdLevel ?? 1}`] });
    }
    const meter = new MeteredFile(tempPath, 'dump', request.log, options.progressIntervalMs);
    const counting = countRows(async (sql) => (await session.query(sql)).rows);
    // Collect the counts' outcome now, so a failing dump never leaves an unhandled rejection behind.
    const counted = counting.then(
      (tables) => ({ tables }),
      (error: unknown) => ({ error })
    );
    const stderrLines: string[] = [];
    try {
      await runLocalPipeline(stages, meter, {
        signal: request.signal,
        onStderr: (line) => {
          if (stderrLines.length < 20) stderrLines.push(line);
          request.log(line);
        }
      });
    } catch (err) {
      if (err instanceof LocalPipelineError) throw new BackupError(`the dump of ${url.target} failed: ${scrubSecrets(err.message)}. No backup was written.`);
      throw err;
    }
    const countResult = await counted;
    if ('error' in countResult) throw new BackupError(`counting rows of ${url.target} failed: ${scrubSecrets((countResult.error as Error).message)}`);
    const tables = countResult.tables;
    await session.query('COMMIT');
    const sha256 = meter.digest();
    const dumpMs = performance.now() - started;
    request.log(`dump done: ${formatBytes(meter.bytes)} in ${formatDuration(dumpMs)}, sha256 ${sha256}`);

    const listing = await listArchive(tempPath, compression, request.signal, options.pgRestore);
    const missing = tablesMissingFromArchive(tables, listing);
    if (missing.length) throw new BackupError(`the archive lacks the data of ${missing.join(', ')}: not a complete backup.`);
    const durationMs = Math.round(performance.now() - started);
    const metadata: Omit<BackupMetadata, 'format' | 'file'> = {
      kind: 'database',
      label,
      createdAt: createdAt.toISOString(),
      sizeBytes: meter.bytes,
      sha256,
      durationMs,
      content: 'pg_dump-custom',
      compression,
      encryption: 'none',
      restoreCommand: databaseRestoreCommand(compression),
      source: `direct ${url.target}`,
      database: { name: url.database, serverVersion, pgDumpVersion: client.version, tables, rowCountsFromSnapshot: true },
      verification: {
        status: 'checked',
        at: now().toISOString(),
        detail: `every stage exited 0; pg_restore --list read ${listing.entries} entries with the data of ${listing.tableData.length} tables; ${meter.bytes} bytes ≥ ${options.minSizeBytes ?? DEFAULT_MIN_BACKUP_BYTES}`
      }
    };
    const published = await publishBackup(tempPath, finalPath, metadata, options.minSizeBytes);
    request.log(`backup ${finalPath}: ${formatBytes(meter.bytes)}, ${tables.length} tables, ${formatDuration(durationMs)}`);
    return { path: finalPath, sha256, sizeBytes: meter.bytes, metadataPath: published.metadataPath, durationMs };
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    if (err instanceof DatabaseConnectError) throw err;
    throw err instanceof BackupError ? err : new BackupError(`the backup of ${url.target} failed: ${scrubSecrets((err as Error).message)}. No backup was written.`);
  } finally {
    await session.close();
  }
}
