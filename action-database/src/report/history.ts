// The report's figures kept between runs (the core state store, as action-health keeps its history) and
// the week-over-week comparison: each figure now against the sample nearest to seven days before.
import { recordSample, type RunState, type Sample } from '../../../shared/src/index.js';

const DAY = 86_400_000;
/** The comparison sample is the one nearest to a week ago, and no further than this from it. */
export const WEEK_WINDOW_MS = 2 * DAY;
/** Series whose newest sample is older than this are dropped (a table or a query that went away). */
export const SERIES_MAX_AGE_MS = 35 * DAY;

/** Series keys, named once. `target` is the printable database target (never a password). */
export const REPORT_SERIES = {
  prefix: (target: string) => `db:${target}:`,
  cacheHit: (target: string) => `db:${target}:cache-hit-percent`,
  databaseBytes: (target: string) => `db:${target}:database-bytes`,
  tableBytes: (target: string, table: string) => `db:${target}:table-bytes:${table}`,
  queryCalls: (target: string, queryId: string) => `db:${target}:query-calls:${queryId}`,
  queryTotalMs: (target: string, queryId: string) => `db:${target}:query-total-ms:${queryId}`
};

/** A figure now and a week before. */
export interface WeekChange {
  previous: number;
  previousAt: string;
  /** now - previous. */
  delta: number;
  /** delta / previous in percent; undefined when previous is 0. */
  deltaPercent: number | undefined;
}

/**
 * Compares `current` with the sample of `series` nearest to `now - 7 days`, if one lies within
 * WEEK_WINDOW_MS of that moment. Undefined without such a sample (a first run, or a gap in the runs).
 */
export function weekOverWeek(series: readonly Sample[] | undefined, current: number, now: Date): WeekChange | undefined {
  const aim = now.getTime() - 7 * DAY;
  let best: Sample | undefined;
  for (const s of series ?? []) {
    const t = Date.parse(s.t);
    if (!Number.isFinite(t) || Math.abs(t - aim) > WEEK_WINDOW_MS) continue;
    if (!best || Math.abs(t - aim) < Math.abs(Date.parse(best.t) - aim)) best = s;
  }
  if (!best) return undefined;
  const delta = current - best.v;
  return { previous: best.v, previousAt: best.t, delta, deltaPercent: best.v !== 0 ? (delta / best.v) * 100 : undefined };
}

/** Records `value` under `key` at `now`. */
export function remember(state: RunState, key: string, value: number, now: Date): void {
  recordSample(state, key, { t: now.toISOString(), v: value });
}

/** Drops this target's series that have not been written for SERIES_MAX_AGE_MS. */
export function pruneSeries(state: RunState, target: string, now: Date): void {
  const prefix = REPORT_SERIES.prefix(target);
  for (const [key, samples] of Object.entries(state.history)) {
    if (!key.startsWith(prefix)) continue;
    const newest = samples.length ? Date.parse(samples[samples.length - 1].t) : 0;
    if (now.getTime() - newest > SERIES_MAX_AGE_MS) delete state.history[key];
  }
}
