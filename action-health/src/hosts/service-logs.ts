// Log excerpts for a failing service: when an endpoint that belongs to a compose service is down, fetch
// the last lines of that service's containers on every host, as the runbook's incident steps do by hand
// (`docker-compose logs --tail=100 api`). One command per host on the already open connection.
import { scrubSecrets, type SshPool } from '../../../shared/src/index.js';
import type { HostsResult } from './check-hosts.js';

/** Container ids come from `docker inspect`; anything else never reaches a shell. */
const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

/**
 * Returns the log excerpt of every container of `service` on every host (empty when none runs there).
 * Never throws: a host that fails to answer is named in the text instead.
 */
export async function collectServiceLogs(pool: SshPool, hosts: HostsResult['containers'], service: string, lines: number, timeoutMs: number): Promise<string> {
  const parts = await Promise.all(
    hosts.map(async ({ target, containers }) => {
      const mine = containers.filter((c) => c.service === service && CONTAINER_ID.test(c.id));
      if (mine.length === 0) return '';
      const n = Math.max(1, Math.min(lines, 1000));
      const script = mine.map((c) => `echo "--- ${c.name}"; docker logs --tail ${n} ${c.id} 2>&1 | tail -c 16000`).join('\n');
      try {
        const session = await pool.get(target);
        const r = await session.exec(script, { timeoutMs, label: `logs of ${service}` });
        return `[${target.name}]\n${r.stdout.trim()}`;
      } catch (err) {
        return `[${target.name}] logs unavailable: ${(err as Error).message}`;
      }
    })
  );
  return scrubSecrets(parts.filter(Boolean).join('\n\n'));
}
