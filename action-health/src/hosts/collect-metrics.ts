// Runs the batched metrics script on one host over its (pooled) SSH session and parses the answer.
import { randomBytes } from 'node:crypto';
import { scrubSecrets, type SshSession } from '../../../shared/src/index.js';
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
  /** Bound on the whole remote command. */
  timeoutMs: number;
}

export interface CollectedHost {
  metrics: HostMetrics;
  /** When each /proc read happened (local clock), index = read number. */
  sampleTimes: Date[];
  durationMs: number;
}

/**
 * One remote command per host: the script goes in on stdin, so nothing is re-quoted, and a random
 * marker separates the sections so a container's log lines cannot forge one.
 * Throws when the command fails or its output is not the script's.
 */
export async function collectHostMetrics(session: SshSession, opts: CollectOptions): Promise<CollectedHost> {
  const marker = `@@a2a-${randomBytes(6).toString('hex')}`;
  const started = Date.now();
  const result = await session.exec(
    metricsCommand({ marker, project: opts.project, samples: opts.samples, intervalSec: opts.intervalMs / 1000, logLines: opts.logLines }),
    { stdin: METRICS_SCRIPT, timeoutMs: opts.timeoutMs, label: 'health metrics script' }
  );
  if (result.code !== 0 || result.timedOut) {
    const why = result.timedOut
      ? `timed out after ${result.durationMs} ms`
      : result.code === null
        ? `ended without an exit status (${result.connectionError ?? 'connection lost'})`
        : `exited with code ${result.code}`;
    throw new Error(`the metrics command ${why}: ${scrubSecrets(result.stderr.trim().split('\n').slice(-5).join(' | ')).slice(0, 500)}`);
  }
  const metrics = parseMetrics(result.stdout, marker, opts.mounts);
  const sampleTimes = metrics.samples.map((s) => new Date(started + s.index * opts.intervalMs));
  return { metrics, sampleTimes, durationMs: Date.now() - started };
}
