// Keeps one GitHub issue per failing check: opens it after N failing runs, comments while it keeps
// failing, closes it after M passing runs with the downtime, and stays quiet during maintenance.
import { setTimeout as sleep } from 'node:timers/promises';
import type { getOctokit } from '@actions/github';
import type { IssueConfig, MaintenanceWindow } from '../config/types.js';
import { ConfigurationError } from '../errors.js';
import { reaches, type Check, type Report, type Status } from '../report/model.js';
import { scrubSecrets } from '../secrets.js';
import type { CheckMemory, RunState } from '../state/types.js';
import { callGitHub, GitHubCallError, type RetryBudget } from './github-call.js';
import {
  buildIssueBody,
  buildIssueTitle,
  buildRecoveryComment,
  buildRecurrenceComment,
  markerKey,
  readIssueMarker,
  type BodyContext
} from './issue-body.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface IssueSyncOptions {
  repo: { owner: string; repo: string };
  settings: IssueConfig;
  /** The status at which a check counts as an incident: `fail` (default) or `warn` (TLS: < 30 days is an alert). */
  openOn: Status;
  /** Link to the workflow run, put in bodies and comments. */
  runUrl: string;
  now?: Date;
  /** Total time all rate-limit retries of this sync may wait (default 30 s). */
  maxRetryWaitMs?: number;
  /** For tests: how to wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

export interface IssueSyncResult {
  opened: number[];
  commented: number[];
  closed: number[];
  /** Why nothing was opened or commented (maintenance), when that was the case. */
  suppressed?: string;
  warnings: string[];
}

interface OpenIssue {
  number: number;
  createdAt: string;
}

/**
 * Files, comments on and closes incident issues for a report and updates the flap-guard memory in
 * `state` (the caller saves it). Never throws for GitHub API trouble: that becomes `warnings`, so the
 * action's own result stays the job's result. Throws ConfigurationError for bad issue settings.
 */
export async function syncIssues(octokit: Octokit, report: Report, state: RunState, opts: IssueSyncOptions): Promise<IssueSyncResult> {
  validateSettings(opts.settings);
  if (opts.openOn !== 'warn' && opts.openOn !== 'fail') {
    throw new ConfigurationError(`Issues open on 'warn' or 'fail', not '${String(opts.openOn)}': every passing check would become an incident.`);
  }
  const now = opts.now ?? new Date();
  const { owner, repo } = opts.repo;
  const settings = opts.settings;
  const result: IssueSyncResult = { opened: [], commented: [], closed: [], warnings: [] };
  const budget: RetryBudget = {
    remainingMs: opts.maxRetryWaitMs ?? 30_000,
    maxAttempts: 4,
    sleep: opts.sleep ?? ((ms) => sleep(ms))
  };
  // After a 401/403-permission answer every further write would fail the same way: stop writing.
  let writesBlocked = false;
  const warn = (error: unknown): void => {
    const text = scrubSecrets(error instanceof Error ? error.message : String(error));
    if (!result.warnings.includes(text)) result.warnings.push(text);
    if (error instanceof GitHubCallError && (error.kind === 'permission' || error.kind === 'auth')) writesBlocked = true;
  };

  let open: Map<string, OpenIssue> | undefined;
  try {
    open = await listIncidentIssues(octokit, owner, repo, settings.labels[0], budget, result.warnings);
  } catch (error) {
    warn(error);
  }

  const windowReason = activeWindow(settings.maintenanceWindows, now);
  let suppressed = windowReason;
  if (!suppressed && settings.maintenanceLabel) {
    try {
      const labelled = await callGitHub(
        `Listing open issues labelled '${settings.maintenanceLabel}'`,
        () => octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: settings.maintenanceLabel, per_page: 1 }),
        budget
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
    const memory: CheckMemory = state.checks[key] ?? { lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 0 };
    state.checks[key] = memory;
    const failing = reaches(check.status, opts.openOn);
    const existing = open?.get(markerKey(key));

    if (failing) {
      memory.consecutiveFailures += 1;
      memory.consecutiveSuccesses = 0;
      memory.failingSince ??= now.toISOString();
    } else if (existing || (open === undefined && memory.failingSince)) {
      // An incident is (or may be) open: count passing runs towards closing it.
      memory.consecutiveSuccesses += 1;
      memory.consecutiveFailures = 0;
    } else {
      memory.consecutiveFailures = 0;
      memory.consecutiveSuccesses = 0;
      delete memory.failingSince;
    }
    memory.lastStatus = check.status;

    if (!open || writesBlocked) continue;
    const ctx: BodyContext = {
      key,
      action: report.action,
      runUrl: opts.runUrl,
      now,
      failingSince: memory.failingSince,
      consecutiveFailures: memory.consecutiveFailures,
      failuresToOpen: settings.failuresToOpen,
      successesToClose: settings.successesToClose
    };
    try {
      if (failing && !suppressed) {
        if (existing) {
          await callGitHub(
            `Commenting on incident #${existing.number}`,
            () => octokit.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: buildRecurrenceComment(check, ctx) }),
            budget
          );
          result.commented.push(existing.number);
        } else if (memory.consecutiveFailures >= settings.failuresToOpen) {
          const created = await callGitHub(
            `Opening an incident issue for ${key}`,
            () =>
              octokit.rest.issues.create({
                owner,
                repo,
                title: buildIssueTitle(report.action, check),
                body: buildIssueBody(check, ctx),
                labels: settings.labels,
                ...(settings.assignees.length ? { assignees: settings.assignees } : {})
              }),
            budget
          );
          open.set(markerKey(key), { number: created.data.number, createdAt: created.data.created_at });
          result.opened.push(created.data.number);
        }
      } else if (!failing && existing && memory.consecutiveSuccesses >= settings.successesToClose) {
        await closeRecovered(octokit, owner, repo, existing, check, memory, opts.runUrl, now, budget);
        result.closed.push(existing.number);
        open.delete(markerKey(key));
        state.checks[key] = { lastStatus: check.status, consecutiveFailures: 0, consecutiveSuccesses: 0 };
      }
    } catch (error) {
      warn(error);
    }
  }
  return result;
}

async function closeRecovered(
  octokit: Octokit,
  owner: string,
  repo: string,
  issue: OpenIssue,
  check: Check,
  memory: CheckMemory,
  runUrl: string,
  now: Date,
  budget: RetryBudget
): Promise<void> {
  // Without memory (state lost between runs) the issue's creation time is the best start we know.
  const failingSince = memory.failingSince ?? issue.createdAt;
  const body = buildRecoveryComment(check, { runUrl, now, failingSince, successes: memory.consecutiveSuccesses });
  await callGitHub(`Commenting recovery on incident #${issue.number}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body }), budget);
  await callGitHub(
    `Closing incident #${issue.number}`,
    () => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' }),
    budget
  );
}

/**
 * Open incident issues by key: listed by the first label (every page), matched by the body marker.
 * Pull requests are skipped. When two issues carry one key (a race), the oldest wins and a warning says so.
 */
async function listIncidentIssues(
  octokit: Octokit,
  owner: string,
  repo: string,
  label: string,
  budget: RetryBudget,
  warnings: string[]
): Promise<Map<string, OpenIssue>> {
  const found = new Map<string, OpenIssue>();
  const MAX_PAGES = 20;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await callGitHub(
      `Listing open issues labelled '${label}'`,
      () => octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: label, per_page: 100, page }),
      budget
    );
    for (const issue of res.data) {
      if (issue.pull_request) continue;
      const key = readIssueMarker(issue.body);
      if (key === undefined) continue;
      const seen = found.get(key);
      if (seen) {
        const [keep, other] = seen.number < issue.number ? [seen.number, issue.number] : [issue.number, seen.number];
        warnings.push(`Issues #${keep} and #${other} both track '${key}'; using #${keep}. Close the other one.`);
        if (seen.number < issue.number) continue;
      }
      found.set(key, { number: issue.number, createdAt: issue.created_at });
    }
    if (res.data.length < 100) return found;
  }
  warnings.push(`More than ${MAX_PAGES * 100} open issues are labelled '${label}'; only the first ${MAX_PAGES * 100} were read.`);
  return found;
}

/** The reason text of the maintenance window `now` falls in, if any. */
function activeWindow(windows: MaintenanceWindow[], now: Date): string | undefined {
  const t = now.getTime();
  for (const w of windows) {
    if (Date.parse(w.start) <= t && t < Date.parse(w.end)) {
      return `maintenance window ${w.start} → ${w.end}${w.reason ? ` (${w.reason})` : ''}`;
    }
  }
  return undefined;
}

function validateSettings(settings: IssueConfig): void {
  const where = "the 'issues' section of the ops config";
  if (!settings.labels.length || !settings.labels[0]?.trim()) {
    throw new ConfigurationError(`issues.labels in ${where} must name at least one label: the first one is how incident issues are found again.`);
  }
  for (const [name, value] of [['failures-to-open', settings.failuresToOpen], ['successes-to-close', settings.successesToClose]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigurationError(`issues.${name} in ${where} must be a whole number of at least 1, got ${String(value)}.`);
    }
  }
  settings.maintenanceWindows.forEach((w, i) => {
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    if (!Number.isFinite(start) || !Number.isFinite(end)) {
      throw new ConfigurationError(
        `issues.maintenance-windows[${i}] in ${where} needs ISO 8601 'start' and 'end' times such as '2026-01-31T22:00:00Z'.`
      );
    }
    if (end <= start) throw new ConfigurationError(`issues.maintenance-windows[${i}] in ${where} ends before it starts: swap 'start' and 'end'.`);
  });
}
