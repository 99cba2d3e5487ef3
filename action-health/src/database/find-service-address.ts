// Finds the container IP of a compose service on an SSH host, by the labels compose v1 and v2 both put
// on their containers, so the database can be tunnelled to without a published port.
import { shellJoin, type SshSession } from '../../../shared/src/index.js';

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';
/** `docker-compose run` / `docker compose run` containers: never the service itself. */
const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/** Where one compose service's container listens, as its host sees it. */
export interface ServiceAddress {
  /** The container IP on its compose network (127.0.0.1 for `network_mode: host`). */
  address: string;
  /** Container name without the leading '/', for messages. */
  container: string;
  network: string;
}

/** The part of `docker inspect` this reads; every field is optional because daemons differ. */
interface InspectedContainer {
  Name?: string;
  State?: { Status?: string; Running?: boolean };
  Config?: { Labels?: Record<string, string> | null };
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string } | null> | null };
}

/** A lookup that found no single usable container; the message is what the report says. */
export class ServiceLookupError extends Error {
  override name = 'ServiceLookupError';
}

const nameOf = (c: InspectedContainer): string => (c.Name ?? '?').replace(/^\//, '');

/**
 * Picks the one running container of `service` from `docker inspect` output and its IP. The compose
 * network is preferred (`<project>_default`, then any `<project>_*`), so a container also attached to
 * an external network is reached where compose put it. Throws ServiceLookupError naming what was
 * found when there is no running container, more than one, or no IP.
 */
export function pickServiceAddress(inspected: readonly InspectedContainer[], project: string, service: string, hostLabel: string): ServiceAddress {
  const what = `compose service '${service}' of project '${project}' on ${hostLabel}`;
  const ours = inspected.filter((c) => {
    const labels = c.Config?.Labels ?? {};
    return labels[PROJECT_LABEL] === project && labels[SERVICE_LABEL] === service && !/^true$/i.test(labels[ONEOFF_LABEL] ?? '');
  });
  const running = ours.filter((c) => c.State?.Running === true || c.State?.Status === 'running');
  if (running.length === 0) {
    const others = ours.map((c) => `${nameOf(c)}: ${c.State?.Status ?? 'unknown'}`).join(', ');
    throw new ServiceLookupError(
      ours.length
        ? `the ${what} has no running container (${others})`
        : `the ${what} has no container: check 'compose-project' and that the project is up there`
    );
  }
  if (running.length > 1) {
    throw new ServiceLookupError(`the ${what} runs ${running.length} containers (${running.map(nameOf).sort().join(', ')}): expected exactly one database`);
  }
  const c = running[0];
  if (c.HostConfig?.NetworkMode === 'host') return { address: '127.0.0.1', container: nameOf(c), network: 'host' };
  const networks = Object.entries(c.NetworkSettings?.Networks ?? {})
    .filter(([, n]) => Boolean(n?.IPAddress))
    .sort(([a], [b]) => a.localeCompare(b));
  const rank = (name: string): number => (name === `${project}_default` ? 0 : name.startsWith(`${project}_`) ? 1 : 2);
  const best = networks.sort(([a], [b]) => rank(a) - rank(b))[0];
  if (best) return { address: best[1]?.IPAddress as string, container: nameOf(c), network: best[0] };
  // Daemons before user-defined networks only filled the top-level field.
  if (c.NetworkSettings?.IPAddress) return { address: c.NetworkSettings.IPAddress, container: nameOf(c), network: 'bridge' };
  throw new ServiceLookupError(`container ${nameOf(c)} of the ${what} has no IP address on any network`);
}

/**
 * Looks the service's container up on the session's host: `docker ps -a` by the compose labels, then
 * `docker inspect`. Both commands are bounded by `timeoutMs`. Throws ServiceLookupError with a
 * sentence for the report on any failure (docker missing or refused, no/several containers, no IP).
 */
export async function findServiceAddress(session: SshSession, project: string, service: string, timeoutMs: number): Promise<ServiceAddress> {
  const host = session.target.name;
  const ps = await session.exec(
    shellJoin(['docker', 'ps', '-aq', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`, '--filter', `label=${SERVICE_LABEL}=${service}`]),
    { timeoutMs, label: 'docker ps (database service)' }
  );
  if (ps.code !== 0) {
    const why = ps.timedOut ? `timed out after ${timeoutMs} ms` : (ps.stderr.trim() || ps.connectionError || `exit code ${ps.code}`).split('\n')[0];
    throw new ServiceLookupError(`could not list containers on ${host} to find compose service '${service}': docker ps failed: ${why}`);
  }
  const ids = ps.stdout.split(/\s+/).filter((id) => /^[0-9a-f]{12,64}$/.test(id));
  if (!ids.length) return pickServiceAddress([], project, service, host);
  const inspect = await session.exec(shellJoin(['docker', 'inspect', ...ids]), { timeoutMs, label: 'docker inspect (database service)' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(inspect.stdout);
  } catch {
    parsed = undefined;
  }
  // A container removed between the two commands makes inspect exit 1 but still print the others.
  if (!Array.isArray(parsed)) {
    const why = inspect.timedOut ? `timed out after ${timeoutMs} ms` : (inspect.stderr.trim() || inspect.connectionError || `exit code ${inspect.code}`).split('\n')[0];
    throw new ServiceLookupError(`could not inspect the containers of compose service '${service}' on ${host}: ${why}`);
  }
  return pickServiceAddress(parsed as InspectedContainer[], project, service, host);
}
