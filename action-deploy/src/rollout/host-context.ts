// What every step on one host works with: the SSH session, the compose project there, and the run's
// log, cleanups and cancellation; and the session to undo with once that connection is lost.
import type { Cleanups, ComposeProject, Logger, SshSession } from '../../../shared/src/index.js';

export interface HostContext {
  session: SshSession;
  project: ComposeProject;
  /** The host as reports name it. */
  label: string;
  log: Logger;
  cleanups: Cleanups;
  signal: AbortSignal;
  /**
   * The session to undo this run's changes with (remove new containers, put the env file back, release
   * the lock, append to the audit log): `session` while it is usable, else one new connection. Without
   * it, `session`.
   */
  undoSession?: () => Promise<SshSession>;
}

/**
 * The session an undo runs on. A connection that breaks mid-change (sshd restarted, sessions killed)
 * must not leave the host half-changed: the undo connects again rather than fail with the old one.
 */
export function sessionForUndo(h: Pick<HostContext, 'session' | 'undoSession'>): Promise<SshSession> {
  return h.undoSession ? h.undoSession() : Promise.resolve(h.session);
}
