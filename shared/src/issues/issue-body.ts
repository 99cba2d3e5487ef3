// Builds incident issue titles, bodies and comments from a check: secrets scrubbed, mentions and HTML
// neutralised, free text fenced, and everything kept under GitHub's 65,536-character body limit.
import type { Check } from '../report/model.js';
import { scrubSecrets } from '../secrets.js';
import { fence, formatDuration, inlineText, neutraliseMentions } from '../report/markdown-text.js';
import type { RecurrenceReason } from './recurrence.js';

/** GitHub rejects issue and comment bodies longer than this (characters). */
export const GITHUB_BODY_LIMIT = 65_536;
/** What we allow ourselves: a margin below the limit for the truncation note and multi-unit characters. */
export const BODY_BUDGET = 60_000;
const TITLE_LIMIT = 200;

const MARKER_PREFIX = '<!-- a2a-ops:key=';
const MARKER_SUFFIX = ' -->';

/**
 * The hidden marker that finds an issue again. The key is percent-encoded only where it could end the
 * HTML comment (`--`, `>`) or break the line, so ordinary keys stay readable in the raw body.
 */
export function issueMarker(key: string): string {
  const safe = scrubSecrets(key)
    .replace(/%/g, '%25')
    .replace(/-(?=-)/g, '%2D')
    .replace(/[<>\r\n]/g, (c) => encodeURIComponent(c));
  return `${MARKER_PREFIX}${safe}${MARKER_SUFFIX}`;
}

/**
 * Reads the key from a body's first line. Only the first line counts: text quoted further down (a log
 * excerpt that happens to contain a marker) can never make an issue look like another check's.
 */
export function readIssueMarker(body: string | null | undefined): string | undefined {
  if (!body?.startsWith(MARKER_PREFIX)) return undefined;
  const end = body.indexOf(MARKER_SUFFIX, MARKER_PREFIX.length);
  const newline = body.indexOf('\n');
  if (end < 0 || (newline >= 0 && end > newline)) return undefined;
  try {
    return decodeURIComponent(body.slice(MARKER_PREFIX.length, end));
  } catch {
    return undefined;
  }
}

/** The key as it appears in a marker (secrets scrubbed), for comparing with `readIssueMarker`. */
export function markerKey(key: string): string {
  return scrubSecrets(key);
}

/**
 * Cuts text to at most `max` UTF-16 units, keeping its end (the end of a log is where the error is)
 * and never splitting a surrogate pair. Returns the text unchanged when it fits.
 */
export function keepTail(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  let start = text.length - max;
  if (/[\uDC00-\uDFFF]/.test(text[start] ?? '')) start += 1;
  return { text: text.slice(start), cut: start };
}

/** A value with its unit and threshold: `1200 ms (threshold < 500 ms)`. */
export function describeValue(check: Check): string | undefined {
  if (check.value === undefined) return undefined;
  const value = `${check.value}${check.unit ? ` ${check.unit}` : ''}`;
  return check.threshold ? `${value} (threshold ${check.threshold})` : value;
}

const STATUS_WORD = { ok: 'passing', warn: 'warning', fail: 'failing' } as const;
const STATUS_ICON = { ok: '🟢', warn: '🟡', fail: '🔴' } as const;

/** The issue title: action, target, status. Titles are not rendered, but mentions and secrets still matter. */
export function buildIssueTitle(action: string, check: Check): string {
  const raw = `[${action}] ${check.target} is ${STATUS_WORD[check.status]}: ${check.message}`;
  const clean = neutraliseMentions(scrubSecrets(raw).replace(/\s+/g, ' ').trim());
  return clean.length > TITLE_LIMIT ? `${clean.slice(0, TITLE_LIMIT - 1)}…` : clean;
}

export interface BodyContext {
  key: string;
  action: string;
  runUrl: string;
  now: Date;
  /** First seen: when this failure streak began (ISO time). */
  failingSince?: string;
  /** Last seen: the latest failing run (ISO time); `now` when absent. */
  lastSeen?: string;
  /** Failing runs in this incident, flaps included; `consecutiveFailures` when absent. */
  failingRuns?: number;
  consecutiveFailures: number;
  failuresToOpen: number;
  successesToClose: number;
  /** `issues.comment-interval`, for the footer that tells readers when to expect comments. */
  commentIntervalMs: number;
}

/** The issue body: marker first, a table of the facts, the message, the details fenced and folded. */
export function buildIssueBody(check: Check, ctx: BodyContext): string {
  const rows: Array<[string, string]> = [
    ['Check', inlineText(`${ctx.action}:${check.id}`)],
    ['Target', inlineText(check.target)],
    ['Status', `${STATUS_ICON[check.status]} **${check.status}**`]
  ];
  const value = describeValue(check);
  if (value) rows.push(['Value', inlineText(value)]);
  rows.push(['First seen', inlineText(ctx.failingSince ?? ctx.now.toISOString())]);
  rows.push(['Last seen', inlineText(ctx.lastSeen ?? ctx.now.toISOString())]);
  rows.push(['Failing runs', describeRuns(ctx)]);
  rows.push(['Latest run', `[workflow run](${safeUrl(ctx.runUrl)})`]);
  const head = [
    issueMarker(ctx.key),
    `### ${STATUS_ICON[check.status]} ${inlineText(check.target)} is ${STATUS_WORD[check.status]}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `**Message:** ${inlineText(check.message, 4000)}`
  ].join('\n');
  const comments =
    ctx.commentIntervalMs > 0
      ? `A comment is added when the failure changes, and otherwise at most every ${formatDuration(ctx.commentIntervalMs)} while it lasts; this description always shows the latest failing run.`
      : 'Every later failing run adds a comment and updates this description.';
  const foot =
    `_Opened by a2a-ops after ${ctx.failuresToOpen} failing run${ctx.failuresToOpen === 1 ? '' : 's'} in a row. ${comments} ` +
    `It is closed after ${ctx.successesToClose} passing run${ctx.successesToClose === 1 ? '' : 's'} in a row._`;
  return assemble(scrubSecrets(head), check.details, scrubSecrets(foot));
}

/** `12`, or `12 (3 in a row)` when a passing run broke the streak while the issue stayed open. */
function describeRuns(ctx: BodyContext): string {
  const total = ctx.failingRuns ?? ctx.consecutiveFailures;
  return total === ctx.consecutiveFailures ? String(total) : `${total} (${ctx.consecutiveFailures} in a row)`;
}

/**
 * A comment for a check that is still failing while its issue is open: `changed` when the failure is
 * new to this incident, `interval` for the periodic reminder that the same failure goes on, `no-memory`
 * when earlier runs left no record to compare with.
 */
export function buildRecurrenceComment(check: Check, ctx: BodyContext, reason: RecurrenceReason): string {
  const value = describeValue(check);
  const runs = ctx.failingRuns ?? ctx.consecutiveFailures;
  const since = ctx.failingSince ? ` since ${ctx.failingSince}` : '';
  const at = ctx.now.toISOString();
  const lead = {
    changed: `${STATUS_ICON[check.status]} The failure changed at ${at}; now **${check.status}**`,
    interval: `${STATUS_ICON[check.status]} Still **${check.status}** at ${at}, unchanged`,
    'no-memory': `${STATUS_ICON[check.status]} Still **${check.status}** at ${at} (no record of earlier runs was found to compare with)`
  }[reason];
  const head = [
    `${lead} (${runs} failing run${runs === 1 ? '' : 's'}${since}): ${inlineText(check.message, 4000)}`,
    ...(value ? ['', `Value: ${inlineText(value)}`] : []),
    '',
    `[Workflow run](${safeUrl(ctx.runUrl)})`
  ].join('\n');
  return assemble(scrubSecrets(head), check.details, '');
}

/** The comment posted before closing: how long it was down, and how many runs saw it fail. */
export function buildRecoveryComment(
  check: Check,
  ctx: { runUrl: string; now: Date; failingSince?: string; successes: number; failingRuns?: number; lastSeen?: string }
): string {
  const since = ctx.failingSince ? Date.parse(ctx.failingSince) : NaN;
  const downtime = Number.isFinite(since) ? formatDuration(ctx.now.getTime() - since) : 'an unknown time (no record of when it began)';
  const facts = [
    Number.isFinite(since) ? `failing since ${ctx.failingSince}` : '',
    ctx.failingRuns ? `${ctx.failingRuns} failing run${ctx.failingRuns === 1 ? '' : 's'}` : '',
    ctx.lastSeen ? `last failure ${ctx.lastSeen}` : ''
  ].filter(Boolean);
  const text = [
    `${STATUS_ICON.ok} Recovered after ${downtime}${facts.length ? ` (${facts.join('; ')})` : ''}.`,
    '',
    `Passing for ${ctx.successes} run${ctx.successes === 1 ? '' : 's'} in a row; latest: ${inlineText(check.message)}`,
    '',
    `[Workflow run](${safeUrl(ctx.runUrl)})`
  ].join('\n');
  return scrubSecrets(text);
}

/** The comment on a second open issue carrying the same marker, posted before it is closed as a duplicate. */
export function buildDuplicateComment(key: string, canonical: number): string {
  return scrubSecrets(
    `Duplicate of #${canonical}, which a2a-ops keeps as the incident for ${inlineText(key)} (the oldest open issue ` +
      `with this check's marker). Two runs probably filed at once; a \`concurrency:\` group on the workflow prevents that. ` +
      `Closing this one: updates, comments and the recovery go to #${canonical}.`
  );
}

/** Joins head, fenced details and foot, cutting the details so the whole stays within BODY_BUDGET. */
function assemble(head: string, details: string | undefined, foot: string): string {
  const parts = [head];
  if (details) {
    // Fenced text notifies no one already; neutralising too keeps a copy-paste out of the fence inert.
    const clean = neutraliseMentions(scrubSecrets(details));
    // Room left for the details once the fixed text, the fence and the wrapper are counted.
    const overhead = head.length + foot.length + 400;
    const room = Math.max(1000, BODY_BUDGET - overhead);
    const { text, cut } = keepTail(clean, room);
    const note = cut ? `\n\n_Details truncated: the first ${cut.toLocaleString('en-US')} of ${clean.length.toLocaleString('en-US')} characters were dropped to stay under GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit; the full text is in the workflow run log._` : '';
    parts.push(`<details><summary>Details</summary>\n\n${fence(text)}\n\n</details>${note}`);
  }
  if (foot) parts.push(foot);
  const body = parts.join('\n\n');
  // The head itself is built from bounded fields, but a huge message must still never exceed the limit.
  return body.length > BODY_BUDGET ? `${body.slice(0, BODY_BUDGET - 40)}\n\n_…truncated to fit GitHub's limit._` : body;
}

/** Only http(s) links go into Markdown links; anything else is shown as inert text. */
function safeUrl(url: string): string {
  return /^https?:\/\/[^\s()<>]+$/.test(url) ? url : '#';
}
