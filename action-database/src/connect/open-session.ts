// Opens the operation's one database session: directly to `database-url`, or through the SSH tunnel of
// `database-ssh-host` (the core route). Always through the core's openDatabaseSession, so the mode,
// statement_timeout, lock_timeout and application_name are in effect before the first query. The session,
// the tunnel and the SSH connection are closed by the run's cleanups, whatever happens.
import {
  DatabaseConnectError,
  DatabaseRouteError,
  SshPool,
  openDatabaseRoute,
  openDatabaseSession,
  type DatabaseMode,
  type DatabaseSession,
  type DatabaseTarget,
  type RunContext
} from '../../../shared/src/index.js';
import type { ConnectionInputs } from '../inputs.js';

/** An open session and how it was reached. */
export interface OpenedSession {
  session: DatabaseSession;
  /** Where the session went (the tunnel's local end, when routed): for a second session to the same server. */
  target: DatabaseTarget;
  /** `Reached through an SSH tunnel on app1 to container …`, when it was. */
  route?: string;
}

/** The connection could not be made: the message says where and why (no password, no stack). */
export class ConnectionFailed extends Error {
  override name = 'ConnectionFailed';
}

/**
 * Opens a session for `applicationName` in `mode` with the connection's timeouts; registers its close
 * (and the tunnel's and SSH connection's) with `ctx.cleanups`. Throws ConnectionFailed.
 */
export async function openSession(conn: ConnectionInputs, mode: DatabaseMode, applicationName: string, ctx: Pick<RunContext, 'cleanups'>): Promise<OpenedSession> {
  let target: DatabaseTarget = conn.clientConfig;
  let route: string | undefined;
  if (conn.route) {
    const pool = new SshPool(conn.route.params);
    ctx.cleanups.add(`close the SSH connection to ${conn.route.host.name}`, () => pool.closeAll());
    try {
      const opened = await openDatabaseRoute(pool, conn.route, conn.clientConfig, { timeoutMs: conn.connectTimeoutMs });
      ctx.cleanups.add('close the database tunnel', () => opened.tunnel.close());
      target = opened.clientConfig;
      route = `Reached through an SSH tunnel on ${opened.via} to ${opened.where}.`;
    } catch (err) {
      if (err instanceof DatabaseRouteError) throw new ConnectionFailed(`${conn.target}: ${err.message}`);
      throw err;
    }
  }
  try {
    const session = await openDatabaseSession(target, {
      mode,
      applicationName,
      connectTimeoutMs: conn.connectTimeoutMs,
      statementTimeoutMs: conn.statementTimeoutMs,
      lockTimeoutMs: conn.lockTimeoutMs
    });
    ctx.cleanups.add('close the database session', () => session.close());
    return { session, target, ...(route ? { route } : {}) };
  } catch (err) {
    if (err instanceof DatabaseConnectError) throw new ConnectionFailed(`${conn.target}: ${err.message}`);
    throw err;
  }
}
