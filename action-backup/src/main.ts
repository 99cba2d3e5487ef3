// action-backup: verified, streamed backups of the database, volumes and config; restore drills,
// listing, freshness, retention and restores, one file per operation.
import { runAction, type ActionDefinition, type ActionResult, type RunContext } from '../../shared/src/index.js';
import { BACKUP_ACTION, readBackupInputs, type BackupInputs, type Operation } from './inputs.js';
import { backup } from './operations/backup.js';
import { freshness } from './operations/freshness.js';
import { list } from './operations/list.js';
import { prune } from './operations/prune.js';
import { restore } from './operations/restore.js';
import { verify } from './operations/verify.js';

const OPERATION: Record<Operation, (inputs: BackupInputs, ctx: RunContext) => Promise<ActionResult>> = { backup, verify, list, freshness, prune, restore };

export const definition: ActionDefinition<BackupInputs> = {
  ...BACKUP_ACTION,
  readInputs: readBackupInputs,
  execute: (inputs, ctx) => OPERATION[inputs.operation](inputs, ctx)
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
