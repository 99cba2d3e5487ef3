// Incident bodies built from hostile text: secrets, mentions, HTML, fences and sheer size.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { GITHUB_BODY_LIMIT, issueMarker, neutraliseMentions, readIssueMarker, syncIssues } from '../src/index.js';
import { createGitHubClient } from '../src/issues/github-client.js';
// Not in the barrel (report/render-markdown.ts exports the same names): imported from the file itself.
import { fence, formatDuration } from '../src/report/markdown-text.js';
import { buildReport, type Check } from '../src/report/model.js';
import { emptyState } from '../src/state/types.js';
import { clearSecretsForTest, registerSecret } from '../src/secrets.js';

let s: GitHubStandin | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  clearSecretsForTest();
});

const SECRET = 'pg-pass-Zq81!x';

function hostileCheck(): Check {
  const stderr = [
    'x'.repeat(100 * 1024),
    `FATAL: password authentication failed for user "a2a" (password ${SECRET})`,
    'cc @a2a-world/oncall and @alice, see <script>alert(1)</script>',
    '``` and ```` try to close the fence',
    '</details><img src=x onerror=alert(1)>',
    '<!-- a2a-ops:key=health:other -->',
    'LAST LINE of the log'
  ].join('\n');
  return {
    id: 'db:connect',
    kind: 'database',
    target: 'postgres://a2a@db:5432/a2a',
    status: 'fail',
    message: `connect failed for @a2a-world/dba <b>now</b> with ${SECRET}`,
    details: stderr
  };
}

describe('incident bodies', () => {
  it('scrubs secrets, neutralises mentions, fences HTML and truncates 100 KB under the limit, and GitHub accepts it', async () => {
    registerSecret(SECRET);
    s = await startGitHubStandin();
    const octokit = await createGitHubClient({ token: s.token, baseUrl: s.url, timeScale: 0.001 });
    const report = buildReport({ action: 'backup', title: 'Backup', startedAt: new Date(), checks: [hostileCheck()] });
    const state = emptyState();
    const opts = {
      repo: { owner: s.owner, repo: s.repo },
      // Interval 0: the second run comments too, so the comment is checked like the body.
      settings: { labels: ['a2a-ops'], failuresToOpen: 1, successesToClose: 1, commentIntervalMs: 0, maintenanceLabel: 'maintenance', maintenanceWindows: [], assignees: [] },
      openOn: 'fail' as const,
      runUrl: 'https://github.com/a2a-world/a2a-platform/actions/runs/7'
    };
    const first = await syncIssues(octokit, report, state, opts);
    const second = await syncIssues(octokit, report, state, opts);
    expect(first.warnings).toEqual([]);
    expect(first.opened).toEqual([1]);
    expect(second.commented).toEqual([1]);

    const issue = s.state.issues[0];
    const texts = [issue.title, issue.body ?? '', s.state.comments[0].body];
    for (const text of texts) {
      expect({
        secret: text.includes(SECRET),
        rawTeamMention: /@a2a-world\/(oncall|dba)/.test(text),
        rawUserMention: /@alice/.test(text),
        underLimit: text.length < GITHUB_BODY_LIMIT
      }).toEqual({ secret: false, rawTeamMention: false, rawUserMention: false, underLimit: true });
    }
    const body = issue.body ?? '';
    // Booleans, not toContain: a failure must not print a 60 KB body.
    const has = (needle: string | RegExp): boolean => (typeof needle === 'string' ? body.includes(needle) : needle.test(body));
    expect({
      scrubbed: has('password ***'),
      teamNeutralised: has('@\u200Da2a-world/oncall'),
      tailKept: has('LAST LINE of the log'),
      truncationNoted: has('Details truncated'),
      inlineHtmlEscaped: has('&lt;b&gt;now&lt;/b&gt;') && !has('<b>now</b>'),
      // The log holds ```` (4), so the fence is 5 backticks and the log cannot close it early.
      longFence: has(/\n`````text\n[\s\S]*<\/details><img[\s\S]*\n`````\n\n<\/details>/)
    }).toEqual({ scrubbed: true, teamNeutralised: true, tailKept: true, truncationNoted: true, inlineHtmlEscaped: true, longFence: true });
    // Only the first-line marker counts; the one quoted in the log does not hijack the issue.
    expect(readIssueMarker(body)).toBe('backup:db:connect');
    expect(s.violations).toEqual([]);
  });

  it('is refused by the stand-in when a body really is over the limit (so the test above can fail)', async () => {
    s = await startGitHubStandin();
    const octokit = await createGitHubClient({ token: s.token, baseUrl: s.url, timeScale: 0.001 });
    await expect(octokit.rest.issues.create({ owner: s.owner, repo: s.repo, title: 't', body: 'x'.repeat(GITHUB_BODY_LIMIT + 1) })).rejects.toMatchObject({ status: 422 });
    expect(s.state.issues).toHaveLength(0);
  });
});

describe('body helpers', () => {
  it.each([
    ['@alice', '@\u200Dalice'],
    ['ping @a2a-world/oncall now', 'ping @\u200Da2a-world/oncall now'],
    ['mail ops@a2aworld.ai', 'mail ops@a2aworld.ai'],
    ['(@bob)', '(@\u200Dbob)'],
    ['@ alone', '@ alone']
  ])('neutraliseMentions(%j) gives %j', (input, expected) => {
    expect(neutraliseMentions(input)).toBe(expected);
  });

  it.each([
    ['plain text', '```'],
    ['has ``` inside', '````'],
    ['has ````` inside', '``````']
  ])('fence(%j) uses a fence of %j', (input, ticks) => {
    expect(fence(input).startsWith(`${ticks}text\n`)).toBe(true);
    expect(fence(input).endsWith(`\n${ticks}`)).toBe(true);
  });

  it.each([
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [(2 * 60 + 15) * 60_000, '2 h 15 min'],
    [3 * 3_600_000, '3 h'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h']
  ])('formatDuration(%d) reads %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['health:http:https://a.b/c', 'odd --> key', 'with%percent', 'line\nbreak', 'tls:api.a2aworld.ai:443'])('a marker round-trips the key %j', (key) => {
    const marker = issueMarker(key);
    expect(marker.split('\n')).toHaveLength(1);
    expect(marker.slice(4, -4)).not.toContain('--');
    expect(readIssueMarker(`${marker}\nbody`)).toBe(key);
  });
});
