// `restore` into the live database: only on workflow_dispatch with `confirm` equal to the database name
// (checked in inputs.ts before anything is touched), after a fresh backup of the live database, in one
// transaction (`--single-transaction --clean --if-exists`: a failure leaves the database as it was).
import {
  backUpDatabaseToDirectory,
  checkBackupChecksum,
  compareRowCounts,
  formatDuration,
  restoreDatabaseBackup,
  toError,
  type ActionResult,
  type RunContext
} from '../../../shared/src/index.js';
import { BACKUP_OUTPUTS, type BackupInputs } from '../inputs.js';
import { selectDatabaseBackup } from './select.js';

export async function restore(inputs: BackupInputs, ctx: RunContext): Promise<ActionResult> {
  const url = inputs.database!;
  const startedAt = new Date();
  const backup = await selectDatabaseBackup(inputs, { before: startedAt });
  const sum = await checkBackupChecksum(backup.path, backup.metadata, ctx.signal);
  ctx.report.add({ id: 'restore:checksum', kind: 'checksum', target: backup.path, status: sum.ok ? 'ok' : 'fail', message: sum.message });
  if (!sum.ok) return {};
  try {
    const fresh = await ctx.log.group('Fresh backup of the live database first', () =>
      backUpDatabaseToDirectory({ databaseUrl: url.url, destinationDir: inputs.destination, signal: ctx.signal, log: (l) => ctx.log.info(l), label: `${inputs.databaseName}` })
    );
    ctx.report.add({ id: 'restore:fresh-backup', kind: 'backup', target: fresh.path, status: 'ok', message: `taken before the restore: ${fresh.path} (sha256 ${fresh.sha256.slice(0, 16)}…); restore it the same way to undo` });
  } catch (err) {
    ctx.report.add({ id: 'restore:fresh-backup', kind: 'backup', target: url.target, status: 'fail', message: `no restore: the fresh backup failed (${toError(err).message})` });
    return {};
  }
  try {
    const restored = await ctx.log.group(`Restore ${backup.metadata.file} into ${url.target}`, () =>
      restoreDatabaseBackup({
        path: backup.path,
        compression: backup.metadata.compression === 'zstd' ? 'zstd' : 'none',
        databaseUrl: url.url,
        signal: ctx.signal,
        log: (l) => ctx.log.info(l),
        clean: true,
        singleTransaction: true
      })
    );
    const diffs = compareRowCounts(backup.metadata.database?.tables ?? [], restored.tables);
    ctx.report.add({
      id: 'restore:database',
      kind: 'restore',
      target: url.target,
      status: diffs.length ? 'warn' : 'ok',
      value: restored.durationMs,
      unit: 'ms',
      message: `restored ${backup.metadata.file} in ${formatDuration(restored.durationMs)}; row counts ${diffs.length ? `differ in ${diffs.map((d) => d.table).join(', ')}` : 'match the backup'}`
    });
  } catch (err) {
    ctx.report.add({ id: 'restore:database', kind: 'restore', target: url.target, status: 'fail', message: `${toError(err).message}; the restore ran in one transaction, so the database is as it was` });
  }
  return { outputs: { [BACKUP_OUTPUTS.backupPath]: backup.path, [BACKUP_OUTPUTS.sha256]: backup.metadata.sha256, [BACKUP_OUTPUTS.sizeBytes]: String(backup.metadata.sizeBytes) } };
}
