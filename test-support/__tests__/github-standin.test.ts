// The GitHub stand-in answers like GitHub: auth, permissions, rate limits, pagination, and honest violations.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { getOctokit } from '@actions/github';
import { startGitHubStandin, type GitHubStandin } from '../github-standin/standin.js';

let s: GitHubStandin | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const repo = { owner: 'a2a-world', repo: 'a2a-platform' };

describe('startGitHubStandin', () => {
  it('pages issue lists with a Link header that Octokit follows to the end', async () => {
    s = await startGitHubStandin();
    for (let i = 1; i <= 5; i++) s.seedIssue({ title: `issue ${i}`, labels: i % 2 ? ['a2a-ops'] : ['other'] });
    s.seedIssue({ title: 'closed', labels: ['a2a-ops'], state: 'closed' });
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    const first = await octokit.rest.issues.listForRepo({ ...repo, per_page: 2 });
    expect(first.headers.link).toMatch(/rel="next"/);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: 'a2a-ops', per_page: 1 });
    expect(all.map((i) => i.title)).toEqual(['issue 5', 'issue 3', 'issue 1']);
    const closed = await octokit.rest.issues.listForRepo({ ...repo, state: 'closed' });
    expect(closed.data.map((i) => i.title)).toEqual(['closed']);
    expect(s.violations).toEqual([]);
  });

  it('answers 401 Bad credentials without the right token', async () => {
    s = await startGitHubStandin();
    const octokit = getOctokit('ghs_not-the-token', { baseUrl: s.url });
    await expect(octokit.rest.issues.listForRepo(repo)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('Bad credentials') });
  });

  it('answers every write with 403 "Resource not accessible by integration" for a read-only token, and reads still work', async () => {
    s = await startGitHubStandin({ permissions: 'read' });
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    await expect(octokit.rest.issues.listForRepo(repo)).resolves.toMatchObject({ status: 200 });
    await expect(octokit.rest.issues.create({ ...repo, title: 'x' })).rejects.toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } }
    });
    expect(s.state.issues).toEqual([]);
  });

  it('answers the first write with a secondary rate limit and retry-after: 1, then accepts', async () => {
    s = await startGitHubStandin({ rateLimitOnce: true });
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    const error = await octokit.rest.issues.create({ ...repo, title: 'x' }).catch((e: { status: number; response: { headers: Record<string, string> } }) => e);
    expect(error).toMatchObject({ status: 403, response: { headers: { 'retry-after': '1' } } });
    await expect(octokit.rest.issues.create({ ...repo, title: 'x' })).resolves.toMatchObject({ status: 201 });
    expect(s.state.issues).toHaveLength(1);
  });

  it('answers 404 for another repository', async () => {
    s = await startGitHubStandin();
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    await expect(octokit.rest.issues.listForRepo({ owner: 'someone', repo: 'else' })).rejects.toMatchObject({ status: 404 });
  });

  it('records a bad body as a violation and answers 422 like GitHub', async () => {
    s = await startGitHubStandin();
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    // Octokit's types forbid this call; the route string form lets a test send what a buggy caller might.
    await expect(octokit.request('POST /repos/{owner}/{repo}/issues' as string, { ...repo, body: 'no title' })).rejects.toMatchObject({ status: 422 });
    expect(s.violations).toEqual([expect.objectContaining({ kind: 'request', problems: [expect.stringContaining("required property 'title'")] })]);
    expect(s.state.issues).toEqual([]);
  });

  it('treats pull-request comments as issue comments on the PR number, updated in place', async () => {
    s = await startGitHubStandin();
    const pr = s.seedIssue({ title: 'Add migration 0042', pullRequest: true });
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    const c = await octokit.rest.issues.createComment({ ...repo, issue_number: pr.number, body: '<!-- plan --> v1' });
    await octokit.rest.issues.updateComment({ ...repo, comment_id: c.data.id, body: '<!-- plan --> v2' });
    const listed = await octokit.rest.issues.listComments({ ...repo, issue_number: pr.number });
    expect(listed.data.map((x) => x.body)).toEqual(['<!-- plan --> v2']);
    const got = await octokit.rest.issues.get({ ...repo, issue_number: pr.number });
    expect(got.data.pull_request).toBeDefined();
    expect(s.violations).toEqual([]);
  });

  it('creates labels once, gets them, and adds them to issues', async () => {
    s = await startGitHubStandin();
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    await octokit.rest.issues.createLabel({ ...repo, name: 'maintenance', color: 'fbca04' });
    await expect(octokit.rest.issues.createLabel({ ...repo, name: 'Maintenance' })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.issues.getLabel({ ...repo, name: 'maintenance' })).resolves.toMatchObject({ data: { color: 'fbca04' } });
    const issue = s.seedIssue({ title: 'upgrade' });
    await octokit.rest.issues.addLabels({ ...repo, issue_number: issue.number, labels: ['maintenance'] });
    expect(s.state.issues[0].labels).toEqual(['maintenance']);
    expect(s.violations).toEqual([]);
  });

  it('records deployments and their statuses, newest first', async () => {
    s = await startGitHubStandin();
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    const d = await octokit.rest.repos.createDeployment({ ...repo, ref: 'v1.4.2', environment: 'production', auto_merge: false, required_contexts: [] });
    const id = (d.data as { id: number }).id;
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'in_progress' });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success', log_url: 'https://github.com/a2a-world/a2a-platform/actions/runs/9' });
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    expect(statuses.data.map((x) => x.state)).toEqual(['success', 'in_progress']);
    const listed = await octokit.rest.repos.listDeployments({ ...repo, environment: 'production' });
    expect(listed.data.map((x) => x.ref)).toEqual(['v1.4.2']);
    expect(s.state.deploymentStatuses.map((x) => x.state)).toEqual(['in_progress', 'success']);
    expect(s.violations).toEqual([]);
  });

  it('serves its state at /_standin/state for readers in another process', async () => {
    s = await startGitHubStandin();
    s.seedIssue({ title: 'from a lab run', labels: ['a2a-ops'] });
    const res = await fetch(`${s.url}/_standin/state`);
    const body = (await res.json()) as { issues: Array<{ title: string }> };
    expect(body.issues.map((i) => i.title)).toEqual(['from a lab run']);
  });
});

describe('serve.ts', () => {
  it('runs the stand-in as its own process, prints its URL, and stops on SIGTERM', async () => {
    const file = fileURLToPath(new URL('../github-standin/serve.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', file, '--port', '0', '--token', 'ghs_lab_token'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = createInterface({ input: child.stdout! });
      let timer: NodeJS.Timeout | undefined;
      const first = await Promise.race([
        once(lines, 'line').then(([line]) => String(line)),
        new Promise<string>((_, reject) => {
          timer = setTimeout(() => reject(new Error('serve.ts printed nothing within 20 s')), 20_000);
        })
      ]).finally(() => clearTimeout(timer));
      const info = JSON.parse(first) as { url: string; token: string };
      expect(info.token).toBe('ghs_lab_token');
      const octokit = getOctokit('ghs_lab_token', { baseUrl: info.url });
      await octokit.rest.issues.create({ ...repo, title: 'filed from another process' });
      const state = (await (await fetch(`${info.url}/_standin/state`)).json()) as { issues: Array<{ title: string }> };
      expect(state.issues.map((i) => i.title)).toEqual(['filed from another process']);
    } finally {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([once(child, 'exit'), new Promise((r) => (timer = setTimeout(r, 5000)))]).finally(() => clearTimeout(timer));
    }
    expect(child.exitCode ?? child.signalCode).not.toBeNull();
  });
});
