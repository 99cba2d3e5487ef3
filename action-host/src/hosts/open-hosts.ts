// What every operation starts with: one SSH connection per target host and its compose project (the
// health check reads its containers; the lock lives in its directory), and — for work that changes a
// host — the same host lock action-deploy takes, so a deploy and an upgrade or clean-up never run on one
// host together. Also the one way a command runs as root: directly when the SSH user is root, else
// through `sudo -n` (never a password prompt that would hang the step).
import {
  acquireHostLock,
  hostLockPath,
  releaseHostLock,
  composeProjectFromConfig,
  mapLimit,
  shellJoin,
  SshPool,
  UndoSessions,
  type SshSession,
  type ComposeProject,
  type HostTarget,
  type RunContext
} from '../../../shared/src/index.js';
import type { HostInputs } from '../inputs.js';

/** One host of the run. */
export interface HostContext {
  target: HostTarget;
  label: string;
  session: SshSession;
  project: ComposeProject;
  /**
   * The session to undo work on: the current one, or — when it was lost (sshd restarted, sessions
   * killed) — one new connection, made once and shared by every undo on this host.
   */
  undoSession(): Promise<SshSession>;
}

export interface Hosts {
  list: HostContext[];
  of(target: HostTarget): HostContext;
}

/** Connects to every host (bounded fan-out) and resolves its compose project from the config. */
export async function openHosts(inputs: HostInputs, ctx: RunContext): Promise<Hosts> {
  const pool = new SshPool(inputs.ssh);
  const undo = new UndoSessions(inputs.ssh, ctx.log.warn);
  // Registered first, so it runs last: after every undo, on the connections the undos opened too.
  ctx.cleanups.add('close the SSH connections', async () => {
    await pool.closeAll();
    await undo.closeAll();
  });
  const list = await mapLimit(inputs.ssh.targets, inputs.ssh.options.parallel, async (target): Promise<HostContext> => {
    const session = await pool.get(target);
    const host = ctx.config.hosts.find((h) => h.name === target.name);
    const compose = { ...ctx.config.compose, ...(host?.compose ?? {}), ...(inputs.projectDir ? { projectDir: inputs.projectDir } : {}) };
    // The CLI is not needed (only labels and docker are used): no detection round trip.
    const project = composeProjectFromConfig(compose, compose.command === 'auto' ? 'docker-compose' : compose.command);
    const h: HostContext = { target, label: target.name, session, project, undoSession: () => Promise.resolve(session) };
    // The host's current session (a reboot replaces it), or one new connection once that one is lost.
    h.undoSession = undo.sessionFor(target, () => h.session);
    return h;
  });
  const byTarget = new Map(list.map((h) => [h.target, h]));
  return { list, of: (t) => byTarget.get(t) as HostContext };
}

/** The post step's cleanup kind, and what it needs to release a lock a killed main step still held. */
export const RELEASE_HOST_LOCK = 'release-host-lock';
export interface ReleaseHostLockData {
  [key: string]: unknown;
  host: string;
  path: string;
  id: string;
}

/** Takes the host lock on every host, in order (a held lock stops the run before the next is taken). */
export async function lockHosts(hosts: Hosts, inputs: HostInputs, ctx: RunContext, purpose: string): Promise<void> {
  for (const h of hosts.list) {
    const lock = await acquireHostLock(h.session, {
      path: hostLockPath(h.project.dir),
      holder: { actor: process.env.GITHUB_ACTOR ?? process.env.USER ?? 'unknown', runUrl: ctx.runUrl, purpose },
      waitMs: inputs.lockWaitMs,
      breakExisting: inputs.breakLock,
      signal: ctx.signal
    });
    if (lock.broken) ctx.log.warn(`${h.label}: broke the host lock held by ${lock.broken === 'unknown' ? 'an unknown holder' : `${lock.broken.actor} (${lock.broken.runUrl}) for '${lock.broken.purpose}'`}, as break-lock asked.`);
    // Through the host's current session (a reboot replaces it); persisted, so the post step releases it
    // when the main step is killed outright.
    const data: ReleaseHostLockData = { host: h.target.name, path: lock.path, id: lock.holder.id };
    ctx.cleanups.add(`release the host lock on ${h.label}`, async () => releaseHostLock(await h.undoSession(), lock.path, lock.holder.id), { persist: { kind: RELEASE_HOST_LOCK, data } });
  }
}

/**
 * A shell command that runs `args` as root with `env` set: plain `env` when the SSH user is root, else
 * `sudo -n` (variables given on sudo's command line, which sudo allows for `ALL` rules or kept names).
 */
export function asRoot(args: string[], env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const words = shellJoin([...vars, ...args]);
  return `if [ "$(id -u)" = 0 ]; then env ${words}; else sudo -n ${words}; fi`;
}

/** Explains a sudo refusal in the words an operator needs (sudo's own line is kept). */
export function explainSudo(stderr: string, what: string): string | undefined {
  const refusal = /sudo: (a password is required|a terminal is required|.*is not in the sudoers)|Sorry, user \S+ is not allowed to execute/i;
  if (refusal.test(stderr)) {
    return `${what} needs root: the SSH user must run it through passwordless sudo (sudo said: ${stderr.trim().split('\n').find((l) => refusal.test(l))?.slice(0, 200)})`;
  }
  return undefined;
}
