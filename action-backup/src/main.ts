// Database backup: a placeholder until the backup issue lands. It parses the common inputs and fails plainly, touching nothing.
import { ConfigurationError, runAction, type ActionDefinition } from '../../shared/src/index.js';

export const definition: ActionDefinition<Record<string, never>> = {
  name: 'backup',
  title: 'Database backup',
  readInputs: () => ({}),
  execute: async () => {
    throw new ConfigurationError('action-backup is not implemented yet (the backup issue); nothing was changed.');
  }
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
