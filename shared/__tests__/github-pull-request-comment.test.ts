// One comment per pull request and key, against the GitHub stand-in (every request and response
// checked against GitHub's OpenAPI description): created once, updated in place, found past page one.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/index.js';
import { createGitHubClient, pullRequestCommentMarker, readPullRequestNumber, registerSecret, upsertPullRequestComment } from '../src/index.js';

const standins: GitHubStandin[] = [];
afterEach(async () => {
  while (standins.length) await standins.pop()!.close();
});

async function setup(opts: Parameters<typeof startGitHubStandin>[0] = {}) {
  const s = await startGitHubStandin(opts);
  standins.push(s);
  const pr = s.seedIssue({ title: 'Add agents index', pullRequest: true });
  const client = await createGitHubClient({ token: s.token, baseUrl: s.url, timeScale: 0.001 });
  return { s, pr, client, req: { owner: s.owner, repo: s.repo, pullNumber: pr.number } };
}

describe('upsertPullRequestComment', () => {
  it('creates the comment once, then updates that same comment in place', async () => {
    const { s, pr, client, req } = await setup();
    const first = await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan v1' });
    const second = await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan v2' });
    const third = await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan v2' });
    expect([first.action, second.action, third.action]).toEqual(['created', 'updated', 'unchanged']);
    expect(second.id).toBe(first.id);
    const mine = s.state.comments.filter((c) => c.issueNumber === pr.number);
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toBe(`${pullRequestCommentMarker('migrate:plan')}\nplan v2`);
    expect(first.url).toMatch(new RegExp(`/${pr.number}#issuecomment-${first.id}$`));
    expect(s.violations).toEqual([]);
  });

  it('keeps one comment per key, and leaves people\'s comments alone', async () => {
    const { s, pr, client, req } = await setup();
    await client.rest.issues.createComment({ owner: s.owner, repo: s.repo, issue_number: pr.number, body: 'Looks good to me' });
    await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan' });
    await upsertPullRequestComment(client, { ...req, key: 'other:tool', body: 'other' });
    await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan again' });
    expect(s.state.comments.map((c) => c.body.split('\n').at(-1))).toEqual(['Looks good to me', 'plan again', 'other']);
    expect(s.violations).toEqual([]);
  });

  it('finds its comment beyond the first page of comments', async () => {
    const { s, pr, client, req } = await setup();
    const made = await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan' });
    for (let i = 0; i < 120; i++) s.state.comments.push({ id: 90_000 + i, issueNumber: pr.number, body: `chatter ${i}`, author: 'someone', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });
    // Move ours to the end, after 120 others: page 2 of 100.
    s.state.comments.push(s.state.comments.splice(s.state.comments.findIndex((c) => c.id === made.id), 1)[0]);
    const again = await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan 2' });
    expect(again).toMatchObject({ action: 'updated', id: made.id });
    expect(s.state.comments.filter((c) => c.body.includes('a2a-ops:pr-comment'))).toHaveLength(1);
    expect(s.violations).toEqual([]);
  });

  it('scrubs registered secrets and cuts a body longer than GitHub allows', async () => {
    const { s, client, req } = await setup();
    registerSecret('hunter2-secret-value');
    await upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: `password hunter2-secret-value\n${'x'.repeat(70_000)}` });
    const body = s.state.comments[0].body;
    expect(body).not.toContain('hunter2-secret-value');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('Cut at 60,000 characters');
    expect(s.violations).toEqual([]);
  });

  it('fails with a message naming the missing permission when the token may not write', async () => {
    const { client, req } = await setup({ permissions: 'read' });
    await expect(upsertPullRequestComment(client, { ...req, key: 'migrate:plan', body: 'plan' })).rejects.toThrow(/Commenting on pull request #1: .*403/);
  });

  it.each(['', 'has space', 'a'.repeat(101), '<!--'])('refuses the key %j', (key) => {
    expect(() => pullRequestCommentMarker(key)).toThrow(/comment key/);
  });
});

describe('readPullRequestNumber', () => {
  it.each([
    [{ pull_request: { number: 42 } }, 42],
    [{ number: 42 }, undefined],
    [{ pull_request: { number: '42' } }, undefined],
    [{}, undefined]
  ])('reads %j as %s', (event, want) => {
    const file = join(mkdtempSync(join(tmpdir(), 'a2a-event-')), 'event.json');
    writeFileSync(file, JSON.stringify(event));
    expect(readPullRequestNumber({ GITHUB_EVENT_PATH: file })).toBe(want);
  });

  it('is undefined without an event file', () => {
    expect(readPullRequestNumber({})).toBeUndefined();
    expect(readPullRequestNumber({ GITHUB_EVENT_PATH: '/no/such/file' })).toBeUndefined();
  });
});
