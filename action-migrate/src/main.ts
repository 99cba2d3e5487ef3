// action-migrate: safe schema migrations (status, plan with lint and a pull request comment, apply with
// a backup and an advisory lock, verify, and exec for apps with their own tool), one file per operation.
import { runAction, type ActionDefinition, type ActionResult, type RunContext } from '../../shared/src/index.js';
import { MIGRATE_ACTION, readMigrateInputs, type MigrateInputs, type Operation } from './inputs.js';
import { apply } from './operations/apply.js';
import { exec } from './operations/exec.js';
import { plan } from './operations/plan.js';
import { status } from './operations/status.js';
import { verify } from './operations/verify.js';

const OPERATION: Record<Operation, (inputs: MigrateInputs, ctx: RunContext) => Promise<ActionResult>> = {
  apply: (inputs, ctx) => apply(inputs, ctx),
  status,
  plan,
  verify,
  exec
};

export const definition: ActionDefinition<MigrateInputs> = {
  ...MIGRATE_ACTION,
  readInputs: (ctx) => readMigrateInputs(ctx),
  execute: (inputs, ctx) => OPERATION[inputs.operation](inputs, ctx)
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
