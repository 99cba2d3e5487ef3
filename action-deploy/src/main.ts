// action-deploy: rolling deploys with automatic rollback, a deploy lock on every host, and the runbook's
// service operations (restart, scale, status, logs, weekly image updates), one file per operation.
import { runAction, type ActionDefinition, type ActionResult, type RunContext } from '../../shared/src/index.js';
import { DEPLOY_ACTION, readDeployInputs, type DeployInputs, type Operation } from './inputs.js';
import { logs } from './operations/logs.js';
import { rollback } from './operations/rollback.js';
import { rollout } from './operations/rollout.js';
import { restart } from './operations/restart.js';
import { scale } from './operations/scale.js';
import { status } from './operations/status.js';
import { updateImages } from './operations/update-images.js';

const OPERATION: Record<Operation, (inputs: DeployInputs, ctx: RunContext) => Promise<ActionResult>> = {
  rollout,
  rollback,
  restart,
  scale,
  status,
  logs,
  'update-images': updateImages
};

export const definition: ActionDefinition<DeployInputs> = {
  ...DEPLOY_ACTION,
  readInputs: readDeployInputs,
  execute: (inputs, ctx) => OPERATION[inputs.operation](inputs, ctx)
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
