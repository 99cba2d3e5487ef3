// The one result model every action reports in: checks with a status, rendered as job summary, console and JSON.

/** Severity of a check or a whole report, in rising order. */
export type Status = 'ok' | 'warn' | 'fail';

export const STATUS_ORDER: readonly Status[] = ['ok', 'warn', 'fail'];

/** One measured fact about one target: "api /health answered 200 in 120 ms". */
export interface Check {
  /** Stable key, unique in the report: also the issue key (`http:https://api.example.com/health`). */
  id: string;
  /** Groups checks into one table: `http`, `host`, `container`, `database`, `tls`, ... */
  kind: string;
  /** What was checked, as a person would name it (a URL, `app-1:/`, `api.example.com:443`). */
  target: string;
  status: Status;
  /** Measured value, when there is one. */
  value?: number | string;
  unit?: string;
  /** The threshold the value was compared with, as text (`< 500 ms`, `>= 30 days`). */
  threshold?: string;
  /** One line a person reads: what is wrong or what is fine. */
  message: string;
  /** Longer text folded under the table (log excerpts, certificate details). Scrubbed of secrets. */
  details?: string;
}

/** Extra Markdown blocks for the summary: charts, log excerpts, plans. */
export interface ReportSection {
  title: string;
  markdown: string;
}

/** What one action run found. */
export interface Report {
  action: string;
  title: string;
  status: Status;
  startedAt: string;
  finishedAt: string;
  checks: Check[];
  sections: ReportSection[];
  /** Free-form notes shown above the tables (freshness warnings, maintenance windows). */
  notes: string[];
  /** How the run ended: it finished, it stopped on an error, or it was cancelled (and cleaned up). */
  outcome: RunOutcome;
}

/** `finished`: execute returned; `stopped`: it threw; `cancelled`: the runner cancelled the step. */
export type RunOutcome = 'finished' | 'stopped' | 'cancelled';

/** The worse of two statuses. */
export function worst(a: Status, b: Status): Status {
  return STATUS_ORDER.indexOf(a) >= STATUS_ORDER.indexOf(b) ? a : b;
}

/** True when `status` is at least as severe as `level`. */
export function reaches(status: Status, level: Status): boolean {
  return STATUS_ORDER.indexOf(status) >= STATUS_ORDER.indexOf(level);
}

/** Overall status of a list of checks: the worst one, `ok` when there are none. */
export function overallStatus(checks: readonly Check[]): Status {
  return checks.reduce<Status>((acc, c) => worst(acc, c.status), 'ok');
}

/** Builds a report from checks; the status is derived, never set by hand. */
export function buildReport(init: {
  action: string;
  title: string;
  startedAt: Date;
  checks: Check[];
  sections?: ReportSection[];
  notes?: string[];
  outcome?: RunOutcome;
}): Report {
  return {
    action: init.action,
    title: init.title,
    status: overallStatus(init.checks),
    startedAt: init.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    checks: init.checks,
    sections: init.sections ?? [],
    notes: init.notes ?? [],
    outcome: init.outcome ?? 'finished'
  };
}
