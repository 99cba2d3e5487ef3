// Log excerpts for a failing service: when an endpoint that belongs to a compose service is down, fetch
// the last lines of that service's containers on every host, as the runbook's incident steps do by hand
// (`docker-compose logs --tail=100 api`). One command per host (the core's readContainerLogs) on the
// already open connection.
import { readContainerLogs, scrubSecrets, type SshPool } from '../../../shared/src/index.js';
import type { HostsResult } from './check-hosts.js';

/**
 * Returns the log excerpt of every container of `service` on every host (empty when none runs there),
 * each container's lines under a `--- <container>` line. Never throws: a host that fails to answer is
 * named in the text instead.
 */
export async function collectServiceLogs(pool: SshPool, hosts: HostsResult['containers'], service: string, lines: number, timeoutMs: number): Promise<string> {
  const parts = await Promise.all(
    hosts.map(async ({ target, containers }) => {
      const mine = containers.filter((c) => c.service === service);
      if (mine.length === 0) return '';
      try {
        const session = await pool.get(target);
        const logs = await readContainerLogs(session, mine.map((c) => c.id), { lines, timeoutMs });
        return `[${target.name}]\n${mine.map((c) => `--- ${c.name}\n${logs[c.id] ?? ''}`.trim()).join('\n')}`;
      } catch (err) {
        return `[${target.name}] logs unavailable: ${(err as Error).message}`;
      }
    })
  );
  return scrubSecrets(parts.filter(Boolean).join('\n\n'));
}
