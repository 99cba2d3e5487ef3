// Error patterns compared with the previous week's, from the state the funnel keeps between runs: each
// run records its pattern counts as samples; this run compares with the latest run 6 to 14 days ago.
import { recordSample, type RunState } from '../../../shared/src/index.js';
import type { ErrorPattern } from './group.js';

/** History keys: one series per pattern, and one marking every run that recorded patterns. */
export const PATTERN_KEY_PREFIX = 'error-pattern:';
export const PATTERN_RUN_KEY = 'error-pattern-run';

const DAY = 86_400_000;
/** "The previous week": the latest run at least this old ... */
export const BASELINE_MIN_AGE_MS = 6 * DAY;
/** ... and at most this old. */
export const BASELINE_MAX_AGE_MS = 14 * DAY;
/** Patterns kept per run, and how long a pattern not seen again stays in the state. */
export const PATTERNS_KEPT = 100;
const FORGET_AFTER_MS = 35 * DAY;

export type Trend = 'new' | 'up' | 'same' | 'down' | 'gone';

/** A pattern with last week's count beside it. */
export interface ComparedPattern extends ErrorPattern {
  /** Last week's count (0: not seen then); undefined when there is no run last week to compare with. */
  previous?: number;
  trend?: Trend;
}

export interface WeekComparison {
  /** When the run compared with was, if there was one. */
  baselineAt?: string;
  patterns: ComparedPattern[];
  /** Patterns last week had that this run did not see (count 0 now). */
  gone: Array<{ service: string; signature: string; previous: number }>;
}

export function patternKey(p: Pick<ErrorPattern, 'service' | 'signature'>): string {
  return `${PATTERN_KEY_PREFIX}${p.service}:${p.signature}`;
}

/** Compares this run's patterns with the previous week's run found in `state` (which is not changed). */
export function compareWithLastWeek(patterns: readonly ErrorPattern[], state: RunState, now: Date): WeekComparison {
  const t = now.getTime();
  const runs = state.history[PATTERN_RUN_KEY] ?? [];
  const baseline = [...runs].reverse().find((s) => {
    const age = t - Date.parse(s.t);
    return age >= BASELINE_MIN_AGE_MS && age <= BASELINE_MAX_AGE_MS;
  });
  if (!baseline) return { patterns: patterns.map((p) => ({ ...p })), gone: [] };
  const countAt = (key: string): number => state.history[key]?.find((s) => s.t === baseline.t)?.v ?? 0;
  const seen = new Set<string>();
  const compared = patterns.map((p): ComparedPattern => {
    const key = patternKey(p);
    seen.add(key);
    const previous = countAt(key);
    return { ...p, previous, trend: trendOf(p.count, previous) };
  });
  const gone: WeekComparison['gone'] = [];
  for (const [key, series] of Object.entries(state.history)) {
    if (!key.startsWith(PATTERN_KEY_PREFIX) || seen.has(key)) continue;
    const previous = series.find((s) => s.t === baseline.t)?.v ?? 0;
    if (previous === 0) continue;
    const rest = key.slice(PATTERN_KEY_PREFIX.length);
    const colon = rest.indexOf(':');
    gone.push({ service: rest.slice(0, colon), signature: rest.slice(colon + 1), previous });
  }
  gone.sort((a, b) => b.previous - a.previous);
  return { baselineAt: baseline.t, patterns: compared, gone };
}

/** The trend from last week's count to this run's. */
export function trendOf(count: number, previous: number): Trend {
  if (count === 0) return previous === 0 ? 'same' : 'gone';
  if (previous === 0) return 'new';
  return count > previous ? 'up' : count < previous ? 'down' : 'same';
}

/**
 * A pattern worth a fault: new since last week, or at least doubled and at least 10 lines. Without a
 * baseline nothing is judged here (the caller reports the error lines themselves).
 */
export function isNotable(p: ComparedPattern): boolean {
  if (p.trend === 'new') return true;
  return p.trend === 'up' && p.previous !== undefined && p.count >= 10 && p.count >= 2 * p.previous;
}

/** Records this run's patterns (the PATTERNS_KEPT most frequent) and forgets patterns unseen for 35 days. */
export function recordPatterns(state: RunState, patterns: readonly ErrorPattern[], now: Date): void {
  const t = now.toISOString();
  const kept = patterns.slice(0, PATTERNS_KEPT);
  for (const p of kept) recordSample(state, patternKey(p), { t, v: p.count });
  recordSample(state, PATTERN_RUN_KEY, { t, v: kept.length });
  const cutoff = now.getTime() - FORGET_AFTER_MS;
  for (const [key, series] of Object.entries(state.history)) {
    if (!key.startsWith(PATTERN_KEY_PREFIX) && key !== PATTERN_RUN_KEY) continue;
    const recent = series.filter((s) => Date.parse(s.t) >= cutoff);
    if (recent.length) state.history[key] = recent;
    else delete state.history[key];
  }
}
