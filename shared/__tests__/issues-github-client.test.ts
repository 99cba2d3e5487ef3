// The GitHub client against the honest stand-in: which failures Octokit's retry and throttling plugins
// retry, which they never do, and how the give-up reads (what was done, what GitHub said, why it stopped).
import { afterEach, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin, type StandinFault } from '../../test-support/github-standin/index.js';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../src/issues/github-client.js';
import { callGitHub, GitHubCallError } from '../src/issues/github-call.js';

const standins: GitHubStandin[] = [];
afterEach(async () => {
  while (standins.length) await standins.pop()!.close();
});

async function standin(opts: Parameters<typeof startGitHubStandin>[0] = {}): Promise<GitHubStandin> {
  const s = await startGitHubStandin(opts);
  standins.push(s);
  return s;
}

/** A client whose waits run a thousand times faster than GitHub asks, and whose warnings are kept. */
async function client(s: GitHubStandin, over: Partial<GitHubClientOptions> = {}) {
  const warnings: string[] = [];
  const octokit = await createGitHubClient({ token: s.token, baseUrl: s.url, timeScale: 0.001, warn: (m) => warnings.push(m), ...over });
  return { octokit, warnings };
}

/** Files one issue through the client; resolves to the GitHubCallError when it fails for good. */
async function fileIssue(s: GitHubStandin, octokit: GitHubClient, body = 'body'): Promise<GitHubCallError | undefined> {
  try {
    await callGitHub('Opening a test issue', () => octokit.rest.issues.create({ owner: s.owner, repo: s.repo, title: 'test', body }));
    return undefined;
  } catch (error) {
    return error as GitHubCallError;
  }
}

const statuses = (s: GitHubStandin): number[] => s.requests.map((r) => r.status);
const secondary = (retryAfter?: number, status?: 403 | 429): StandinFault => ({ kind: 'secondary-rate-limit', retryAfter, status });
const serverError = (status: 500 | 502 | 503): StandinFault => ({ kind: 'server-error', status });

describe('createGitHubClient retries what waiting can fix', () => {
  it.each<[string, StandinFault[], number[], RegExp]>([
    ['a secondary rate limit (403, retry-after 1) is waited out, then the issue is filed', [secondary(1)], [403, 201], /secondary rate limit on POST \/repos\/\{owner\}\/\{repo\}\/issues: waiting 1 s as asked, then retry 1 of 3/],
    ['a 429 secondary rate limit is retried once by the throttling plugin, not again by the retry plugin', [secondary(1, 429)], [429, 201], /secondary rate limit .*waiting 1 s/],
    ['a spent quota (x-ratelimit-remaining 0) waits until its reset, then retries', [{ kind: 'primary-rate-limit', resetInSeconds: 1 }], [403, 201], /GitHub rate limit on POST .*waiting [1-3] s as asked/],
    ['rate limits three times in a row are retried three times', [secondary(1), secondary(1), secondary(1)], [403, 403, 403, 201], /retry 3 of 3/]
  ])('%s', async (_name, faults, expected, warning) => {
    const s = await standin({ faults });
    const { octokit, warnings } = await client(s);
    expect(await fileIssue(s, octokit)).toBeUndefined();
    expect(statuses(s)).toEqual(expected);
    expect(s.state.issues).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(warning);
    expect(s.violations).toEqual([]);
  });

  it.each<[string, StandinFault[], number[]]>([
    ['a 502 is retried and the issue is filed', [serverError(502)], [502, 201]],
    ['two 503s in a row are retried twice', [serverError(503), serverError(503)], [503, 503, 201]]
  ])('%s', async (_name, faults, expected) => {
    const s = await standin({ faults });
    const { octokit } = await client(s);
    expect(await fileIssue(s, octokit)).toBeUndefined();
    expect(statuses(s)).toEqual(expected);
    expect(s.state.issues).toHaveLength(1);
  });
});

describe('createGitHubClient gives up with GitHub\'s own answer', () => {
  it.each<[string, StandinFault[], Partial<GitHubClientOptions>, number[], RegExp]>([
    [
      'a retry-after longer than the 30 s budget is not waited for',
      [secondary(60)],
      {},
      [403],
      /^Opening a test issue: still rate limited after 1 attempt \(GitHub asked to wait 60 s; the retry budget left was 30 s\): 403 You have exceeded a secondary rate limit/
    ],
    ['a secondary rate limit without retry-after falls back to GitHub\'s one minute, over budget', [secondary()], {}, [403], /asked to wait 60 s; the retry budget left was 30 s/],
    ['a quota that resets in an hour is not waited for', [{ kind: 'primary-rate-limit', resetInSeconds: 3600 }], {}, [403], /still rate limited after 1 attempt .*API rate limit exceeded/],
    ['a fourth rate limit in a row ends the retries', [secondary(1), secondary(1), secondary(1), secondary(1)], {}, [403, 403, 403, 403], /still rate limited after 4 attempts/],
    ['a smaller budget stops sooner', [secondary(1)], { rateLimitBudgetMs: 500 }, [403], /asked to wait 1 s; the retry budget left was 0 s/],
    ['three server errors in a row end the retries', [serverError(502), serverError(502), serverError(502)], {}, [502, 502, 502], /^Opening a test issue: GitHub failed after 3 attempts \(HTTP 502 Server Error\)\.$/],
    ['no server-error retries when they are turned off', [serverError(500)], { serverErrorRetries: 0 }, [500], /GitHub failed \(HTTP 500 Server Error\)/]
  ])('%s', async (_name, faults, over, expected, message) => {
    const s = await standin({ faults });
    const { octokit } = await client(s, over);
    const error = await fileIssue(s, octokit);
    expect(error).toBeInstanceOf(GitHubCallError);
    expect(error?.message).toMatch(message);
    expect(statuses(s)).toEqual(expected);
    expect(s.state.issues).toHaveLength(0);
    expect(s.violations).toEqual([]);
  });

  it('shares one wait budget between all requests of a client', async () => {
    const s = await standin({ faults: [secondary(20)] });
    const { octokit } = await client(s);
    expect(await fileIssue(s, octokit)).toBeUndefined();
    s.faults.push(secondary(20));
    const second = await fileIssue(s, octokit);
    expect(second?.message).toMatch(/asked to wait 20 s; the retry budget left was 10 s/);
    expect(statuses(s)).toEqual([403, 201, 403]);
    expect(s.state.issues).toHaveLength(1);
  });
});

describe('createGitHubClient never retries what waiting cannot fix', () => {
  it.each<[string, Parameters<typeof startGitHubStandin>[0], { token?: string; owner?: string; body?: string }, number, GitHubCallError['kind'], RegExp]>([
    ['a rejected token (401)', {}, { token: 'ghs_wrong-token' }, 401, 'auth', /GitHub rejected the token \(401 Bad credentials\)/],
    ['a token without issues: write (403)', { permissions: 'read' }, {}, 403, 'permission', /permissions: issues: write/],
    ['a repository the token cannot see (404)', {}, { owner: 'someone-else' }, 404, 'not-found', /not found \(404\)/],
    ['a body GitHub refuses (422)', {}, { body: 'x'.repeat(70_000) }, 422, 'validation', /GitHub refused the request \(422 Validation Failed\)/]
  ])('%s is answered once and reported', async (_name, standinOpts, call, status, kind, message) => {
    const s = await standin(standinOpts);
    const { octokit } = await client(s, call.token ? { token: call.token } : {});
    let error: GitHubCallError | undefined;
    try {
      await callGitHub('Opening a test issue', () =>
        octokit.rest.issues.create({ owner: call.owner ?? s.owner, repo: s.repo, title: 'test', body: call.body ?? 'body' })
      );
    } catch (e) {
      error = e as GitHubCallError;
    }
    expect({ kind: error?.kind, status: error?.status }).toEqual({ kind, status });
    expect(error?.message).toMatch(message);
    expect(statuses(s)).toEqual([status]);
  });
});

describe('createGitHubClient by default', () => {
  it('waits the full retry-after GitHub asks for, in real time', async () => {
    const s = await standin({ rateLimitOnce: true });
    const started = Date.now();
    const octokit = await createGitHubClient({ token: s.token, baseUrl: s.url, warn: () => undefined });
    expect(await fileIssue(s, octokit)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(statuses(s)).toEqual([403, 201]);
  });
});
