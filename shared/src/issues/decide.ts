// The incident lifecycle's decisions, apart from the GitHub calls that carry them out (sync-issues.ts):
// which issue settings are refused, which maintenance window is on, and for each check in a run how its
// memory moves (failure and success streaks, the downtime start) and what happens to its issue: open
// one, keep the open one current, close it, or nothing.
import type { IssueConfig, MaintenanceWindow } from '../config/types.js';
import { ConfigurationError } from '../errors.js';
import { reaches, type Status } from '../report/model.js';
import type { CheckMemory } from '../state/types.js';

/** What to do with a check's incident issue after this run. */
export type IssueStep = 'open' | 'keep-current' | 'close' | 'none';

export interface StepInput {
  status: Status;
  openOn: Status;
  /** Whether the open incident issues could be listed; without the list nothing is written. */
  listed: boolean;
  /** The check's open issue, when there is one. */
  existing?: { createdAt: string };
  /** Opening is held back (a maintenance window or label); keeping an issue current and closing are not. */
  suppressed: boolean;
  settings: Pick<IssueConfig, 'failuresToOpen' | 'successesToClose'>;
  now: Date;
}

/** A check's memory with no streak: what a passing check with no incident keeps. */
export function quietMemory(status: Status): CheckMemory {
  return { lastStatus: status, consecutiveFailures: 0, consecutiveSuccesses: 0 };
}

/**
 * Moves a check's memory on by one run and says what its issue needs. A failing run extends the failure
 * streak and ends the success streak; a passing run counts towards closing only while an incident is (or,
 * with the list unreadable, may be) open; otherwise the memory is reset. The issue opens after
 * `failuresToOpen` failing runs in a row (not while suppressed), is kept current while it keeps failing,
 * and closes after `successesToClose` passing runs in a row. The memory returned is a new object.
 */
export function stepCheck(previous: CheckMemory | undefined, input: StepInput): { memory: CheckMemory; step: IssueStep } {
  const memory: CheckMemory = { ...(previous ?? quietMemory('ok')), lastStatus: input.status };
  if (reaches(input.status, input.openOn)) {
    memory.consecutiveFailures += 1;
    memory.consecutiveSuccesses = 0;
    // With the state lost and the issue still open, its creation is the earliest start we know.
    memory.failingSince ??= input.existing?.createdAt ?? input.now.toISOString();
    memory.failingRuns = (memory.failingRuns ?? 0) + 1;
    memory.lastFailureAt = input.now.toISOString();
    if (!input.listed) return { memory, step: 'none' };
    if (input.existing) return { memory, step: 'keep-current' };
    const due = !input.suppressed && memory.consecutiveFailures >= input.settings.failuresToOpen;
    return { memory, step: due ? 'open' : 'none' };
  }
  // Unlisted issues leave `existing` unknown: a remembered failure may still have its issue open.
  const incident = input.existing !== undefined || (!input.listed && memory.failingSince !== undefined);
  if (!incident) return { memory: quietMemory(input.status), step: 'none' };
  memory.consecutiveSuccesses += 1;
  memory.consecutiveFailures = 0;
  if (!input.listed) return { memory, step: 'none' };
  return { memory, step: memory.consecutiveSuccesses >= input.settings.successesToClose ? 'close' : 'none' };
}

/** The reason text of the maintenance window `now` falls in (start inclusive, end exclusive), if any. */
export function activeWindow(windows: MaintenanceWindow[], now: Date): string | undefined {
  const t = now.getTime();
  for (const w of windows) {
    if (Date.parse(w.start) <= t && t < Date.parse(w.end)) {
      return `maintenance window ${w.start} → ${w.end}${w.reason ? ` (${w.reason})` : ''}`;
    }
  }
  return undefined;
}

/** Refuses issue settings that would lose incidents or file one per passing check, naming the key and the fix. */
export function validateSettings(settings: IssueConfig, openOn: Status): void {
  if (openOn !== 'warn' && openOn !== 'fail') {
    throw new ConfigurationError(`Issues open on 'warn' or 'fail', not '${String(openOn)}': every passing check would become an incident.`);
  }
  const where = "the 'issues' section of the ops config";
  if (!settings.labels.length || !settings.labels[0]?.trim()) {
    throw new ConfigurationError(`issues.labels in ${where} must name at least one label: the first one is how incident issues are found again.`);
  }
  for (const [name, value] of [['failures-to-open', settings.failuresToOpen], ['successes-to-close', settings.successesToClose]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigurationError(`issues.${name} in ${where} must be a whole number of at least 1, got ${String(value)}.`);
    }
  }
  if (!Number.isFinite(settings.commentIntervalMs) || settings.commentIntervalMs < 0) {
    throw new ConfigurationError(`issues.comment-interval in ${where} must be a duration such as '6h' or '30m' (0 comments on every failing run), got ${String(settings.commentIntervalMs)}.`);
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
