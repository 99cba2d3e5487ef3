// Keeps one GitHub issue per failing check: opens it after N failing runs, keeps its body current while
// it keeps failing, comments only when the failure changes or the comment interval has passed, closes it
// after M passing runs with the downtime, and stays quiet during maintenance. What to do is decided in
// decide.ts (settings, maintenance windows, each check's step); this file makes the GitHub calls.
import type { IssueConfig } from '../config/types.js';
import type { Check, Report, Status } from '../report/model.js';
import { scrubSecrets } from '../secrets.js';
import type { CheckMemory, RunState } from '../state/types.js';
import { activeWindow, quietMemory, stepCheck, validateSettings } from './decide.js';
import { callGitHub, GitHubCallError } from './github-call.js';
import type { GitHubClient } from './github-client.js';
import {
  buildDuplicateComment,
  buildIssueBody,
  buildIssueTitle,
  buildRecoveryComment,
  buildRecurrenceComment,
  markerKey,
  readIssueMarker,
  type BodyContext
} from './issue-body.js';
import { decideRecurrenceComment, failureFingerprint, rememberAnnouncement } from './recurrence.js';

export interface IssueSyncOptions {
  repo: { owner: string; repo: string };
  settings: IssueConfig;
  /** The status at which a check counts as an incident: `fail` (default) or `warn` (TLS: < 30 days is an alert). */
  openOn: Status;
  /** Link to the workflow run, put in bodies and comments. */
  runUrl: string;
  now?: Date;
}

export interface IssueSyncResult {
  opened: number[];
  commented: number[];
  /** Open incidents whose body was rewritten to show the latest failing run. */
  updated: number[];
  closed: number[];
  /** Newer open issues that carried the marker of an older one, closed as its duplicates. */
  closedAsDuplicates: number[];
  /** Why nothing was opened or commented (maintenance), when that was the case. */
  suppressed?: string;
  warnings: string[];
}

interface OpenIssue {
  number: number;
  id: number;
  createdAt: string;
  body: string;
}

interface Duplicate {
  key: string;
  issue: OpenIssue;
  canonical: OpenIssue;
}

/**
 * Files, updates, comments on and closes incident issues for a report and updates the flap-guard and
 * recurrence memory in `state` (the caller saves it). `octokit` comes from `createGitHubClient`, which
 * retries rate limits and server errors. Never throws for GitHub API trouble: that becomes `warnings`,
 * so the action's own result stays the job's result. Throws ConfigurationError for bad issue settings.
 */
export async function syncIssues(octokit: GitHubClient, report: Report, state: RunState, opts: IssueSyncOptions): Promise<IssueSyncResult> {
  validateSettings(opts.settings, opts.openOn);
  const now = opts.now ?? new Date();
  const { owner, repo } = opts.repo;
  const settings = opts.settings;
  const result: IssueSyncResult = { opened: [], commented: [], updated: [], closed: [], closedAsDuplicates: [], warnings: [] };
  // After a 401/403-permission answer every further write would fail the same way: stop writing.
  let writesBlocked = false;
  const warn = (error: unknown): void => {
    const text = scrubSecrets(error instanceof Error ? error.message : String(error));
    if (!result.warnings.includes(text)) result.warnings.push(text);
    if (error instanceof GitHubCallError && (error.kind === 'permission' || error.kind === 'auth')) writesBlocked = true;
  };

  let open: Map<string, OpenIssue> | undefined;
  let duplicates: Duplicate[] = [];
  try {
    ({ open, duplicates } = await listIncidentIssues(octokit, owner, repo, settings.labels[0], result.warnings));
  } catch (error) {
    warn(error);
  }

  for (const dup of duplicates) {
    if (writesBlocked) break;
    try {
      await closeDuplicate(octokit, owner, repo, dup);
      result.closedAsDuplicates.push(dup.issue.number);
    } catch (error) {
      warn(error);
    }
  }

  const windowReason = activeWindow(settings.maintenanceWindows, now);
  let suppressed = windowReason;
  if (!suppressed && settings.maintenanceLabel) {
    try {
      const labelled = await callGitHub(`Listing open issues labelled '${settings.maintenanceLabel}'`, () =>
        octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: settings.maintenanceLabel, per_page: 1 })
      );
      const first = labelled.data[0];
      if (first) suppressed = `open issue #${first.number} is labelled '${settings.maintenanceLabel}' (maintenance)`;
    } catch (error) {
      warn(error);
    }
  }
  if (suppressed) result.suppressed = suppressed;

  for (const check of report.checks) {
    const key = `${report.action}:${check.id}`;
    const existing = open?.get(markerKey(key));
    const { memory, step } = stepCheck(state.checks[key], {
      status: check.status,
      openOn: opts.openOn,
      listed: open !== undefined,
      existing,
      suppressed: suppressed !== undefined,
      settings,
      now
    });
    state.checks[key] = memory;
    if (step === 'none' || !open || writesBlocked) continue;
    const ctx: BodyContext = {
      key,
      action: report.action,
      runUrl: opts.runUrl,
      now,
      failingSince: memory.failingSince,
      lastSeen: memory.lastFailureAt,
      failingRuns: memory.failingRuns,
      consecutiveFailures: memory.consecutiveFailures,
      failuresToOpen: settings.failuresToOpen,
      successesToClose: settings.successesToClose,
      commentIntervalMs: settings.commentIntervalMs
    };
    try {
      if (step === 'keep-current' && existing) {
        await keepIncidentCurrent(octokit, owner, repo, existing, check, memory, ctx, settings, suppressed, result);
      } else if (step === 'open') {
        const body = buildIssueBody(check, ctx);
        const created = await callGitHub(`Opening an incident issue for ${key}`, () =>
          octokit.rest.issues.create({
            owner,
            repo,
            title: buildIssueTitle(report.action, check),
            body,
            labels: settings.labels,
            ...(settings.assignees.length ? { assignees: settings.assignees } : {})
          })
        );
        open.set(markerKey(key), { number: created.data.number, id: created.data.id, createdAt: created.data.created_at, body });
        // A new issue starts a new conversation: what an earlier (closed) issue said does not count.
        memory.announced = [];
        rememberAnnouncement(memory, failureFingerprint(check), now);
        result.opened.push(created.data.number);
      } else if (step === 'close' && existing) {
        await closeRecovered(octokit, owner, repo, existing, check, memory, opts.runUrl, now);
        result.closed.push(existing.number);
        open.delete(markerKey(key));
        state.checks[key] = quietMemory(check.status);
      }
    } catch (error) {
      warn(error);
    }
  }
  return result;
}

/**
 * A failing run that finds its issue open: the body always shows the latest run (rewritten only when
 * it differs), and a comment is added only when `decideRecurrenceComment` says so and no maintenance
 * is on. Body edits notify no one; comments do, hence the rule.
 */
async function keepIncidentCurrent(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  issue: OpenIssue,
  check: Check,
  memory: CheckMemory,
  ctx: BodyContext,
  settings: IssueConfig,
  suppressed: string | undefined,
  result: IssueSyncResult
): Promise<void> {
  const body = buildIssueBody(check, ctx);
  if (body !== issue.body) {
    await callGitHub(`Updating incident #${issue.number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body }));
    issue.body = body;
    result.updated.push(issue.number);
  }
  if (suppressed) return;
  const fingerprint = failureFingerprint(check);
  const decision = decideRecurrenceComment(memory, fingerprint, ctx.now, settings.commentIntervalMs);
  if (!decision.comment) return;
  await callGitHub(`Commenting on incident #${issue.number}`, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: buildRecurrenceComment(check, ctx, decision.reason) })
  );
  rememberAnnouncement(memory, fingerprint, ctx.now);
  result.commented.push(issue.number);
}

async function closeRecovered(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  issue: OpenIssue,
  check: Check,
  memory: CheckMemory,
  runUrl: string,
  now: Date
): Promise<void> {
  // Without memory (state lost between runs) the issue's creation time is the best start we know.
  const failingSince = memory.failingSince ?? issue.createdAt;
  const body = buildRecoveryComment(check, {
    runUrl,
    now,
    failingSince,
    successes: memory.consecutiveSuccesses,
    failingRuns: memory.failingRuns,
    lastSeen: memory.lastFailureAt
  });
  await callGitHub(`Commenting recovery on incident #${issue.number}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body }));
  await callGitHub(`Closing incident #${issue.number}`, () =>
    octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' })
  );
}

/** Points a duplicate at the canonical issue, then closes it as GitHub's "duplicate of". */
async function closeDuplicate(octokit: GitHubClient, owner: string, repo: string, dup: Duplicate): Promise<void> {
  const n = dup.issue.number;
  await callGitHub(`Commenting on duplicate incident #${n}`, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: n, body: buildDuplicateComment(dup.key, dup.canonical.number) })
  );
  await callGitHub(`Closing duplicate incident #${n}`, () =>
    octokit.rest.issues.update({ owner, repo, issue_number: n, state: 'closed', state_reason: 'duplicate', duplicate_issue_id: dup.canonical.id })
  );
}

/**
 * Open incident issues by key: listed by the first label (every page), matched by the body marker;
 * pull requests are skipped. When several open issues carry one key (two runs filed at once, or an
 * old incident reopened by hand), the OLDEST (lowest number) is the incident: it is the one people
 * were notified about first and may have bookmarked, and it stays the same however many duplicates
 * appear later. The others are returned as duplicates, to be pointed at it and closed, with a warning.
 */
async function listIncidentIssues(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  label: string,
  warnings: string[]
): Promise<{ open: Map<string, OpenIssue>; duplicates: Duplicate[] }> {
  const byKey = new Map<string, OpenIssue[]>();
  const MAX_PAGES = 20;
  let complete = false;
  for (let page = 1; page <= MAX_PAGES && !complete; page++) {
    const res = await callGitHub(`Listing open issues labelled '${label}'`, () =>
      octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: label, per_page: 100, page })
    );
    for (const issue of res.data) {
      if (issue.pull_request) continue;
      const key = readIssueMarker(issue.body);
      if (key === undefined) continue;
      const entry: OpenIssue = { number: issue.number, id: issue.id, createdAt: issue.created_at, body: issue.body ?? '' };
      byKey.set(key, [...(byKey.get(key) ?? []), entry]);
    }
    complete = res.data.length < 100;
  }
  if (!complete) warnings.push(`More than ${MAX_PAGES * 100} open issues are labelled '${label}'; only the first ${MAX_PAGES * 100} were read.`);

  const open = new Map<string, OpenIssue>();
  const duplicates: Duplicate[] = [];
  for (const [key, issues] of byKey) {
    const [canonical, ...others] = issues.sort((a, b) => a.number - b.number);
    open.set(key, canonical);
    for (const issue of others) {
      duplicates.push({ key, issue, canonical });
      warnings.push(`Issues #${canonical.number} and #${issue.number} both track '${key}': #${canonical.number} (the oldest) stays the incident, #${issue.number} is closed as its duplicate.`);
    }
  }
  return { open, duplicates };
}
