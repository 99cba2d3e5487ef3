// What every operation starts with: one SSH connection per target host, the compose project there
// (its CLI detected), and — for operations that change the hosts — the deploy lock on every host,
// all taken before anything changes, so two deploys can never interleave host by host.
import { mapLimit, resolveComposeProject, SshPool, UndoSessions, type HostTarget, type RunContext } from '../../../shared/src/index.js';
import { composeFor, type DeployInputs } from '../inputs.js';
import { takeDeployLock } from '../rollout/deploy-lock.js';
import type { HostContext } from '../rollout/host-context.js';

/** The hosts of this run, keyed for `runOnHostsRolling` by their target. */
export interface Hosts {
  list: HostContext[];
  of(target: HostTarget): HostContext;
  targets: HostTarget[];
}

/** Connects to every host and resolves its compose project; with `lockFor`, takes every deploy lock. */
export async function openHosts(inputs: DeployInputs, ctx: RunContext, lockFor?: string): Promise<Hosts> {
  const pool = new SshPool(inputs.ssh);
  const undo = new UndoSessions(inputs.ssh, ctx.log.warn);
  // Registered first, so it runs last: after every undo, on the connections the undos opened too.
  ctx.cleanups.add('close the SSH connections', async () => {
    await pool.closeAll();
    await undo.closeAll();
  });
  const list = await mapLimit(inputs.ssh.targets, inputs.ssh.options.parallel, async (target): Promise<HostContext> => {
    const session = await pool.get(target);
    const project = await resolveComposeProject(session, composeFor(ctx.config, target.name, inputs.composeInputs));
    // One new connection per host at most, made only when an undo finds the first one lost (and
    // remembered even when it fails: a dead host costs one connect timeout, not one per undo).
    const undoSession = undo.sessionFor(target, () => session);
    return { session, project, label: target.name, log: ctx.log, cleanups: ctx.cleanups, signal: ctx.signal, undoSession };
  });
  if (lockFor) {
    // In host order, one at a time: a held lock stops the run before a second lock is taken.
    for (const h of list) {
      await takeDeployLock(h.session, h.project.dir, ctx, { purpose: lockFor, breakLock: inputs.breakLock, waitMs: inputs.lockWaitMs, releaseWith: h.undoSession });
    }
  }
  const byTarget = new Map(list.map((h, i) => [inputs.ssh.targets[i], h]));
  return { list, targets: inputs.ssh.targets, of: (t) => byTarget.get(t) as HostContext };
}
