// The database checks through an SSH host (`database-ssh-host`): find where the database listens as that
// host sees it (a compose service's container, or the URL's host), tunnel to it over the run's one SSH
// connection to that host, and run the ordinary checks against the tunnel's local end.
import type pg from 'pg';
import { findServiceAddress } from '../../compose/containers.js';
import { toError } from '../../errors.js';
import type { Check } from '../../report/model.js';
import { scrubSecrets } from '../../secrets.js';
import { openTunnel, type HostTarget, type SshConnectParams, type SshPool, type SshSession } from '../../ssh/index.js';
import { checkDatabase, type CheckDatabaseOptions } from './check-database.js';
import { DATABASE_CHECK_IDS, unreachableCheck, type DatabaseThresholds } from './classify-database.js';

/** Where the database is, as the SSH host sees it. */
export type RemoteDatabase =
  | { kind: 'service'; project: string; service: string; port: number }
  | { kind: 'address'; host: string; port: number };

/** How the database is reached through SSH. */
export interface DatabaseRoute {
  /** The SSH host the tunnel starts on. */
  host: HostTarget;
  /** Credentials for the pool when no `hosts` are checked (otherwise the run's SSH settings are used). */
  params: SshConnectParams;
  remote: RemoteDatabase;
}

/** The same client config aimed at `host:port` (the tunnel's local end); user, password, database, options kept. */
export function aimClientConfig(clientConfig: pg.ClientConfig, host: string, port: number): pg.ClientConfig {
  if (!clientConfig.connectionString) return { ...clientConfig, host, port };
  // pg lets the connection string win over host/port, so the URL itself is rewritten.
  const url = new URL(clientConfig.connectionString);
  url.hostname = host;
  url.port = String(port);
  return { ...clientConfig, connectionString: url.toString() };
}

/**
 * Checks the database behind `route.host`. The SSH session comes from `pool` (one connection per host
 * per run, shared with the host checks). SSH and lookup failures become the failed
 * `database:reachability` check with their reason; they never throw.
 */
export async function checkDatabaseThroughSsh(
  pool: SshPool,
  route: DatabaseRoute,
  clientConfig: pg.ClientConfig,
  thresholds: DatabaseThresholds,
  opts: CheckDatabaseOptions
): Promise<Check[]> {
  const fail = (reason: string): Check[] => [unreachableCheck(opts.target, scrubSecrets(reason), opts.timeoutMs)];
  let session: SshSession;
  try {
    session = await pool.get(route.host);
  } catch (err) {
    return fail(`could not reach the SSH host it is reached through: ${toError(err).message}`);
  }
  let remoteHost: string;
  let where: string;
  if (route.remote.kind === 'service') {
    try {
      const found = await findServiceAddress(session, route.remote.project, route.remote.service, { timeoutMs: opts.timeoutMs });
      remoteHost = found.address;
      where = `container ${found.container} at ${found.address}:${route.remote.port} (network ${found.network})`;
    } catch (err) {
      return fail(`not reachable: ${toError(err).message}`);
    }
  } else {
    remoteHost = route.remote.host;
    where = `${remoteHost}:${route.remote.port} as ${session.target.name} sees it`;
  }
  let tunnel;
  try {
    tunnel = await openTunnel(session, remoteHost, route.remote.port);
  } catch (err) {
    return fail(`could not open a local tunnel port: ${toError(err).message}`);
  }
  try {
    const checks = await checkDatabase(aimClientConfig(clientConfig, tunnel.host, tunnel.port), thresholds, opts);
    const reach = checks.find((c) => c.id === DATABASE_CHECK_IDS.reachability);
    // pg only saw its socket reset; what the SSH host said about the channel is the real reason.
    if (reach && reach.status === 'fail' && tunnel.lastError) {
      reach.message = scrubSecrets(`not accepting connections through ${session.target.name} (${where}): ${tunnel.lastError.message}`);
    } else if (reach && reach.status === 'fail') {
      reach.message = `${reach.message} (through ${session.target.name} to ${where})`;
    } else if (reach) {
      reach.details = `${reach.details ? `${reach.details}\n` : ''}Reached through an SSH tunnel on ${session.target.name} to ${where}.`;
    }
    return checks;
  } finally {
    await tunnel.close();
  }
}
