// One comment per pull request and purpose, found again by a hidden marker and updated in place (the
// Atlas habit), instead of a new comment on every push. Any action can use it: give the purpose a key.
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors.js';
import { callGitHub } from '../issues/github-call.js';
import type { GitHubClient } from '../issues/github-client.js';
import { BODY_BUDGET } from '../issues/issue-body.js';
import { scrubSecrets } from '../secrets.js';

/** Where a comment goes and what it says. */
export interface PullRequestCommentRequest {
  owner: string;
  repo: string;
  /** The pull request's number (its issue number). */
  pullNumber: number;
  /** The purpose, e.g. `migrate:plan`: one comment per key per pull request. Letters, digits, `:._-`. */
  key: string;
  /** Markdown; the marker is added in front of it. Scrubbed of secrets, cut to GitHub's body limit. */
  body: string;
}

/** What happened. */
export interface PullRequestCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/;

/** The hidden marker of `key`: an HTML comment GitHub does not render. */
export function pullRequestCommentMarker(key: string): string {
  if (!KEY.test(key)) throw new ConfigurationError(`A pull request comment key must be letters, digits and ':._-' (at most 100), got '${key.slice(0, 40)}'.`);
  return `<!-- a2a-ops:pr-comment:${key} -->`;
}

/** The body as posted: marker first, secrets scrubbed, cut with a note when longer than GitHub allows. */
export function pullRequestCommentBody(key: string, body: string): string {
  const marker = pullRequestCommentMarker(key);
  let text = scrubSecrets(body);
  if (text.length > BODY_BUDGET) {
    text = `${text.slice(0, BODY_BUDGET)}\n\n_Cut at ${BODY_BUDGET.toLocaleString('en-US')} characters to stay under GitHub's comment limit; the full text is in the workflow run's summary._`;
  }
  return `${marker}\n${text}`;
}

/**
 * Creates the pull request's comment for `key`, or updates the one already there (found by its marker
 * among every comment, all pages); leaves it alone when the text is the same. Goes through `client` (the
 * core's createGitHubClient: retries and rate limits handled there). Throws GitHubCallError (a 403 says
 * the job needs `pull-requests: write`).
 */
export async function upsertPullRequestComment(client: GitHubClient, req: PullRequestCommentRequest): Promise<PullRequestCommentResult> {
  const body = pullRequestCommentBody(req.key, req.body);
  const marker = pullRequestCommentMarker(req.key);
  const where = { owner: req.owner, repo: req.repo, issue_number: req.pullNumber };
  const comments = await callGitHub(`Listing the comments of pull request #${req.pullNumber}`, () =>
    client.paginate(client.rest.issues.listComments, { ...where, per_page: 100 })
  );
  const existing = comments.find((c) => (c.body ?? '').includes(marker));
  if (existing && existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
  if (existing) {
    const updated = await callGitHub(`Updating the comment on pull request #${req.pullNumber}`, () =>
      client.rest.issues.updateComment({ owner: req.owner, repo: req.repo, comment_id: existing.id, body })
    );
    return { action: 'updated', id: updated.data.id, url: updated.data.html_url };
  }
  const created = await callGitHub(`Commenting on pull request #${req.pullNumber}`, () => client.rest.issues.createComment({ ...where, body }));
  return { action: 'created', id: created.data.id, url: created.data.html_url };
}

/**
 * The pull request number of the running workflow: from the event payload (`GITHUB_EVENT_PATH`) of a
 * `pull_request` or `pull_request_target` event, else undefined.
 */
export function readPullRequestNumber(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
    const n = event.pull_request?.number ?? undefined;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
