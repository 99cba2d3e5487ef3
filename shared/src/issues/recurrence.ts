// Decides whether a failing run that finds its incident issue open deserves a comment: yes when the
// failure is new to this incident, otherwise at most once per `issues.comment-interval`.
import { createHash } from 'node:crypto';
import type { Check } from '../report/model.js';
import { scrubSecrets } from '../secrets.js';
import type { CheckMemory } from '../state/types.js';

/** How many announced fingerprints an incident remembers (newest kept). */
export const ANNOUNCED_LIMIT = 5;

/**
 * The message with what changes from run to run blanked out, so that only a change in kind counts:
 * secrets scrubbed, whitespace collapsed, ISO times → `<time>`, long hex ids and UUIDs (request ids,
 * container ids, checksums) → `<id>`, a 3-digit HTTP status → its class (`answered 503, expected 200`
 * → `answered 5xx, expected 2xx`: 502/503 is one outage, 404 → 503 is news), and every other number → `#`
 * (latency, percent, bytes, sample counts, days left). A 3-digit number followed by a word or unit
 * (`120 samples`, `250 ms`) is a measurement, not a status. The words stay: "timed out" and
 * "connection refused" differ.
 */
export function normaliseFailureMessage(message: string): string {
  return scrubSecrets(message)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<id>')
    // A status code stands alone: not followed by a unit or word ("503:" yes, "120 ms"/"250 samples" no).
    .replace(/(?<![\d.,:])\b([1-5])\d\d\b(?![.,]\d)(?!\s*[A-Za-z%])/g, '$1xx')
    // Every other number; the status classes just written (`5xx`) are left alone.
    .replace(/\d+(?:[.,:]\d+)*(?!xx\b)/g, '#');
}

/** Status plus normalised message, hashed: what "the same failure" means, without keeping its text in state. */
export function failureFingerprint(check: Pick<Check, 'status' | 'message'>): string {
  return createHash('sha256').update(`${check.status}\n${normaliseFailureMessage(check.message)}`).digest('hex').slice(0, 16);
}

/**
 * Whether to comment, and why: `changed` (a failure this incident has not reported yet), `interval`
 * (the same failure, reminder due) or `no-memory` (nothing is known of earlier runs: the state was lost).
 */
export type RecurrenceReason = 'changed' | 'interval' | 'no-memory';
/** What `decideRecurrenceComment` concluded for one failing run. */
export type RecurrenceDecision = { comment: true; reason: RecurrenceReason } | { comment: false };

/**
 * The rule: a failure not yet announced in this incident comments at once; the same failure comments
 * again only once `intervalMs` has passed since the last announcement (opening or comment). A failure
 * that returns to one already announced does not count as new, or two alternating errors would comment
 * on every run. `intervalMs` 0 comments on every failing run. With no memory at all (state lost, or an
 * issue filed before this rule) it comments once, since it cannot know what was said.
 */
export function decideRecurrenceComment(memory: Pick<CheckMemory, 'announced' | 'lastCommentAt'>, fingerprint: string, now: Date, intervalMs: number): RecurrenceDecision {
  if (!memory.announced?.length) return { comment: true, reason: 'no-memory' };
  if (!memory.announced.includes(fingerprint)) return { comment: true, reason: 'changed' };
  const last = memory.lastCommentAt ? Date.parse(memory.lastCommentAt) : NaN;
  if (!Number.isFinite(last) || now.getTime() - last >= intervalMs) return { comment: true, reason: 'interval' };
  return { comment: false };
}

/** Records that the incident was just announced with this failure (issue opened or comment posted). */
export function rememberAnnouncement(memory: CheckMemory, fingerprint: string, now: Date): void {
  const announced = (memory.announced ?? []).filter((f) => f !== fingerprint);
  announced.push(fingerprint);
  memory.announced = announced.slice(-ANNOUNCED_LIMIT);
  memory.lastCommentAt = now.toISOString();
}
