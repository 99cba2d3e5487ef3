// Backup retention (the runbook's "Review Backup Retention"): parse a keep-last/daily/weekly/monthly
// policy, and decide which backups to keep. Pure: no clock, no files; the caller removes what it says.
import { ConfigurationError } from '../errors.js';

/** How many backups to keep: the newest `keepLast`, plus the newest of each of the last `daily` days, `weekly` ISO weeks and `monthly` calendar months (UTC). 0 = none. */
export interface RetentionPolicy {
  keepLast: number;
  daily: number;
  weekly: number;
  monthly: number;
}

/** One backup as retention sees it. `verified`: the archive passed its checks and no later verify failed it. */
export interface BackupEntry {
  path: string;
  createdAt: Date;
  verified: boolean;
  sizeBytes: number;
}

const KEYS: Record<string, keyof RetentionPolicy> = { last: 'keepLast', 'keep-last': 'keepLast', daily: 'daily', weekly: 'weekly', monthly: 'monthly' };
const EXAMPLE = 'last=3,daily=7,weekly=4,monthly=6';
/** A bound that no real policy reaches (10 years of dailies), so a typo such as `daily=70000` is caught. */
const MAX_COUNT = 3650;

/**
 * Parses e.g. `last=3,daily=7,weekly=4,monthly=6` (commas, spaces or new lines between pairs; every key
 * optional, missing = 0 = none; `keep-last` is accepted for `last`). Throws ConfigurationError naming
 * `inputName` and the fix for an unknown key, a repeated key, a value that is not a whole number, or a
 * policy that keeps nothing at all.
 */
export function parseRetention(text: string, inputName: string): RetentionPolicy {
  const policy: RetentionPolicy = { keepLast: 0, daily: 0, weekly: 0, monthly: 0 };
  const pairs = text.replace(/\s*=\s*/g, '=').split(/[\s,;]+/).filter(Boolean);
  if (pairs.length === 0) throw new ConfigurationError(`Input '${inputName}' is empty: give a retention policy such as '${EXAMPLE}'.`);
  const seen = new Set<string>();
  for (const pair of pairs) {
    const m = /^([a-z-]+)\s*=\s*(\S*)$/i.exec(pair);
    if (!m) throw new ConfigurationError(`Input '${inputName}': '${pair.slice(0, 40)}' is not key=count; write it as '${EXAMPLE}'.`);
    const key = KEYS[m[1].toLowerCase()];
    if (!key) throw new ConfigurationError(`Input '${inputName}': unknown key '${m[1].slice(0, 20)}'; the keys are last, daily, weekly and monthly (e.g. '${EXAMPLE}').`);
    if (seen.has(key)) throw new ConfigurationError(`Input '${inputName}': '${m[1]}' is given twice; give each key once.`);
    seen.add(key);
    if (!/^\d+$/.test(m[2]) || Number(m[2]) > MAX_COUNT) {
      throw new ConfigurationError(`Input '${inputName}': ${m[1]} must be a whole number from 0 to ${MAX_COUNT}, got '${m[2].slice(0, 20)}'.`);
    }
    policy[key] = Number(m[2]);
  }
  if (policy.keepLast + policy.daily + policy.weekly + policy.monthly === 0) {
    throw new ConfigurationError(`Input '${inputName}' keeps no backup at all (every count is 0): give at least one, e.g. 'last=3'.`);
  }
  return policy;
}

/** `2026-12-01` (UTC day). */
function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `2026-12` (UTC month). */
function monthKey(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** Start (UTC midnight, a Monday) of the ISO week holding `d`, as a key. */
function weekKey(d: Date): string {
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/** The keys of the last `count` periods up to and including the one holding `now`, newest first. */
function recentPeriods(now: Date, count: number, key: (d: Date) => string, step: (d: Date, back: number) => Date): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < count; i++) keys.add(key(step(now, i)));
  return keys;
}

const daysBack = (d: Date, n: number): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - n, 12));
const weeksBack = (d: Date, n: number): Date => daysBack(d, 7 * n);
const monthsBack = (d: Date, n: number): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 15));

/**
 * Pure decision: which backups to keep and which to remove.
 *
 * - Never removes the newest verified entry, and keeps every entry newer than it (a backup still being
 *   verified, or the failed one a person will want to look at). With no verified entry at all, nothing
 *   is removed: retention never runs a directory down to nothing good.
 * - Among the older verified entries the policy keeps the newest `keepLast`, and the newest entry of
 *   each of the last `daily` UTC days, `weekly` ISO weeks (Monday to Sunday) and `monthly` calendar
 *   months, counted back from `now` (the period holding `now` is the first).
 * - Older unverified entries are removed: a backup that failed its checks is not worth its space once a
 *   newer good one exists.
 *
 * `keep` and `remove` are each sorted newest first.
 */
export function planRetention(entries: readonly BackupEntry[], policy: RetentionPolicy, now: Date): { keep: BackupEntry[]; remove: BackupEntry[] } {
  const sorted = [...entries].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const newestVerified = sorted.findIndex((e) => e.verified);
  if (newestVerified < 0) return { keep: sorted, remove: [] };
  const kept = new Set<BackupEntry>(sorted.slice(0, newestVerified + 1));
  const verified = sorted.filter((e) => e.verified);
  for (const e of verified.slice(0, policy.keepLast)) kept.add(e);
  const buckets: Array<[number, (d: Date) => string, (d: Date, n: number) => Date]> = [
    [policy.daily, dayKey, daysBack],
    [policy.weekly, weekKey, weeksBack],
    [policy.monthly, monthKey, monthsBack]
  ];
  for (const [count, key, step] of buckets) {
    if (count <= 0) continue;
    const wanted = recentPeriods(now, count, key, step);
    const filled = new Set<string>();
    // Newest first, so the first entry met in a period is the newest of it.
    for (const e of verified) {
      const k = key(e.createdAt);
      if (wanted.has(k) && !filled.has(k)) {
        filled.add(k);
        kept.add(e);
      }
    }
  }
  return { keep: sorted.filter((e) => kept.has(e)), remove: sorted.filter((e) => !kept.has(e)) };
}
