// The containers part of a host check: the compose project's containers from the core's compose module
// (by label, v1 and v2 alike), their CPU/memory from `docker stats`, and the log tails of the broken ones.
import {
  ComposeError,
  listServiceContainers,
  readContainerLogs,
  scrubSecrets,
  shellJoin,
  toError,
  type ServiceContainer,
  type SshSession
} from '../../../shared/src/index.js';

/** What the host check reads of one container (a ServiceContainer satisfies it, plus stats). */
export interface ContainerInfo extends Pick<ServiceContainer, 'id' | 'name' | 'service' | 'image' | 'state' | 'health' | 'restartCount' | 'exitCode'> {
  startedAt: string | null;
  /** From `docker stats`, for running containers. */
  cpuPercent?: number;
  memoryPercent?: number;
  memoryUsage?: string;
}

export interface DockerInfo {
  /** `skipped`: no project to check; `missing`: no docker CLI; `error`: the CLI failed (daemon down, no permission); `ok`: listed. */
  state: 'skipped' | 'missing' | 'error' | 'ok';
  error?: string;
  containers: ContainerInfo[];
  /** Last log lines of every container that is not running cleanly, by container id. */
  logs: Record<string, string>;
}

/** Per-container figures of one `docker stats --no-stream --format '{{json .}}'` line. */
export interface ContainerStats {
  cpuPercent?: number;
  memoryPercent?: number;
  memoryUsage?: string;
}

/** Parses `docker stats --no-stream --format '{{json .}}'` output, keyed by the (short) id it prints. Bad lines are skipped. */
export function parseDockerStats(text: string): Record<string, ContainerStats> {
  const stats: Record<string, ContainerStats> = {};
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const s = JSON.parse(line) as { ID?: string; Container?: string; CPUPerc?: string; MemPerc?: string; MemUsage?: string };
      const id = s.ID ?? s.Container ?? '';
      if (id) stats[id] = { cpuPercent: percent(s.CPUPerc), memoryPercent: percent(s.MemPerc), memoryUsage: s.MemUsage };
    } catch {
      // Stats are informational: a malformed line is ignored.
    }
  }
  return stats;
}

/** Adds each container's stats, joined by id prefix (`docker stats` prints short ids, `inspect` full ones). */
export function joinStats(containers: readonly ContainerInfo[], stats: Record<string, ContainerStats>): ContainerInfo[] {
  return containers.map((c) => {
    const key = Object.keys(stats).find((id) => c.id.startsWith(id));
    return key ? { ...c, ...stats[key] } : c;
  });
}

/** A container whose logs belong in the report: not running, restarted, or not healthy. */
export function needsLogs(c: ContainerInfo): boolean {
  return !(c.state === 'running' && c.restartCount === 0 && (c.health === null || c.health === 'healthy'));
}

/**
 * Reads the containers of compose project `project` on the session's host: the listing (one-off `run`
 * containers included, as a broken one is worth seeing), stats of the running ones, and the last
 * `logLines` lines of the broken ones. Docker being absent or failing is a state, never a throw;
 * stats and logs are best effort. Every docker command is bounded by `timeoutMs`.
 */
export async function collectContainers(session: SshSession, project: string, opts: { logLines: number; timeoutMs: number }): Promise<DockerInfo> {
  if (!project) return { state: 'skipped', containers: [], logs: {} };
  let listed: ServiceContainer[];
  try {
    listed = await listServiceContainers(session, { project, includeOneOff: true }, { timeoutMs: opts.timeoutMs });
  } catch (err) {
    if (err instanceof ComposeError && err.failure === 'docker-missing') return { state: 'missing', containers: [], logs: {} };
    const e = toError(err);
    return { state: 'error', error: scrubSecrets(err instanceof ComposeError && err.detail ? err.detail : e.message).slice(0, 500), containers: [], logs: {} };
  }
  let containers: ContainerInfo[] = listed.map((c) => ({
    id: c.id,
    name: c.name,
    service: c.service,
    image: c.image,
    state: c.state,
    health: c.health,
    restartCount: c.restartCount,
    exitCode: c.exitCode,
    startedAt: c.startedAt
  }));
  const running = containers.filter((c) => c.state === 'running').map((c) => c.id);
  const broken = containers.filter(needsLogs).map((c) => c.id);
  const [stats, logs] = await Promise.all([
    running.length
      ? session
          .exec(shellJoin(['docker', 'stats', '--no-stream', '--format', '{{json .}}', ...running]), { timeoutMs: opts.timeoutMs, label: 'docker stats' })
          .then((r) => parseDockerStats(r.stdout))
          .catch(() => ({}))
      : Promise.resolve({}),
    broken.length && opts.logLines > 0
      ? readContainerLogs(session, broken, { lines: opts.logLines, timeoutMs: opts.timeoutMs }).catch(() => ({}))
      : Promise.resolve({})
  ]);
  containers = joinStats(containers, stats);
  return { state: 'ok', containers, logs };
}

function percent(text: string | undefined): number | undefined {
  const n = Number.parseFloat((text ?? '').replace('%', ''));
  return Number.isFinite(n) ? n : undefined;
}
