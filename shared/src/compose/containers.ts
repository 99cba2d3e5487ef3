// A compose project's containers on a host, found by the labels compose v1 and v2 both set:
// `docker ps -a` by label for the ids, then `docker inspect` (JSON in every Docker version, unlike v1's
// `ps`) for state, health, image, times, restarts, networks and ports. Also where a service listens.
import { shellJoin } from '../ssh/quote.js';
import { assertServiceName } from '../ssh/validate.js';
import { ComposeError } from './errors.js';
import { assertProjectName } from './project.js';
import { COMMAND_NOT_FOUND, DOCKER_COMMAND_TIMEOUT_MS, remoteWords, whyFailed, type ComposeSession } from './remote.js';

/** The labels compose (v1 and v2) puts on every container it creates. */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  /** `True` on `compose run` containers: never one of the service's replicas. */
  oneOff: 'com.docker.compose.oneoff',
  containerNumber: 'com.docker.compose.container-number',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files'
} as const;

/** One network a container is attached to. */
export interface ContainerNetwork {
  name: string;
  /** IPv4 address on that network ('' when none, e.g. while stopped). */
  ipAddress: string;
  ipv6Address?: string;
  aliases: string[];
}

/** One container port and where it is published on the host, if it is. */
export interface ContainerPort {
  containerPort: number;
  protocol: string;
  /** Set when published: the host address (`0.0.0.0`, `127.0.0.1`, `::`) and port. */
  hostIp?: string;
  hostPort?: number;
}

/** One container of a compose project, from `docker inspect`. */
export interface ServiceContainer {
  /** Full 64-hex container id. */
  id: string;
  /** Container name without Docker's leading '/': `proj_api_1` (v1) or `proj-api-1` (v2). */
  name: string;
  project: string;
  service: string;
  /** The replica number compose gave it, when labelled. */
  containerNumber: number | null;
  /** A `compose run` container. */
  oneOff: boolean;
  /** The image as configured (`registry/api:v2`). */
  image: string;
  /** The image id it runs (`sha256:...`). */
  imageId: string;
  /** Docker state: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  running: boolean;
  /** Health-check status when the image or service defines one (healthy, unhealthy, starting), else null. */
  health: string | null;
  /** Consecutive failed health probes (0 without a health check). */
  healthFailingStreak: number;
  exitCode: number;
  restartCount: number;
  /** ISO times as Docker reports them; `startedAt`/`finishedAt` are null when it never started/finished. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The compose version that created it (label), e.g. `1.29.2` or `2.29.1`. */
  composeVersion: string | null;
  /** `HostConfig.NetworkMode`: `<project>_default`, `host`, `bridge`, `container:<id>`... */
  networkMode: string;
  networks: ContainerNetwork[];
  ports: ContainerPort[];
  labels: Record<string, string>;
}

/** The part of `docker inspect` this reads; everything optional because daemons differ. */
interface InspectedContainer {
  Id?: string;
  Name?: string;
  Created?: string;
  Image?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    ExitCode?: number;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number } | null;
  };
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: {
    IPAddress?: string;
    Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
    Networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string; Aliases?: string[] | null } | null> | null;
  };
}

// Docker's zero time: the container never started (or never stopped).
const ZERO_TIME = /^0001-01-01T/;
/** The exit status the listing script gives when `docker inspect` itself failed. */
const INSPECT_FAILED = 100;

const time = (t: string | undefined): string | null => (t && !ZERO_TIME.test(t) ? t : null);

/** One `docker inspect` object as a ServiceContainer. */
export function toServiceContainer(c: InspectedContainer): ServiceContainer {
  const labels = c.Config?.Labels ?? {};
  const number = Number.parseInt(labels[COMPOSE_LABELS.containerNumber] ?? '', 10);
  const networks = Object.entries(c.NetworkSettings?.Networks ?? {})
    .map(([name, n]) => ({
      name,
      ipAddress: n?.IPAddress ?? '',
      ...(n?.GlobalIPv6Address ? { ipv6Address: n.GlobalIPv6Address } : {}),
      aliases: n?.Aliases ?? []
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  // Daemons before user-defined networks only filled the top-level address (the default bridge).
  const legacyIp = c.NetworkSettings?.IPAddress;
  if (legacyIp && !networks.some((n) => n.ipAddress === legacyIp)) networks.push({ name: 'bridge', ipAddress: legacyIp, aliases: [] });
  const ports: ContainerPort[] = [];
  for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
    const [port, protocol = 'tcp'] = key.split('/');
    const containerPort = Number(port);
    if (!Number.isInteger(containerPort)) continue;
    if (!bindings || bindings.length === 0) ports.push({ containerPort, protocol });
    for (const b of bindings ?? []) {
      const hostPort = Number(b.HostPort);
      ports.push({ containerPort, protocol, ...(b.HostIp !== undefined ? { hostIp: b.HostIp } : {}), ...(Number.isInteger(hostPort) && hostPort > 0 ? { hostPort } : {}) });
    }
  }
  ports.sort((a, b) => a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol) || (a.hostIp ?? '').localeCompare(b.hostIp ?? ''));
  const state = c.State?.Status ?? 'unknown';
  return {
    id: c.Id ?? '',
    name: (c.Name ?? '?').replace(/^\//, ''),
    project: labels[COMPOSE_LABELS.project] ?? '',
    service: labels[COMPOSE_LABELS.service] ?? '',
    containerNumber: Number.isInteger(number) ? number : null,
    oneOff: /^true$/i.test(labels[COMPOSE_LABELS.oneOff] ?? ''),
    image: c.Config?.Image ?? '',
    imageId: c.Image ?? '',
    state,
    running: c.State?.Running === true || state === 'running',
    health: c.State?.Health?.Status ?? null,
    healthFailingStreak: c.State?.Health?.FailingStreak ?? 0,
    exitCode: c.State?.ExitCode ?? 0,
    restartCount: c.RestartCount ?? 0,
    createdAt: c.Created ?? '',
    startedAt: time(c.State?.StartedAt),
    finishedAt: time(c.State?.FinishedAt),
    composeVersion: labels[COMPOSE_LABELS.version] ?? null,
    networkMode: c.HostConfig?.NetworkMode ?? '',
    networks,
    ports,
    labels
  };
}

/**
 * Parses `docker inspect` output (a JSON array; one JSON object per line is accepted too, as printed by
 * `--format '{{json .}}'`). Throws a SyntaxError when it is neither.
 */
export function parseDockerInspect(text: string): ServiceContainer[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (err) {
    const lines = trimmed.split('\n').filter((l) => l.trim().startsWith('{'));
    if (!lines.length) throw err;
    parsed = lines.map((l) => JSON.parse(l) as unknown);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter((c): c is InspectedContainer => typeof c === 'object' && c !== null).map(toServiceContainer);
}

/** Which containers of a project to list. */
export interface ContainerSelector {
  project: string;
  /** Only this service's containers; all services when absent. */
  service?: string;
  /** Include `compose run` containers (default false: they are not the service's replicas). */
  includeOneOff?: boolean;
}

/** Compose's own order: by service, then replica number (unnumbered, e.g. one-off runs, last), then name. */
function byServiceAndNumber(a: ServiceContainer, b: ServiceContainer): number {
  const number = (c: ServiceContainer): number => c.containerNumber ?? Number.MAX_SAFE_INTEGER;
  return a.service.localeCompare(b.service) || number(a) - number(b) || a.name.localeCompare(b.name);
}

/** The `docker ps` command that lists the ids of a project's (or one service's) containers, running or not. */
export function listContainersCommand(selector: ContainerSelector): string {
  const filters = ['--filter', `label=${COMPOSE_LABELS.project}=${assertProjectName(selector.project)}`];
  if (selector.service !== undefined) filters.push('--filter', `label=${COMPOSE_LABELS.service}=${assertServiceName(selector.service, 'compose service name')}`);
  return shellJoin(['docker', 'ps', '-a', '--no-trunc', ...filters, '--format', '{{.ID}}']);
}

/**
 * Lists the containers of a compose project (or of one service) on the session's host, running or not,
 * whichever compose created them: `docker ps -a` by the compose labels, then `docker inspect` of those
 * ids, in one remote command. No project directory or compose CLI is needed. Bounded by `timeoutMs`.
 * Throws ComposeError: `docker-missing` when the host has no docker CLI, `docker-failed` when docker
 * fails (daemon down, permission, timeout). A container removed between the two commands is left out.
 */
export async function listServiceContainers(
  session: ComposeSession,
  selector: ContainerSelector,
  opts: { timeoutMs?: number } = {}
): Promise<ServiceContainer[]> {
  const timeoutMs = opts.timeoutMs ?? DOCKER_COMMAND_TIMEOUT_MS;
  const host = session.target.name;
  const what = selector.service === undefined ? `compose project '${selector.project}'` : `compose service '${selector.service}' of project '${selector.project}'`;
  // One round trip: the ids by label, then `docker inspect` of them (exit 100 marks inspect's failure).
  const command = `ids=$(${listContainersCommand(selector)}) || exit $?\nif [ -z "$ids" ]; then echo '[]'; exit 0; fi\ndocker inspect $ids || exit ${INSPECT_FAILED}`;
  const r = await session.exec(command, { timeoutMs, label: `docker ps + inspect (${what})`, tailBytes: 16 * 1024 * 1024 });
  if (r.code === COMMAND_NOT_FOUND) {
    throw new ComposeError(`docker is not installed on ${host} (or not on the SSH user's PATH)`, 'docker-missing', remoteWords(r) || undefined);
  }
  if (r.code !== 0 && r.code !== INSPECT_FAILED) {
    throw new ComposeError(`could not list the containers of ${what} on ${host}: docker ps failed: ${whyFailed(r, timeoutMs)}`, 'docker-failed', remoteWords(r) || undefined);
  }
  let containers: ServiceContainer[];
  try {
    // A container removed between the two commands makes inspect exit 1 but still print the others.
    containers = parseDockerInspect(r.stdout);
    if (containers.length === 0 && r.code !== 0) throw new Error('no output');
  } catch {
    throw new ComposeError(`could not inspect the containers of ${what} on ${host}: ${whyFailed(r, timeoutMs)}`, 'docker-failed', remoteWords(r) || undefined);
  }
  return containers
    .filter((c) => c.project === selector.project && (selector.service === undefined || c.service === selector.service))
    .filter((c) => selector.includeOneOff || !c.oneOff)
    .sort(byServiceAndNumber);
}

/** Where one compose service's container listens, as its host sees it. */
export interface ServiceAddress {
  /** The container IP on its compose network (127.0.0.1 for `network_mode: host`). */
  address: string;
  /** Container name, for messages. */
  container: string;
  network: string;
}

/**
 * The address of one container as its host sees it: on the project's network (`<project>_default`,
 * then any `<project>_*`, then any other), 127.0.0.1 for the host network, the old top-level address
 * as a last resort. Undefined when it has none (stopped, `network_mode: none`).
 */
export function containerAddress(c: ServiceContainer, project = c.project): { address: string; network: string } | undefined {
  if (c.networkMode === 'host') return { address: '127.0.0.1', network: 'host' };
  const rank = (name: string): number => (name === `${project}_default` ? 0 : name.startsWith(`${project}_`) ? 1 : 2);
  const best = c.networks.filter((n) => n.ipAddress).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))[0];
  return best ? { address: best.ipAddress, network: best.name } : undefined;
}

/**
 * Picks the one running container of `service` from a listing and its address (see containerAddress).
 * Throws ComposeError `lookup` with a sentence naming what was found when there is no running
 * container, more than one, or no address.
 */
export function pickServiceAddress(containers: readonly ServiceContainer[], project: string, service: string, hostLabel: string): ServiceAddress {
  const what = `compose service '${service}' of project '${project}' on ${hostLabel}`;
  const ours = containers.filter((c) => c.project === project && c.service === service && !c.oneOff);
  const running = ours.filter((c) => c.running);
  if (running.length === 0) {
    const others = ours.map((c) => `${c.name}: ${c.state}`).join(', ');
    throw new ComposeError(
      ours.length
        ? `the ${what} has no running container (${others})`
        : `the ${what} has no container: check the project name and that the project is up there`,
      'lookup'
    );
  }
  if (running.length > 1) {
    throw new ComposeError(`the ${what} runs ${running.length} containers (${running.map((c) => c.name).sort().join(', ')}): expected exactly one`, 'lookup');
  }
  const c = running[0];
  const found = containerAddress(c, project);
  if (found) return { ...found, container: c.name };
  throw new ComposeError(`container ${c.name} of the ${what} has no IP address on any network`, 'lookup');
}

/**
 * Finds where `service` of `project` listens on the session's host: its one running container (by the
 * compose labels) and that container's address. Throws ComposeError with a sentence for the report on
 * any failure (docker missing or failing, no/several running containers, no address).
 */
export async function findServiceAddress(session: ComposeSession, project: string, service: string, opts: { timeoutMs?: number } = {}): Promise<ServiceAddress> {
  const containers = await listServiceContainers(session, { project, service }, opts);
  return pickServiceAddress(containers, project, service, session.target.name);
}
