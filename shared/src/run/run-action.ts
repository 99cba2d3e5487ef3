// The one failure funnel: every action runs through here, and only here is core.setFailed called.
import * as core from '@actions/core';
import * as github from '@actions/github';
import { appendFileSync } from 'node:fs';
import { loadOpsConfig } from '../config/load-config.js';
import { COMMON_OUTPUTS } from '../contract.js';
import { ConfigurationError, toError } from '../errors.js';
import { syncIssues } from '../issues/index.js';
import { buildReport, reaches, type Report } from '../report/model.js';
import { renderConsole } from '../report/render-console.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { scrubSecrets } from '../secrets.js';
import { createStateStore } from '../state/state-store.js';
import { emptyState, type RunState } from '../state/types.js';
import { readCommonInputs } from './common-inputs.js';
import { actionsLogger } from './logger.js';
import type { ActionDefinition, ActionResult, CommonInputs, RunContext } from './types.js';

/**
 * Runs an action: inputs and config first (a mistake there fails before anything is touched), then
 * execute, then report (console, job summary, outputs), incident issues and state. Never throws.
 */
export async function runAction<I>(def: ActionDefinition<I>): Promise<void> {
  const log = actionsLogger;
  const startedAt = new Date();
  const eventName = process.env.GITHUB_EVENT_NAME ?? 'local';
  let common: CommonInputs | undefined;
  let inputs: I;
  let ctx: RunContext;
  try {
    common = readCommonInputs();
    const config = loadOpsConfig(common.config);
    inputs = def.readInputs({ config, common, eventName });
    ctx = { config, common, eventName, runUrl: runUrl(), log, state: emptyState() };
  } catch (thrown) {
    failOnSetup(toError(thrown));
    return;
  }

  const store = createStateStore(def.name, log.warn);
  ctx.state = await store.load().catch(() => emptyState());

  let result: ActionResult;
  try {
    result = await def.execute(inputs, ctx);
  } catch (thrown) {
    const error = toError(thrown);
    if (error instanceof ConfigurationError) {
      failOnSetup(error);
      return;
    }
    core.debug(scrubSecrets(error.stack ?? error.message));
    result = {
      report: buildReport({
        action: def.name,
        title: def.title,
        startedAt,
        checks: [{ id: 'run', kind: 'run', target: def.name, status: 'fail', message: `The run stopped: ${error.message}` }]
      })
    };
  }

  const report = result.report;
  publishReport(report, result.outputs ?? {});
  if (common.issue === 'auto') await syncIncidentIssues(def, report, ctx);
  ctx.state.lastRunAt = report.finishedAt;
  if (eventName === 'schedule') ctx.state.lastScheduledRunAt = report.finishedAt;
  await store.save(ctx.state).catch((e: Error) => log.warn(`Could not save state: ${e.message}`));

  const failOn = common.failOn;
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

async function syncIncidentIssues<I>(def: ActionDefinition<I>, report: Report, ctx: RunContext & { state: RunState }): Promise<void> {
  const token = ctx.common.githubToken;
  const repository = process.env.GITHUB_REPOSITORY;
  if (!token || !repository?.includes('/')) {
    ctx.log.info('Incident issues: skipped (no github-token or GITHUB_REPOSITORY; set issue: off to silence this).');
    return;
  }
  const [owner, repo] = repository.split('/');
  // Read at call time: @actions/github computes its default base URL once, when it is first imported.
  const octokit = github.getOctokit(token, { baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com' });
  const result = await syncIssues(octokit, report, ctx.state, {
    repo: { owner, repo },
    settings: ctx.config.issues,
    openOn: def.issueOn ?? 'fail',
    runUrl: ctx.runUrl
  });
  for (const w of result.warnings) ctx.log.warn(`Incident issues: ${w}`);
  const parts = [
    result.opened.length ? `opened ${result.opened.map((n) => `#${n}`).join(', ')}` : '',
    result.commented.length ? `commented on ${result.commented.map((n) => `#${n}`).join(', ')}` : '',
    result.closed.length ? `closed ${result.closed.map((n) => `#${n}`).join(', ')}` : '',
    result.suppressed ? `alerts suppressed: ${result.suppressed}` : ''
  ].filter(Boolean);
  ctx.log.info(`Incident issues: ${parts.length ? parts.join('; ') : 'nothing to change'}.`);
}

/** A failure before anything ran: printed plainly; the stack only in debug for non-user errors. */
function failOnSetup(error: Error): void {
  if (!(error instanceof ConfigurationError)) core.debug(scrubSecrets(error.stack ?? ''));
  core.setOutput(COMMON_OUTPUTS.status, 'fail');
  core.setFailed(scrubSecrets(error.message));
}

function runUrl(): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : 'local run';
}
