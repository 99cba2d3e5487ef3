// What every step on one host works with: the SSH session, the compose project there, and the run's
// log, cleanups and cancellation.
import type { Cleanups, ComposeProject, Logger, SshSession } from '../../../shared/src/index.js';

export interface HostContext {
  session: SshSession;
  project: ComposeProject;
  /** The host as reports name it. */
  label: string;
  log: Logger;
  cleanups: Cleanups;
  signal: AbortSignal;
}
