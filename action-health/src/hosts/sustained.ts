// Pure evaluation of "above X % for N minutes" from timed samples (this run's and earlier runs'), not from one reading.
import type { Sample, Status } from '../../../shared/src/index.js';

/** A sustained-condition rule: the runbook's "CPU > 80 % for 5 minutes". */
export interface SustainedRule {
  /** Fail when every sample for `windowMs` is above this. */
  failAbove: number;
  windowMs: number;
  /** Warn when the latest sample is above this (defaults to `failAbove`): "high now, not yet for long". */
  warnAbove?: number;
  /**
   * Two samples further apart than this say nothing about the time between them, so a streak breaks
   * there. Defaults to the window: a run every 5 minutes can prove a 5-minute condition, a run every hour cannot.
   */
  maxGapMs?: number;
}

export interface SustainedVerdict {
  status: Status;
  latest: number;
  /** How long the value has been above `failAbove` without a gap, per the samples (0 when it is not). */
  aboveForMs: number;
  /** Samples that were considered (all in the streak). */
  streak: number;
  message: string;
}

/**
 * Evaluates the samples (any order). `fail` only when the samples above the threshold, without a gap
 * longer than `maxGapMs`, span at least the window; `warn` when the latest is above `warnAbove` or above
 * `failAbove` for less than the window; `ok` otherwise. No samples is `ok` with a message saying so.
 */
export function evaluateSustained(samples: readonly Sample[], rule: SustainedRule, unit = '%'): SustainedVerdict {
  const sorted = [...samples].filter((s) => Number.isFinite(s.v)).sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  if (sorted.length === 0) return { status: 'ok', latest: NaN, aboveForMs: 0, streak: 0, message: 'no samples' };
  const maxGap = rule.maxGapMs ?? rule.windowMs;
  const latest = sorted[sorted.length - 1];
  const warnAbove = rule.warnAbove ?? rule.failAbove;
  let streak = 0;
  let since = latest;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i];
    if (s.v <= rule.failAbove) break;
    if (streak > 0 && Date.parse(since.t) - Date.parse(s.t) > maxGap) break;
    since = s;
    streak++;
  }
  const aboveForMs = streak ? Date.parse(latest.t) - Date.parse(since.t) : 0;
  const now = `${fmt(latest.v)}${unit}`;
  const win = describeWindow(rule.windowMs);
  if (streak && aboveForMs >= rule.windowMs) {
    return { status: 'fail', latest: latest.v, aboveForMs, streak, message: `above ${rule.failAbove}${unit} for ${describeWindow(aboveForMs)} (${streak} samples, now ${now}): alert is ${rule.failAbove}${unit} for ${win}` };
  }
  if (streak) {
    return { status: 'warn', latest: latest.v, aboveForMs, streak, message: `${now}, above ${rule.failAbove}${unit} for ${describeWindow(aboveForMs)} so far; alerts after ${win}` };
  }
  if (latest.v > warnAbove) {
    return { status: 'warn', latest: latest.v, aboveForMs: 0, streak: 0, message: `${now}, above the ${warnAbove}${unit} target` };
  }
  return { status: 'ok', latest: latest.v, aboveForMs: 0, streak: 0, message: `${now}` };
}

/** `300000` → `5 min`, `45000` → `45 s`. */
export function describeWindow(ms: number): string {
  if (ms >= 60_000) return `${fmt(Math.round((ms / 60_000) * 10) / 10)} min`;
  return `${Math.round(ms / 1000)} s`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
