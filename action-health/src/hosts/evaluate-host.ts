// Turns one host's parsed metrics (plus the samples kept from earlier runs) into report checks:
// CPU and memory as sustained conditions, disks per mount, load and uptime, and one row per container.
import { oneLine, scrubSecrets, type Check, type Sample, type Status, type Thresholds } from '../../../shared/src/index.js';
import type { ContainerInfo } from './collect-containers.js';
import type { HostMetrics } from './parse-metrics.js';
import { evaluateSustained } from './sustained.js';

/** The runbook's host thresholds ("Key Metrics to Monitor" and "Alert Thresholds"). */
export type HostThresholds = Pick<
  Thresholds,
  'cpuFailPercent' | 'cpuWindowMs' | 'memoryWarnPercent' | 'memoryFailPercent' | 'memoryWindowMs' | 'diskWarnPercent' | 'diskFailPercent'
>;

/** Samples of this host kept between runs, oldest first. */
export interface HostHistory {
  cpu: Sample[];
  memory: Sample[];
  /** Last seen restart count per container name (a one-sample series each). */
  restarts: Record<string, number>;
}

export interface HostEvaluation {
  checks: Check[];
  /** This run's timed samples, to append to the history. */
  cpuSamples: Sample[];
  memorySamples: Sample[];
  restarts: Record<string, number>;
}

/** Services whose name starts with this are the A2A agents: their containers get their own table. */
const AGENT_PREFIX = 'agent';

/**
 * Evaluates one host. `sampleTimes[k]` is when read k of the script happened (read 0 has no CPU value).
 * `mounts` lists explicitly requested mount points: one missing on the host is a failure.
 */
export function evaluateHost(
  host: string,
  metrics: HostMetrics,
  opts: { thresholds: HostThresholds; sampleTimes: Date[]; history: HostHistory; mounts: string[]; project: string; replicas?: Record<string, number> }
): HostEvaluation {
  const t = opts.thresholds;
  const checks: Check[] = [];
  const cpuSamples: Sample[] = [];
  const memorySamples: Sample[] = [];
  for (const s of metrics.samples) {
    const at = (opts.sampleTimes[s.index] ?? opts.sampleTimes[opts.sampleTimes.length - 1] ?? new Date()).toISOString();
    if (s.cpuPercent !== undefined) cpuSamples.push({ t: at, v: s.cpuPercent });
    memorySamples.push({ t: at, v: s.memoryPercent });
  }

  const cpu = evaluateSustained([...opts.history.cpu, ...cpuSamples], { failAbove: t.cpuFailPercent, windowMs: t.cpuWindowMs });
  checks.push({
    id: `host:${host}:cpu`,
    kind: 'host',
    target: `${host} CPU`,
    status: cpu.status,
    value: Number.isFinite(cpu.latest) ? cpu.latest : 'n/a',
    unit: Number.isFinite(cpu.latest) ? '%' : undefined,
    threshold: `alert > ${t.cpuFailPercent} % for ${minutes(t.cpuWindowMs)}`,
    message: `CPU ${cpu.message}`
  });

  const mem = evaluateSustained([...opts.history.memory, ...memorySamples], {
    failAbove: t.memoryFailPercent,
    warnAbove: t.memoryWarnPercent,
    windowMs: t.memoryWindowMs
  });
  checks.push({
    id: `host:${host}:memory`,
    kind: 'host',
    target: `${host} memory`,
    status: mem.status,
    value: mem.latest,
    unit: '%',
    threshold: `< ${t.memoryWarnPercent} %, alert > ${t.memoryFailPercent} % for ${minutes(t.memoryWindowMs)}`,
    message: `memory ${mem.message} of ${gib(metrics.memoryTotalKb)} (${gib(metrics.memoryAvailableKb)} available)`
  });

  for (const mount of opts.mounts) {
    if (!metrics.disks.some((d) => d.mount === mount)) {
      checks.push({ id: `host:${host}:disk:${mount}`, kind: 'host', target: `${host}:${mount}`, status: 'fail', message: `mount point ${mount} not found on the host` });
    }
  }
  for (const d of metrics.disks) {
    const status: Status = d.usedPercent > t.diskFailPercent ? 'fail' : d.usedPercent >= t.diskWarnPercent ? 'warn' : 'ok';
    checks.push({
      id: `host:${host}:disk:${d.mount}`,
      kind: 'host',
      target: `${host}:${d.mount}`,
      status,
      value: d.usedPercent,
      unit: '%',
      threshold: `< ${t.diskWarnPercent} %, alert > ${t.diskFailPercent} %`,
      message: `disk ${d.usedPercent} % used, ${gib(d.availableKb)} free of ${gib(d.sizeKb)} (${d.filesystem})${status === 'fail' ? ': full or nearly' : ''}`
    });
  }

  // Load above twice the core count for 5 minutes means work is queueing; below that it is informational.
  const perCore = metrics.load[1] / metrics.cpus;
  checks.push({
    id: `host:${host}:load`,
    kind: 'host',
    target: `${host} load`,
    status: perCore > 2 ? 'warn' : 'ok',
    value: metrics.load[0],
    threshold: `5-min load ≤ ${2 * metrics.cpus} (2 × ${metrics.cpus} CPUs)`,
    message: `load ${metrics.load.join(' / ')} on ${metrics.cpus} CPU${metrics.cpus > 1 ? 's' : ''}; up ${describeUptime(metrics.uptimeSeconds)}`
  });

  const restarts: Record<string, number> = {};
  checks.push(...containerChecks(host, metrics, opts.project, opts.history.restarts, restarts));
  if (metrics.docker.state === 'ok') checks.push(...replicaChecks(host, metrics.docker.containers, opts.replicas ?? {}));
  return { checks, cpuSamples, memorySamples, restarts };
}

function containerChecks(host: string, metrics: HostMetrics, project: string, before: Record<string, number>, after: Record<string, number>): Check[] {
  const docker = metrics.docker;
  if (docker.state === 'skipped') return [];
  const id = `containers:${host}`;
  if (docker.state === 'missing') {
    return [{ id, kind: 'container', target: `${host} (${project})`, status: 'warn', message: 'docker is not installed on this host: containers not checked' }];
  }
  if (docker.state === 'error') {
    return [{ id, kind: 'container', target: `${host} (${project})`, status: 'fail', message: `docker did not answer: ${oneLine(scrubSecrets(docker.error ?? 'unknown error'))}` }];
  }
  if (docker.containers.length === 0) {
    return [{ id, kind: 'container', target: `${host} (${project})`, status: 'warn', message: `no containers of compose project '${project}' on this host` }];
  }
  return docker.containers.map((c) => {
    after[c.name] = c.restartCount;
    const [status, message] = judgeContainer(c, before[c.name]);
    const logs = docker.logs[c.id];
    const isAgent = c.service.startsWith(AGENT_PREFIX);
    const stats = c.cpuPercent !== undefined ? `CPU ${c.cpuPercent} %, memory ${c.memoryPercent ?? '?'} % (${c.memoryUsage ?? '?'})` : undefined;
    return {
      id: `container:${host}:${c.name}`,
      kind: isAgent ? 'agent' : 'container',
      target: `${host}/${c.name}`,
      status,
      value: c.health ? `${c.state} (${c.health})` : c.state,
      threshold: 'running, healthy, no new restarts',
      message: stats && status === 'ok' ? `${message}; ${stats}` : message,
      details: logs !== undefined && status !== 'ok' ? `Last log lines of ${c.name} (${c.image}):\n${scrubSecrets(logs)}` : undefined
    };
  });
}

/**
 * Serving replicas per configured service: fewer than configured fails (compose v1's `up -d SERVICE`
 * silently resets a scaled service, and a crashed replica halves capacity); more warns (a rollout that
 * never removed its old containers). A replica serves when it runs and its health check, if any, passes.
 */
export function replicaChecks(host: string, containers: readonly ContainerInfo[], replicas: Record<string, number>): Check[] {
  return Object.entries(replicas).map(([service, want]) => {
    const serving = containers.filter((c) => c.service === service && c.state === 'running' && (c.health === null || c.health === 'healthy')).length;
    const status: Status = serving < want ? 'fail' : serving > want ? 'warn' : 'ok';
    const message =
      status === 'fail'
        ? `${serving} of ${want} replicas serving: capacity is down`
        : status === 'warn'
          ? `${serving} replicas serving, ${want} configured: an unfinished rollout?`
          : `${serving} of ${want} replicas serving`;
    return { id: `replicas:${host}:${service}`, kind: 'container', target: `${host}/${service}`, status, value: serving, threshold: `= ${want} (config services.${service}.replicas)`, message };
  });
}

/** The verdict on one container. `before` is its restart count at the previous run, if known. */
export function judgeContainer(c: ContainerInfo, before: number | undefined): [Status, string] {
  const restarts = `${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}`;
  switch (c.state) {
    case 'restarting':
      return ['fail', `restarting (crash loop: ${restarts}, last exit code ${c.exitCode})`];
    case 'exited':
      return ['fail', `exited with code ${c.exitCode}`];
    case 'dead':
      return ['fail', 'dead (docker could not stop or remove it)'];
    case 'paused':
      return ['warn', 'paused'];
    case 'created':
      return ['warn', 'created but never started'];
    case 'running':
      if (c.health === 'unhealthy') return ['fail', 'running but its health check fails'];
      if (c.health === 'starting') return ['warn', 'running, health check still starting'];
      if (before !== undefined && c.restartCount > before) return ['warn', `running, but restarted ${c.restartCount - before} time(s) since the last run`];
      return ['ok', c.health === 'healthy' ? 'running, healthy' : 'running'];
    default:
      return ['warn', `in state '${c.state}'`];
  }
}

function gib(kb: number): string {
  const g = kb / 1024 / 1024;
  return g >= 10 ? `${Math.round(g)} GiB` : g >= 1 ? `${g.toFixed(1)} GiB` : `${Math.round(kb / 1024)} MiB`;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round((ms / 60_000) * 10) / 10} min` : `${Math.round(ms / 1000)} s`;
}

/** `273000` → `3d 3h`. */
export function describeUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return `${m}m`;
}
