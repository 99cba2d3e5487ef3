// The contract between the run funnel and an action: read inputs up front, then execute into a report.
import type { OpsConfig } from '../config/types.js';
import type { FailOn, IssueMode } from '../contract.js';
import type { ReportDraft } from '../report/draft.js';
import type { Report, Status } from '../report/model.js';
import type { RunState } from '../state/types.js';
import type { Cleanups } from './cleanups.js';

/** The common-contract inputs, parsed. */
export interface CommonInputs {
  config?: string;
  githubToken?: string;
  issue: IssueMode;
  failOn: FailOn;
}

/** What `readInputs` may look at: nothing has been touched yet. */
export interface InputContext {
  config: OpsConfig;
  common: CommonInputs;
  /** `GITHUB_EVENT_NAME` (`schedule`, `workflow_dispatch`, `pull_request`, ...); `local` from the CLI. */
  eventName: string;
}

/** Log lines that read like a report. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export interface RunContext extends InputContext {
  /** State kept between runs; the funnel loads it before and saves it after `execute`. */
  state: RunState;
  /** Link to this workflow run (or a local marker). */
  runUrl: string;
  log: Logger;
  /** What the run has found so far: recorded checks stay in the report if the run stops or is cancelled. */
  report: ReportDraft;
  /** Undo work registered here (locks, temp files); run on success, failure and cancellation. */
  cleanups: Cleanups;
  /** Aborted when the runner cancels the step: pass it to anything that can stop early. */
  signal: AbortSignal;
}

export interface ActionResult {
  /** The finished report; when absent, the funnel builds it from `ctx.report`. */
  report?: Report;
  /** Outputs beyond `status` and `report`, by their action.yml names. */
  outputs?: Record<string, string>;
}

/** One action: its name, how it reads its inputs, what it does. */
export interface ActionDefinition<I> {
  /** Short name: report.action, state key, issue-key prefix (`health`, `ssl`). */
  name: string;
  /** Report headline (`Morning health check`). */
  title: string;
  /** The status at which incident issues open; `fail` unless the runbook calls a warning an alert. */
  issueOn?: Status;
  /** Parses every input into a typed object; throws ConfigurationError; must not touch anything. */
  readInputs(ctx: InputContext): I;
  execute(inputs: I, ctx: RunContext): Promise<ActionResult>;
}
