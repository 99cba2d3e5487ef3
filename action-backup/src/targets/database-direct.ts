// The database backup on the runner (`database-url`): the core's backUpDatabaseToDirectory does the work.
import { backUpDatabaseToDirectory, readBackupMetadata, type RunContext } from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';
import { progressLog, type BackupOutcome } from './types.js';

export async function backUpDatabaseDirect(inputs: BackupInputs, ctx: RunContext): Promise<BackupOutcome> {
  const result = await backUpDatabaseToDirectory({
    databaseUrl: inputs.database!.url,
    destinationDir: inputs.destination,
    signal: ctx.signal,
    log: progressLog(ctx, '')
  });
  return { target: 'database', host: 'runner', path: result.path, metadataPath: result.metadataPath, metadata: await readBackupMetadata(result.metadataPath) };
}
