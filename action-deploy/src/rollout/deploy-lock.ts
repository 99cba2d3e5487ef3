// The deploy lock on every target host, taken before anything changes and released at the end, on
// failure and on cancellation (a cleanup), and by the post step when the main step was killed.
import { actor } from './audit.js';
import { acquireHostLock, hostLockPath, releaseHostLock, type HostLock, type RunContext, type SshSession } from '../../../shared/src/index.js';

/** The lock directory in a project directory (the core's host lock path, which action-host takes too). */
export function deployLockPath(projectDir: string): string {
  return hostLockPath(projectDir);
}

/** The post step's cleanup kind and what it needs to release a lock the main step still held. */
export const RELEASE_LOCK = 'release-deploy-lock';
export interface ReleaseLockData {
  [key: string]: unknown;
  host: string;
  path: string;
  id: string;
}

/** Takes the lock on one host and registers its release (persisted for the post step). */
export async function takeDeployLock(
  session: SshSession,
  projectDir: string,
  ctx: Pick<RunContext, 'cleanups' | 'runUrl' | 'log' | 'signal'>,
  opts: { purpose: string; breakLock: boolean; waitMs: number; releaseWith?: () => Promise<SshSession> }
): Promise<HostLock> {
  const path = deployLockPath(projectDir);
  const lock = await acquireHostLock(session, {
    path,
    holder: { actor: actor(), runUrl: ctx.runUrl, purpose: opts.purpose },
    breakExisting: opts.breakLock,
    waitMs: opts.waitMs,
    signal: ctx.signal
  });
  if (lock.broken) {
    const who = lock.broken === 'unknown' ? 'an unknown holder' : `${lock.broken.actor} (${lock.broken.runUrl}, since ${lock.broken.acquiredAt}, for '${lock.broken.purpose}')`;
    ctx.log.warn(`${session.label}: broke the deploy lock held by ${who}, as break-lock asked.`);
  }
  const data: ReleaseLockData = { host: session.target.name, path, id: lock.holder.id };
  // Released through `releaseWith` when given: a new connection if the one that took the lock was lost.
  const release = async (): Promise<void> => (opts.releaseWith ? releaseDeployLock(await opts.releaseWith(), data) : lock.release());
  ctx.cleanups.add(`release the deploy lock on ${session.label}`, release, { persist: { kind: RELEASE_LOCK, data } });
  return lock;
}

/** The post step's release: only the lock this run took (matched by its id). */
export async function releaseDeployLock(session: SshSession, data: ReleaseLockData): Promise<void> {
  await releaseHostLock(session, data.path, data.id);
}
