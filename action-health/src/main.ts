// Entry of the health action: the definition handed to the run funnel, and run() for index.ts and tests.
import { runAction, type ActionDefinition } from '../../shared/src/index.js';
import { executeHealth, HEALTH_ACTION } from './execute.js';
import { readHealthInputs, type HealthInputs } from './read-inputs.js';

/** The morning health check as the funnel runs it. Incidents open on failures, not on degraded latency. */
export const healthAction: ActionDefinition<HealthInputs> = {
  name: HEALTH_ACTION.name,
  title: HEALTH_ACTION.title,
  issueOn: 'fail',
  readInputs: readHealthInputs,
  execute: executeHealth
};

/** Runs the health action. */
export async function run(): Promise<void> {
  await runAction(healthAction);
}
