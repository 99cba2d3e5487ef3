// action-host: the runbook's hands-on host procedures — monthly OS upgrades host by host with health
// checks, the lynis security audit tracked across runs, and disk clean-up — one file per operation.
import { runAction, type ActionDefinition, type ActionResult, type RunContext } from '../../shared/src/index.js';
import { HOST_ACTION, readHostInputs, type HostInputs, type Operation } from './inputs.js';
import { audit } from './operations/audit.js';
import { cleanup } from './operations/cleanup.js';
import { upgrade } from './operations/upgrade.js';

const OPERATION: Record<Operation, (inputs: HostInputs, ctx: RunContext) => Promise<ActionResult>> = { upgrade, audit, cleanup };

export const definition: ActionDefinition<HostInputs> = {
  ...HOST_ACTION,
  readInputs: readHostInputs,
  execute: (inputs, ctx) => OPERATION[inputs.operation](inputs, ctx)
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
