// A database reached through an SSH host (`database-ssh-host`): which host, where the database is as that
// host sees it (the compose `postgres` service's container or an address), and the local tunnel end a
// `pg` client connects to over the run's one SSH connection to that host.
import type pg from 'pg';
import { findServiceAddress } from '../compose/containers.js';
import type { OpsConfig } from '../config/types.js';
import { SSH_INPUTS } from '../contract.js';
import { ConfigurationError, toError } from '../errors.js';
import { readSecret, readString, truncate } from '../inputs.js';
import { scrubSecrets } from '../secrets.js';
import { readSshConnectParams, resolveHostEntry } from '../ssh/inputs.js';
import type { SshPool } from '../ssh/pool.js';
import { openTunnel, type SshTunnel } from '../ssh/tunnel.js';
import type { HostTarget, SshConnectParams, SshSettings } from '../ssh/types.js';

/** Where the database is, as the SSH host sees it. */
export type RemoteDatabase =
  | { kind: 'service'; project: string; service: string; port: number }
  | { kind: 'address'; host: string; port: number };

/** How a database is reached through SSH. */
export interface DatabaseRoute {
  /** The SSH host the tunnel starts on. */
  host: HostTarget;
  /** Credentials for the pool when the action checks no `hosts` of its own. */
  params: SshConnectParams;
  remote: RemoteDatabase;
}

/** The same client config aimed at `host:port` (a tunnel's local end); user, password, database, options kept. */
export function aimClientConfig(clientConfig: pg.ClientConfig, host: string, port: number): pg.ClientConfig {
  if (!clientConfig.connectionString) return { ...clientConfig, host, port };
  // pg lets the connection string win over host/port, so the URL itself is rewritten.
  const url = new URL(clientConfig.connectionString);
  url.hostname = host;
  url.port = String(port);
  return { ...clientConfig, connectionString: url.toString() };
}

/** The inputs a route is read from, named by the calling action. */
export interface DatabaseRouteInputs {
  /** The input naming the SSH host (`database-ssh-host`), for messages. */
  viaInput: string;
  /** Its value: a config host name or `[user@]host[:port]`. */
  via: string;
  /** The database URL (its host is the compose service or an address as the SSH host sees it). */
  url: string;
  /** The action's own SSH settings when it also works on `hosts` (the route then shares their target). */
  ssh?: SshSettings;
  /** The compose project the service is found by; empty when the action was told there is none. */
  project: string;
  /** The input that names the project, for the message when it is missing. */
  projectInput: string;
}

/** A bare word is how a config host is named; one that names none is a typo, not a DNS name to try. */
const BARE_NAME_RE = /^[A-Za-z0-9_-]+$/;

/**
 * Reads a route: the SSH host (checked against `hosts` and the config, its host key covered by the
 * pinned keys), and where the database is as that host sees it. The URL's host is the compose service
 * when it equals config `database.service`, else an address resolved on the SSH host. ConfigurationError
 * naming the input on every mistake, before anything is contacted.
 */
export function readDatabaseRoute(config: OpsConfig, inputs: DatabaseRouteInputs): DatabaseRoute {
  const name = inputs.viaInput;
  const via = inputs.via;
  if (!readSecret(SSH_INPUTS.sshPrivateKey)) {
    throw new ConfigurationError(`Input '${name}' needs SSH credentials: set '${SSH_INPUTS.sshPrivateKey}' (and '${SSH_INPUTS.sshFingerprint}' or '${SSH_INPUTS.sshKnownHosts}' for the host key).`);
  }
  const ssh = inputs.ssh;
  const params = ssh ?? readSshConnectParams(config);
  const sshUser = readString(SSH_INPUTS.sshUser);
  let host: HostTarget | undefined = ssh?.targets.find((t) => t.name === via);
  if (!host && !config.hosts.some((h) => h.name === via) && BARE_NAME_RE.test(via) && !/^\d+$/.test(via)) {
    const known = [...new Set([...(ssh?.targets.map((t) => t.name) ?? []), ...config.hosts.map((h) => h.name)])];
    throw new ConfigurationError(
      `Input '${name}' names '${truncate(via)}', which is not a host of '${SSH_INPUTS.hosts}' or of the config` +
        `${known.length ? ` (known: ${known.map((k) => `'${k}'`).join(', ')})` : ''}: use one of those names, or write the host as '[user@]host[:port]'.`
    );
  }
  if (!host) {
    const parsed = resolveHostEntry(via, config, sshUser, `Input '${name}'`);
    // The same host as one of `hosts`: take that target, so the report and the pool agree on it.
    host = ssh?.targets.find((t) => t.user === parsed.user && t.address === parsed.address && t.port === parsed.port) ?? parsed;
  }
  try {
    params.hostKeys.assertCovers(host);
  } catch (err) {
    if (err instanceof ConfigurationError) throw new ConfigurationError(`Input '${name}' (host '${host.name}'): ${err.message}`);
    throw err;
  }

  const parsedUrl = new URL(inputs.url);
  const dbHost = parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsedUrl.port ? Number(parsedUrl.port) : 5432;
  const service = config.database.service;
  if (dbHost !== service) return { host, params, remote: { kind: 'address', host: dbHost, port } };
  if (!inputs.project) {
    throw new ConfigurationError(
      `Input '${name}': the database host '${service}' is the compose service, found by its compose project, but '${inputs.projectInput}' is 'none': name the project (or the config's compose.project-dir).`
    );
  }
  return { host, params, remote: { kind: 'service', project: inputs.project, service, port } };
}

/** A route that could not be opened; `message` says which step failed, scrubbed of secrets. */
export class DatabaseRouteError extends Error {
  override name = 'DatabaseRouteError';
}

/** An open route: connect a client to `tunnel.host:tunnel.port`. */
export interface OpenDatabaseRoute {
  tunnel: SshTunnel;
  /** The SSH host's name. */
  via: string;
  /** Where the tunnel leads, for reports: `container x at 172.18.0.2:5432 (network p_default)`. */
  where: string;
  /** The client config aimed at the tunnel's local end. */
  clientConfig: pg.ClientConfig;
}

/**
 * Opens a route: the SSH session from `pool` (one connection per host per run), the service's container
 * address when the database is a compose service, then a local tunnel. Throws DatabaseRouteError saying
 * which step failed. Close `tunnel` when done (the pool closes the SSH session).
 */
export async function openDatabaseRoute(pool: SshPool, route: DatabaseRoute, clientConfig: pg.ClientConfig, opts: { timeoutMs: number }): Promise<OpenDatabaseRoute> {
  const fail = (reason: string): never => {
    throw new DatabaseRouteError(scrubSecrets(reason));
  };
  const session = await pool.get(route.host).catch((err: unknown) => fail(`could not reach the SSH host it is reached through: ${toError(err).message}`));
  let remoteHost: string;
  let where: string;
  if (route.remote.kind === 'service') {
    const { project, service, port } = route.remote;
    const found = await findServiceAddress(session, project, service, { timeoutMs: opts.timeoutMs }).catch((err: unknown) => fail(`not reachable: ${toError(err).message}`));
    remoteHost = found.address;
    where = `container ${found.container} at ${found.address}:${port} (network ${found.network})`;
  } else {
    remoteHost = route.remote.host;
    where = `${remoteHost}:${route.remote.port} as ${session.target.name} sees it`;
  }
  const tunnel = await openTunnel(session, remoteHost, route.remote.port).catch((err: unknown) => fail(`could not open a local tunnel port: ${toError(err).message}`));
  return { tunnel, via: session.target.name, where, clientConfig: aimClientConfig(clientConfig, tunnel.host, tunnel.port) };
}
