// Reads one host over its (pooled) SSH session: the batched metrics script, then (same connection) the
// compose project's containers through the core's compose module.
import { randomBytes } from 'node:crypto';
import { scrubSecrets, type SshSession } from '../../../shared/src/index.js';
import { collectContainers } from './collect-containers.js';
import { metricsCommand, METRICS_SCRIPT } from './metrics-script.js';
import { parseMetrics, type HostMetrics } from './parse-metrics.js';

/** What to collect, all already validated by readInputs. */
export interface CollectOptions {
  /** Compose project whose containers are checked; '' skips containers. */
  project: string;
  /** CPU samples in this run (the script reads /proc/stat samples + 1 times). */
  samples: number;
  intervalMs: number;
  logLines: number;
  /** Explicit mount points to report (empty = every real disk). */
  mounts: string[];
  /** Bound on the whole metrics command (and on each docker command, up to DOCKER_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Bound on one docker command of the container part (the old script gave each one `timeout 20`). */
const DOCKER_TIMEOUT_MS = 30_000;

export interface CollectedHost {
  metrics: HostMetrics;
  /** When each /proc read happened (local clock), index = read number. */
  sampleTimes: Date[];
  durationMs: number;
}

/**
 * One metrics command per host: the script goes in on stdin, so nothing is re-quoted, and a random
 * marker separates the sections so nothing the host prints can forge one. The containers are read after
 * the samples, as the one script used to (a snapshot taken a moment after a crash-looping container's
 * restart would catch it in its brief `running` window); without a project no docker command runs.
 * Throws when the metrics command fails or its output is not the script's; docker trouble is a state
 * of `metrics.docker`, never a throw.
 */
export async function collectHostMetrics(session: SshSession, opts: CollectOptions): Promise<CollectedHost> {
  const marker = `@@a2a-${randomBytes(6).toString('hex')}`;
  const started = Date.now();
  const result = await session.exec(metricsCommand({ marker, samples: opts.samples, intervalSec: opts.intervalMs / 1000 }), {
    stdin: METRICS_SCRIPT,
    timeoutMs: opts.timeoutMs,
    label: 'health metrics script'
  });
  if (result.code !== 0 || result.timedOut) {
    const why = result.timedOut
      ? `timed out after ${result.durationMs} ms`
      : result.code === null
        ? `ended without an exit status (${result.connectionError ?? 'connection lost'})`
        : `exited with code ${result.code}`;
    throw new Error(`the metrics command ${why}: ${scrubSecrets(result.stderr.trim().split('\n').slice(-5).join(' | ')).slice(0, 500)}`);
  }
  const proc = parseMetrics(result.stdout, marker, opts.mounts);
  const docker = await collectContainers(session, opts.project, { logLines: opts.logLines, timeoutMs: Math.min(opts.timeoutMs, DOCKER_TIMEOUT_MS) });
  const metrics = { ...proc, docker };
  const sampleTimes = metrics.samples.map((s) => new Date(started + s.index * opts.intervalMs));
  return { metrics, sampleTimes, durationMs: Date.now() - started };
}
