// Rolling deploy: a placeholder until the rolling-deploy issue lands. It parses the common inputs and fails plainly, touching nothing.
import { ConfigurationError, runAction, type ActionDefinition } from '../../shared/src/index.js';

export const definition: ActionDefinition<Record<string, never>> = {
  name: 'deploy',
  title: 'Rolling deploy',
  readInputs: () => ({}),
  execute: async () => {
    throw new ConfigurationError('action-deploy is not implemented yet (the rolling-deploy issue); nothing was changed.');
  }
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
