// The connection to undo a host's changes on (release a lock, put a file back, remove a temp dir): the
// run's own while it lives, or — once it was lost (sshd restarted, sessions killed) — one new connection
// per host, made on first need and shared by every undo on that host. A dead host costs one connect
// timeout, not one per undo. Used by action-deploy and action-host.
import { SshSession } from './session.js';
import type { HostTarget, SshConnectParams } from './types.js';

export class UndoSessions {
  private readonly opened: Array<Promise<SshSession>> = [];

  constructor(
    private readonly params: SshConnectParams,
    private readonly warn: (msg: string) => void
  ) {}

  /** For one host: `current()` while it is alive, else the one new connection (made once). */
  sessionFor(target: HostTarget, current: () => SshSession): () => Promise<SshSession> {
    let reconnected: Promise<SshSession> | undefined;
    return () => {
      const session = current();
      if (!session.lostReason) return Promise.resolve(session);
      if (!reconnected) {
        this.warn(`${target.name}: the SSH connection was lost (${session.lostReason}); connecting again to undo what this run changed.`);
        reconnected = SshSession.connect(target, this.params);
        // Remembered even when it fails; callers still see the rejection.
        reconnected.catch(() => undefined);
        this.opened.push(reconnected);
      }
      return reconnected;
    };
  }

  /** How many new connections were made (or attempted). */
  get reconnects(): number {
    return this.opened.length;
  }

  /** Closes the connections made here; never throws. */
  async closeAll(): Promise<void> {
    await Promise.all(this.opened.map((p) => p.then((s) => s.close()).catch(() => undefined)));
  }
}
