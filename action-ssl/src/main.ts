// Entry point of action-ssl for tests and the bundle: runs the action through the shared funnel.
import { runAction } from '../../shared/src/index.js';
import { sslAction } from './definition.js';

/** Runs action-ssl once, as the runner does. Never throws: the funnel reports and fails the step. */
export async function run(): Promise<void> {
  await runAction(sslAction);
}
