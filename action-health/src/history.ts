// Metric series kept between runs in state.history: appending with bounds, and uptime over a period.
import type { RunState, Sample } from '../../shared/src/index.js';

/** A month of 5-minute runs is 8640 samples; keep a little over a week of those (or a month of 15-minute runs). */
export const MAX_SAMPLES_PER_SERIES = 3000;
/** Samples older than this are dropped whatever the count. */
export const MAX_SAMPLE_AGE_MS = 31 * 86_400_000;

/** Series keys, named once. */
export const SERIES = {
  latency: (checkId: string) => `latency:${checkId}`,
  up: (checkId: string) => `up:${checkId}`,
  cpu: (host: string) => `cpu:${host}`,
  memory: (host: string) => `memory:${host}`,
  restarts: (host: string, container: string) => `restarts:${host}:${container}`
};

/** Appends samples to a series in time order, dropping the oldest beyond the count and age bounds. */
export function appendSamples(state: RunState, key: string, samples: Sample[], now = new Date()): void {
  const cutoff = now.getTime() - MAX_SAMPLE_AGE_MS;
  const merged = [...(state.history[key] ?? []), ...samples]
    .filter((s) => Date.parse(s.t) >= cutoff)
    .sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  state.history[key] = merged.slice(-MAX_SAMPLES_PER_SERIES);
}

/** Replaces a series with one value (for counters such as restart counts). */
export function setLatest(state: RunState, key: string, v: number, now = new Date()): void {
  state.history[key] = [{ t: now.toISOString(), v }];
}

/** Share of `up` samples (value 1) within the period, in percent; undefined without samples in it. */
export function uptimePercent(series: readonly Sample[] | undefined, periodMs: number, now = new Date()): number | undefined {
  const from = now.getTime() - periodMs;
  const inPeriod = (series ?? []).filter((s) => Date.parse(s.t) >= from);
  if (inPeriod.length === 0) return undefined;
  const up = inPeriod.filter((s) => s.v >= 1).length;
  return Math.round((up / inPeriod.length) * 10000) / 100;
}
