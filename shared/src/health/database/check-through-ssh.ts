// The database checks through an SSH host (`database-ssh-host`): open the route (the core's
// database/route.ts: where the database listens as that host sees it, and a tunnel to it over the run's
// one SSH connection to that host), and run the ordinary checks against the tunnel's local end.
import type pg from 'pg';
import { DatabaseRouteError, openDatabaseRoute, type DatabaseRoute, type OpenDatabaseRoute } from '../../database/route.js';
import { toError } from '../../errors.js';
import type { Check } from '../../report/model.js';
import { scrubSecrets } from '../../secrets.js';
import type { SshPool } from '../../ssh/index.js';
import { checkDatabase, type CheckDatabaseOptions } from './check-database.js';
import { DATABASE_CHECK_IDS, unreachableCheck, type DatabaseThresholds } from './classify-database.js';

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
  let opened: OpenDatabaseRoute;
  try {
    opened = await openDatabaseRoute(pool, route, clientConfig, { timeoutMs: opts.timeoutMs });
  } catch (err) {
    const reason = err instanceof DatabaseRouteError ? err.message : toError(err).message;
    return [unreachableCheck(opts.target, scrubSecrets(reason), opts.timeoutMs)];
  }
  const { tunnel, via, where } = opened;
  try {
    const checks = await checkDatabase(opened.clientConfig, thresholds, opts);
    const reach = checks.find((c) => c.id === DATABASE_CHECK_IDS.reachability);
    // pg only saw its socket reset; what the SSH host said about the channel is the real reason.
    if (reach && reach.status === 'fail' && tunnel.lastError) {
      reach.message = scrubSecrets(`not accepting connections through ${via} (${where}): ${tunnel.lastError.message}`);
    } else if (reach && reach.status === 'fail') {
      reach.message = `${reach.message} (through ${via} to ${where})`;
    } else if (reach) {
      reach.details = `${reach.details ? `${reach.details}\n` : ''}Reached through an SSH tunnel on ${via} to ${where}.`;
    }
    return checks;
  } finally {
    await tunnel.close();
  }
}
