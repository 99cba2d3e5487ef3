// Which backup an operation works on: the named `backup-path`, or the newest good database backup in
// the destination.
import { ConfigurationError, listBackups, readBackupMetadata, type BackupMetadata } from '../../../shared/src/index.js';
import { BACKUP_INPUTS, type BackupInputs } from '../inputs.js';

export interface SelectedBackup {
  path: string;
  metadata: BackupMetadata;
}

/** The backup to verify or restore; ConfigurationError when there is none. `before`: only backups taken before it. */
export async function selectDatabaseBackup(inputs: BackupInputs, opts: { before?: Date } = {}): Promise<SelectedBackup> {
  if (inputs.backupPath) {
    const metadata = await readBackupMetadata(inputs.backupPath).catch((err: Error) => {
      throw new ConfigurationError(`Input '${BACKUP_INPUTS.backupPath}': ${err.message}. Name a backup file written by this action (its .meta.json sits beside it).`);
    });
    if (metadata.kind !== 'database') throw new ConfigurationError(`Input '${BACKUP_INPUTS.backupPath}' names a ${metadata.kind} backup; verify and restore work on database backups.`);
    return { path: inputs.backupPath.replace(/\.meta\.json$/, ''), metadata };
  }
  const { backups } = await listBackups(inputs.destination, { kind: 'database', label: inputs.databaseName }).catch(() => ({ backups: [] }));
  const good = backups.filter((b) => b.verified && (!opts.before || b.createdAt < opts.before));
  if (!good[0]) {
    throw new ConfigurationError(`No good backup of '${inputs.databaseName}' in '${inputs.destination}' (input '${BACKUP_INPUTS.destination}'): take one with operation 'backup' first, or name it with '${BACKUP_INPUTS.backupPath}'.`);
  }
  return { path: good[0].path, metadata: good[0].metadata };
}
