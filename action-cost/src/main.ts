// DigitalOcean cost report: a placeholder until the cost-report issue lands. It parses the common inputs and fails plainly, touching nothing.
import { ConfigurationError, runAction, type ActionDefinition } from '../../shared/src/index.js';

export const definition: ActionDefinition<Record<string, never>> = {
  name: 'cost',
  title: 'DigitalOcean cost report',
  readInputs: () => ({}),
  execute: async () => {
    throw new ConfigurationError('action-cost is not implemented yet (the cost-report issue); nothing was changed.');
  }
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
