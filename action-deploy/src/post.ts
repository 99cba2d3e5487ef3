// The post step of action-deploy: releases the deploy locks a killed main step still held (only the
// locks this run took, matched by their id), so a cancelled run never leaves a lock for weeks.
import { runPost, SshSession, type HostTarget } from '../../shared/src/index.js';
// Only what releasing a lock needs: the post bundle carries no operation.
import { DEPLOY_ACTION, readDeployInputs } from './inputs.js';
import { RELEASE_LOCK, releaseDeployLock, type ReleaseLockData } from './rollout/deploy-lock.js';

await runPost({
  ...DEPLOY_ACTION,
  readInputs: readDeployInputs,
  post: {
    [RELEASE_LOCK]: async (data, inputs) => {
      const lock = data as ReleaseLockData;
      const target = inputs.ssh.targets.find((t: HostTarget) => t.name === lock.host);
      if (!target) throw new Error(`host '${lock.host}' is not among this step's hosts any more`);
      const session = await SshSession.connect(target, inputs.ssh);
      try {
        await releaseDeployLock(session, lock);
      } finally {
        await session.close();
      }
    }
  }
});
