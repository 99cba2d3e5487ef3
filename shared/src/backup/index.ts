// Backups: retention decisions, the metadata beside every backup, streamed and checked runner-side
// pipelines, and the database backup used by action-backup, action-migrate (a backup before applying)
// and action-host (pruning local backups).
export { parseRetention, planRetention, type BackupEntry, type RetentionPolicy } from './retention.js';
export {
  BACKUP_METADATA_FORMAT,
  METADATA_SUFFIX,
  BackupMetadataError,
  hashFile,
  isVerified,
  listBackups,
  metadataPathFor,
  parseBackupMetadata,
  readBackupMetadata,
  writeBackupMetadata,
  type BackupKind,
  type BackupMetadata,
  type BackupVerification,
  type ListedBackup,
  type TableRowCount,
  type VerificationStatus
} from './metadata.js';
export { backUpDatabaseToDirectory, databaseBackupExtension, databaseRestoreCommand, type DatabaseBackupOptions, type DatabaseBackupResult } from './database-backup.js';
export { LocalPipelineError, runLocalPipeline, type LocalPipelineOptions, type LocalStage, type LocalStageResult } from './local-pipeline.js';
export { PROGRESS_INTERVAL_MS, MeteredFile, ProgressMeter, progressLine, startProgressTicker } from './progress.js';
export {
  BackupError,
  USER_TABLES_SQL,
  assertClientNotOlder,
  byTable,
  countRows,
  decompressStages,
  listArchive,
  localClientVersion,
  parseClientVersion,
  quoteTable,
  rowCountSql,
  serverMajor,
  tableDataEntry,
  tablesMissingFromArchive,
  type ArchiveListing
} from './pg-tools.js';
export { DEFAULT_MIN_BACKUP_BYTES, assertBackupLabel, backupStamp, publishBackup, syncFile, temporaryPathFor } from './finish.js';
export { checkBackupChecksum, compareRowCounts, restoreDatabaseBackup, type RestoreRequest, type RowCountDifference } from './restore.js';
