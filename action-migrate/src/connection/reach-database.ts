// Where this run's sessions connect: the `database-url` directly, or the same URL aimed at a local SSH
// tunnel to the compose `postgres` service (`database-ssh-host`, the core's database route, as health
// uses). The tunnel and the SSH connection are closed by the run's cleanups.
import { openDatabaseRoute, SshPool, type RunContext } from '../../../shared/src/index.js';
import type { MigrateInputs } from '../inputs.js';

/** A database URL a session (and pg_dump) can connect to from this runner. */
export interface ReachedDatabase {
  /** A URL: the input's, or aimed at the tunnel's local end. A secret, like the input. */
  url: string;
  /** For reports: `user@host:port/db` or `... via app-1 (container ...)`. */
  target: string;
}

/** Opens the route when there is one (cleanups close it); else the input URL as is. */
export async function reachDatabase(inputs: Pick<MigrateInputs, 'database' | 'route' | 'target'>, ctx: Pick<RunContext, 'cleanups' | 'log'>, pool?: SshPool): Promise<ReachedDatabase> {
  if (!inputs.route) return { url: inputs.database.url, target: inputs.target };
  const ssh = pool ?? new SshPool(inputs.route.params);
  if (!pool) ctx.cleanups.add('close the SSH connection to the database host', () => ssh.closeAll());
  const opened = await openDatabaseRoute(ssh, inputs.route, { connectionString: inputs.database.url }, { timeoutMs: 30_000 });
  ctx.cleanups.add('close the database tunnel', () => opened.tunnel.close());
  ctx.log.info(`Database reached through an SSH tunnel on ${opened.via} to ${opened.where}.`);
  return { url: opened.clientConfig.connectionString!, target: inputs.target };
}
