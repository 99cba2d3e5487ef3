// `rollout` (the default): the runbook's "Rolling Updates", by the docker-rollout method, host by host.
import type { ActionResult, RunContext } from '../../../shared/src/index.js';
import type { DeployInputs } from '../inputs.js';
import { runVersionChange } from './change-version.js';

export function rollout(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  return runVersionChange('rollout', inputs, ctx, async () => inputs.version as string);
}
