// The one failure funnel: every action runs through here, and only here is core.setFailed called.
import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadOpsConfig } from '../config/load-config.js';
import { COMMON_OUTPUTS } from '../contract.js';
import { ConfigurationError, toError } from '../errors.js';
import { ReportDraft } from '../report/draft.js';
import { reaches, type Check, type Report } from '../report/model.js';
import { renderConsole } from '../report/render-console.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { scrubSecrets } from '../secrets.js';
import { createStateStore } from '../state/state-store.js';
import { emptyState, type StateStore } from '../state/types.js';
import { CANCEL_GRACE, watchCancellation, type Cancellation, type CancelSignal } from './cancellation.js';
import { Cleanups, type CleanupOutcome } from './cleanups.js';
import { readCommonInputs } from './common-inputs.js';
import { actionsLogger } from './logger.js';
import type { ActionDefinition, ActionResult, RunContext } from './types.js';

/** How long the cleanups of a run that finished or stopped may take together (each: CLEANUP_EACH_MS). */
const CLEANUP_BUDGET_MS = 120_000;
const CLEANUP_EACH_MS = 60_000;

/** How `execute` ended, as the funnel sees it. */
type Ending =
  | { kind: 'finished'; result: ActionResult }
  | { kind: 'stopped'; error: Error }
  | { kind: 'cancelled'; signal: CancelSignal };

/** What the funnel may be told to do differently in tests. */
export interface RunOptions {
  /** Called after a cancelled run has reported (default: `process.exit`, so no open socket keeps it alive). */
  exitAfterCancel?: (code: number) => void;
}

/**
 * Runs an action: inputs and config first (a mistake there fails before anything is touched), then
 * execute, then the registered cleanups, then report (console, job summary, outputs), incident issues
 * and state. On SIGINT/SIGTERM the run is aborted, cleaned up and reported as cancelled within the
 * runner's grace window. Never throws.
 */
export async function runAction<I>(def: ActionDefinition<I>, opts: RunOptions = {}): Promise<void> {
  const cancellation = watchCancellation();
  try {
    await runGuarded(def, cancellation, opts);
  } catch (thrown) {
    // Only a bug in the funnel itself lands here; it must still fail the step.
    core.setFailed(scrubSecrets(`${def.title}: internal error: ${toError(thrown).message}`));
  } finally {
    cancellation.dispose();
  }
}

async function runGuarded<I>(def: ActionDefinition<I>, cancellation: Cancellation, opts: RunOptions): Promise<void> {
  const log = actionsLogger;
  const startedAt = new Date();
  const eventName = process.env.GITHUB_EVENT_NAME ?? 'local';
  let inputs: I;
  let ctx: RunContext;
  try {
    const common = readCommonInputs();
    const config = loadOpsConfig(common.config);
    inputs = def.readInputs({ config, common, eventName });
    ctx = {
      config,
      common,
      eventName,
      runUrl: runUrl(),
      log,
      state: emptyState(),
      report: new ReportDraft(def.name, def.title, startedAt),
      cleanups: new Cleanups(),
      signal: cancellation.signal
    };
  } catch (thrown) {
    failOnSetup(toError(thrown));
    return;
  }

  const store = await createStateStore(def.name, log.warn).catch((e: Error) => {
    log.warn(`State between runs is off for this run: ${e.message}`);
    return undefined;
  });
  ctx.state = (await store?.load().catch(() => emptyState())) ?? emptyState();

  const ending = await executeUntilCancelled(def, inputs, ctx, cancellation);
  if (ending.kind === 'stopped' && ending.error instanceof ConfigurationError && ctx.report.checks.length === 0) {
    await runCleanups(ctx, cancellation);
    failOnSetup(ending.error);
    return;
  }
  const cleanups = await runCleanups(ctx, cancellation);
  const report = finalReport(ending, ctx, cleanups);
  guarded(log, 'publish the report', () => publishReport(report, ending.kind === 'finished' ? (ending.result.outputs ?? {}) : {}));

  if (ending.kind === 'cancelled') {
    // The grace window is for cleaning up: no issue traffic, no cache upload. The next run carries on.
    core.setFailed(scrubSecrets(`${def.title} was cancelled (${ending.signal}); ${describeCleanups(cleanups)}.`));
    (opts.exitAfterCancel ?? ((code: number) => process.exit(code)))(1);
    return;
  }
  if (ctx.common.issue === 'auto') await guardedAsync(log, 'sync incident issues', () => syncIssuesLazily(def, report, ctx));
  await saveState(store, report, ctx);
  decideStepResult(def, report, ending, ctx);
}

/** Runs execute, but returns as soon as the run is cancelled (after a short wait for execute to notice). */
async function executeUntilCancelled<I>(def: ActionDefinition<I>, inputs: I, ctx: RunContext, cancellation: Cancellation): Promise<Ending> {
  const executed: Promise<Ending> = def.execute(inputs, ctx).then(
    (result): Ending => ({ kind: 'finished', result }),
    (thrown): Ending => ({ kind: 'stopped', error: toError(thrown) })
  );
  const cancelled = cancellation.whenCancelled.then((signal): Ending => ({ kind: 'cancelled', signal }));
  const first = await Promise.race([executed, cancelled]);
  if (first.kind !== 'cancelled') return first;
  ctx.log.warn(`Cancelled by ${first.signal}: stopping and cleaning up.`);
  // Work that honours ctx.signal stops on its own; give it a moment so its cleanups are registered.
  await Promise.race([executed, delay(CANCEL_GRACE.settleMs)]);
  return first;
}

/** Runs the registered cleanups; bounded by the grace window once the run is cancelled. */
async function runCleanups(ctx: RunContext, cancellation: Cancellation): Promise<CleanupOutcome[]> {
  if (ctx.cleanups.pending.length === 0) return [];
  const cancelled = cancellation.received !== undefined;
  const all = ctx.cleanups.runAll(
    cancelled ? { budgetMs: CANCEL_GRACE.cleanupMs, perCleanupMs: CANCEL_GRACE.cleanupMs } : { budgetMs: CLEANUP_BUDGET_MS, perCleanupMs: CLEANUP_EACH_MS }
  );
  // A cancel arriving during normal cleanups: keep cleaning, but only within the grace window.
  const outcomes = await Promise.race([all, cancellation.whenCancelled.then(() => Promise.race([all, delay(CANCEL_GRACE.cleanupMs).then(() => ctx.cleanups.outcomes)]))]);
  for (const o of outcomes) {
    if (o.ok) ctx.log.info(`Cleanup: ${o.label} (${(o.durationMs / 1000).toFixed(1)} s).`);
    else ctx.log.warn(`Cleanup failed: ${o.label}: ${o.problem}`);
  }
  return outcomes;
}

/** The report: execute's own, or the draft as it stood, plus what stopped the run and how cleanup went. */
function finalReport(ending: Ending, ctx: RunContext, cleanups: CleanupOutcome[]): Report {
  const draft = ctx.report;
  const cleanupChecks: Check[] = cleanups
    .filter((c) => !c.ok)
    .map((c) => ({ id: `cleanup:${c.label}`, kind: 'run', target: 'cleanup', status: 'fail', message: `${c.label}: ${c.problem}` }));
  const cleanedNote = cleanups.some((c) => c.ok) ? [`Cleaned up: ${cleanups.filter((c) => c.ok).map((c) => c.label).join('; ')}.`] : [];

  if (ending.kind === 'finished') {
    const report = ending.result.report ?? draft.build('finished');
    return { ...report, checks: [...report.checks, ...cleanupChecks], notes: [...report.notes, ...cleanedNote], status: cleanupChecks.length ? 'fail' : report.status };
  }
  const elapsed = ((Date.now() - draft.startedAt.getTime()) / 1000).toFixed(1);
  const message =
    ending.kind === 'cancelled'
      ? `Cancelled by ${ending.signal} after ${elapsed} s; ${describeCleanups(cleanups)}`
      : `The run stopped: ${ending.error.message}`;
  if (ending.kind === 'stopped' && !(ending.error instanceof ConfigurationError)) core.debug(scrubSecrets(ending.error.stack ?? ending.error.message));
  draft.add({ id: 'run', kind: 'run', target: draft.action, status: 'fail', message }, ...cleanupChecks);
  for (const note of cleanedNote) draft.note(note);
  return draft.build(ending.kind);
}

function describeCleanups(cleanups: CleanupOutcome[]): string {
  if (cleanups.length === 0) return 'nothing needed cleaning up';
  const failed = cleanups.filter((c) => !c.ok);
  const done = `cleaned up ${cleanups.length - failed.length} of ${cleanups.length}`;
  return failed.length ? `${done}; NOT cleaned up: ${failed.map((c) => `${c.label} (${c.problem})`).join('; ')}` : `${done}: ${cleanups.map((c) => c.label).join('; ')}`;
}

/** Fails the step when the checks reach `fail-on`; a run that stopped always fails it. */
function decideStepResult<I>(def: ActionDefinition<I>, report: Report, ending: Ending, ctx: RunContext): void {
  if (ending.kind === 'stopped') {
    core.setFailed(scrubSecrets(`${def.title} stopped: ${ending.error.message}`));
    return;
  }
  const failOn = ctx.common.failOn;
  if (failOn !== 'never' && reaches(report.status, failOn)) {
    const bad = report.checks.filter((c) => reaches(c.status, failOn));
    core.setFailed(scrubSecrets(`${def.title}: ${bad.length} check${bad.length === 1 ? '' : 's'} at '${failOn}' or worse: ${bad.map((c) => c.id).join(', ')}`));
  }
}

/** Writes the console report, the job summary (never failing the step) and the outputs. */
function publishReport(report: Report, extra: Record<string, string>): void {
  core.info('');
  core.info(renderConsole(report));
  core.setOutput(COMMON_OUTPUTS.status, report.status);
  core.setOutput(COMMON_OUTPUTS.report, scrubSecrets(JSON.stringify(report)));
  for (const [name, value] of Object.entries(extra)) core.setOutput(name, scrubSecrets(value));
  writeSummary(renderMarkdown(report));
}

function writeSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  // Appended directly rather than through core.summary, which caches the first file path it sees.
  // A summary problem (file missing, too large) must never change the step's result.
  try {
    appendFileSync(file, markdown);
  } catch (e) {
    core.warning(`Could not write the job summary: ${(e as Error).message}`);
  }
}

/** Incident issues: Octokit and the sync code load only when a run files issues. */
async function syncIssuesLazily<I>(def: ActionDefinition<I>, report: Report, ctx: RunContext): Promise<void> {
  const { syncIncidentIssues } = await import('./incident-issues.js');
  await syncIncidentIssues({ action: def.name, issueOn: def.issueOn ?? 'fail' }, report, ctx);
}

async function saveState(store: StateStore | undefined, report: Report, ctx: RunContext): Promise<void> {
  if (!store) return;
  ctx.state.lastRunAt = report.finishedAt;
  if (ctx.eventName === 'schedule') ctx.state.lastScheduledRunAt = report.finishedAt;
  await store.save(ctx.state).catch((e: Error) => ctx.log.warn(`Could not save state: ${e.message}`));
}

/** A failure before anything ran: printed plainly; the stack only in debug for non-user errors. */
function failOnSetup(error: Error): void {
  if (!(error instanceof ConfigurationError)) core.debug(scrubSecrets(error.stack ?? ''));
  core.setOutput(COMMON_OUTPUTS.status, 'fail');
  core.setFailed(scrubSecrets(error.message));
}

/** Runs a step after execute that must never escape the funnel: a failure there is a warning. */
function guarded(log: RunContext['log'], what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    log.warn(`Could not ${what}: ${toError(e).message}`);
  }
}

async function guardedAsync(log: RunContext['log'], what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    log.warn(`Could not ${what}: ${toError(e).message}`);
  }
}

/** A wait that never keeps the process alive on its own. */
function delay(ms: number): Promise<void> {
  return sleep(ms, undefined, { ref: false });
}

function runUrl(): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : 'local run';
}
