// The post step of action-host: releases the host locks a killed main step still held (only the locks
// this run took, matched by their id), so a killed upgrade or clean-up never blocks deploys for weeks.
import { releaseHostLock, runPost, SshSession, type HostTarget } from '../../shared/src/index.js';
// Only what releasing a lock needs: the post bundle carries no operation.
import { RELEASE_HOST_LOCK, type ReleaseHostLockData } from './hosts/open-hosts.js';
import { HOST_ACTION, readHostInputs } from './inputs.js';

await runPost({
  ...HOST_ACTION,
  readInputs: readHostInputs,
  post: {
    [RELEASE_HOST_LOCK]: async (data, inputs) => {
      const lock = data as ReleaseHostLockData;
      const target = inputs.ssh.targets.find((t: HostTarget) => t.name === lock.host);
      if (!target) throw new Error(`host '${lock.host}' is not among this step's hosts any more`);
      const session = await SshSession.connect(target, inputs.ssh);
      try {
        await releaseHostLock(session, lock.path, lock.id);
      } finally {
        await session.close();
      }
    }
  }
});
