// Checks every host at once: one pooled connection and one batched command per host, then CPU/memory
// (sustained, with samples kept in state.history), disks, load and containers as report checks.
import { oneLine, runOnHosts, type Check, type HostTarget, type RunState, type SshPool, type SshSettings } from '../../../shared/src/index.js';
import { appendSamples, SERIES, setLatest } from '../history.js';
import { collectHostMetrics, type CollectOptions } from './collect-metrics.js';
import { evaluateHost, type HostThresholds } from './evaluate-host.js';
import type { ContainerInfo } from './collect-containers.js';

/** What the host checks found, for follow-ups such as log excerpts of a failing service. */
export interface HostsResult {
  checks: Check[];
  /** Containers of the compose project per reachable host. */
  containers: Array<{ target: HostTarget; containers: ContainerInfo[] }>;
}

/**
 * Collects and evaluates every target over `pool` (the caller closes it, so follow-up commands reuse the
 * connections); a host that cannot be reached is one failed `host:<name>` check and never stops the
 * others. Updates `state.history` with this run's samples.
 */
export async function checkHosts(
  ssh: SshSettings,
  pool: SshPool,
  opts: CollectOptions & { thresholds: HostThresholds; parallel: number; replicas: Record<string, number> },
  state: RunState,
  log: (line: string) => void
): Promise<HostsResult> {
  const outcomes = await runOnHosts(ssh.targets, Math.max(opts.parallel, ssh.options.parallel), async (target) => {
    const session = await pool.get(target);
    return collectHostMetrics(session, opts);
  });
  const checks: Check[] = [];
  const containers: HostsResult['containers'] = [];
  for (const o of outcomes) {
    const name = o.target.name;
    if (!o.ok) {
      log(`${o.label}: not reachable: ${oneLine(o.error.message, 400)}`);
      checks.push({ id: `host:${name}`, kind: 'host', target: name, status: 'fail', value: 'unreachable', message: `could not read metrics: ${oneLine(o.error.message, 400)}` });
      continue;
    }
    log(`${o.label}: metrics read in ${o.value.durationMs} ms`);
    const restartsBefore: Record<string, number> = {};
    for (const c of o.value.metrics.docker.containers) {
      const prev = state.history[SERIES.restarts(name, c.name)];
      if (prev?.length) restartsBefore[c.name] = prev[prev.length - 1].v;
    }
    const ev = evaluateHost(name, o.value.metrics, {
      thresholds: opts.thresholds,
      sampleTimes: o.value.sampleTimes,
      history: { cpu: state.history[SERIES.cpu(name)] ?? [], memory: state.history[SERIES.memory(name)] ?? [], restarts: restartsBefore },
      mounts: opts.mounts,
      project: opts.project,
      replicas: opts.replicas
    });
    appendSamples(state, SERIES.cpu(name), ev.cpuSamples);
    appendSamples(state, SERIES.memory(name), ev.memorySamples);
    // Containers come and go (a rolling deploy creates api_3, api_4): forget the ones no longer there.
    const prefix = SERIES.restarts(name, '');
    if (o.value.metrics.docker.state === 'ok') {
      for (const key of Object.keys(state.history)) if (key.startsWith(prefix) && !(key.slice(prefix.length) in ev.restarts)) delete state.history[key];
    }
    for (const [container, count] of Object.entries(ev.restarts)) setLatest(state, SERIES.restarts(name, container), count);
    checks.push(...ev.checks);
    containers.push({ target: o.target, containers: o.value.metrics.docker.containers });
  }
  return { checks, containers };
}
