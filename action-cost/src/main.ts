// action-cost: the runbook's monthly cost review and Friday cost report from the DigitalOcean API
// (balance, billing, inventory priced per resource, projection, clean-up and right-sizing), with one
// budget issue opened on a breach and closed when back under.
import { runAction, type ActionDefinition } from '../../shared/src/index.js';
import { executeCost, type CostDeps } from './execute.js';
import { COST_ACTION, readCostInputs, type CostInputs } from './inputs.js';

/** The action; `deps` lets tests fix the clock. */
export function costDefinition(deps?: CostDeps): ActionDefinition<CostInputs> {
  return {
    ...COST_ACTION,
    // A budget breach is a warning (the step passes unless fail-on: warn), and it is what opens the issue.
    issueOn: 'warn',
    readInputs: readCostInputs,
    execute: (inputs, ctx) => executeCost(inputs, ctx, deps)
  };
}

export const definition = costDefinition();

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
