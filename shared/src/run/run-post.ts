// The `post:` step's funnel: runs the cleanups the main step registered as persistent but never got to
// run (a main step killed outright after its grace window), so no lock is left held for weeks.
import * as core from '@actions/core';
import { loadOpsConfig } from '../config/load-config.js';
import { toError } from '../errors.js';
import { scrubSecrets } from '../secrets.js';
import { POST_CLEANUPS_STATE, type PersistedCleanup } from './cleanups.js';
import { readCommonInputs } from './common-inputs.js';
import { actionsLogger } from './logger.js';
import type { ActionDefinition, InputContext } from './types.js';

/** Undoes one kind of persisted work (`release-lock`); gets the action's inputs for credentials. */
export type PostHandler<I> = (data: PersistedCleanup['data'], inputs: I, ctx: InputContext) => Promise<void>;

/** Runs the pending persisted cleanups of the main step. Never throws; fails the step if one fails. */
export async function runPost<I>(def: Pick<ActionDefinition<I>, 'name' | 'title' | 'readInputs'> & { post: Record<string, PostHandler<I>> }): Promise<void> {
  const pending = readPending();
  if (pending.length === 0) {
    actionsLogger.info('Post: nothing was left to clean up.');
    return;
  }
  let failed = 0;
  try {
    const common = readCommonInputs();
    const ctx: InputContext = { config: loadOpsConfig(common.config), common, eventName: process.env.GITHUB_EVENT_NAME ?? 'local' };
    const inputs = def.readInputs(ctx);
    for (const entry of pending) {
      const handler = def.post[entry.kind];
      try {
        if (!handler) throw new Error(`no post handler for '${entry.kind}'`);
        await handler(entry.data, inputs, ctx);
        actionsLogger.info(`Post: ${entry.label}: done (the main step had not finished it).`);
      } catch (e) {
        failed++;
        actionsLogger.warn(`Post: ${entry.label}: FAILED: ${toError(e).message}`);
      }
    }
  } catch (e) {
    core.setFailed(scrubSecrets(`${def.title} post step could not clean up (${pending.map((p) => p.label).join('; ')}): ${toError(e).message}`));
    return;
  }
  if (failed) core.setFailed(scrubSecrets(`${def.title} post step: ${failed} of ${pending.length} cleanups failed; see the warnings above and clean up by hand.`));
}

function readPending(): Array<PersistedCleanup & { label: string }> {
  const raw = core.getState(POST_CLEANUPS_STATE);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as Array<PersistedCleanup & { label: string }>) : [];
  } catch {
    return [];
  }
}
