// The funnel's glue to incident issues: loaded only by runs that file issues, so Octokit stays out of
// every other run's start-up.
import { createGitHubClient } from '../issues/github-client.js';
import { syncIssues } from '../issues/index.js';
import type { Report, Status } from '../report/model.js';
import type { RunContext } from './types.js';

/** Opens, comments on and closes the incident issues for `report`; logs what it changed. */
export async function syncIncidentIssues(action: { action: string; issueOn: Status }, report: Report, ctx: RunContext): Promise<void> {
  const token = ctx.common.githubToken;
  const repository = process.env.GITHUB_REPOSITORY;
  if (!token || !repository?.includes('/')) {
    ctx.log.info('Incident issues: skipped (no github-token or GITHUB_REPOSITORY; set issue: off to silence this).');
    return;
  }
  const [owner, repo] = repository.split('/');
  // Read at call time: @actions/github computes its default base URL once, when it is first imported.
  const octokit = await createGitHubClient({ token, warn: (m) => ctx.log.warn(`Incident issues: ${m}`) });
  const result = await syncIssues(octokit, report, ctx.state, {
    repo: { owner, repo },
    settings: ctx.config.issues,
    openOn: action.issueOn,
    runUrl: ctx.runUrl
  });
  for (const w of result.warnings) ctx.log.warn(`Incident issues: ${w}`);
  const parts = [
    result.opened.length ? `opened ${result.opened.map((n) => `#${n}`).join(', ')}` : '',
    result.commented.length ? `commented on ${result.commented.map((n) => `#${n}`).join(', ')}` : '',
    result.closed.length ? `closed ${result.closed.map((n) => `#${n}`).join(', ')}` : '',
    result.updated.length ? `updated ${result.updated.map((n) => `#${n}`).join(', ')}` : '',
    result.closedAsDuplicates.length ? `closed as duplicates ${result.closedAsDuplicates.map((n) => `#${n}`).join(', ')}` : '',
    result.suppressed ? `alerts suppressed: ${result.suppressed}` : ''
  ].filter(Boolean);
  ctx.log.info(`Incident issues: ${parts.length ? parts.join('; ') : 'nothing to change'}.`);
}
