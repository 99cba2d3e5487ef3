// The incident-issue manager against the honest GitHub stand-in: what gets filed, updated, commented and closed.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { issueMarker, syncIssues, readIssueMarker, type IssueSyncOptions } from '../src/issues/index.js';
import { createGitHubClient, type GitHubClientOptions } from '../src/issues/github-client.js';
import { buildReport, type Check, type Status } from '../src/report/model.js';
import { emptyState, type RunState } from '../src/state/types.js';
import type { IssueConfig } from '../src/config/types.js';
import { ConfigurationError } from '../src/errors.js';

const standins: GitHubStandin[] = [];
afterEach(async () => {
  while (standins.length) await standins.pop()!.close();
});

async function standin(opts: Parameters<typeof startGitHubStandin>[0] = {}): Promise<GitHubStandin> {
  const s = await startGitHubStandin(opts);
  standins.push(s);
  return s;
}

function settings(over: Partial<IssueConfig> = {}): IssueConfig {
  return {
    labels: ['a2a-ops', 'incident'],
    failuresToOpen: 1,
    successesToClose: 1,
    commentIntervalMs: 6 * 3_600_000,
    maintenanceLabel: 'maintenance',
    maintenanceWindows: [],
    assignees: [],
    ...over
  };
}

function check(status: Status, over: Partial<Check> = {}): Check {
  return {
    id: 'http:https://api.a2aworld.ai/health',
    kind: 'http',
    target: 'https://api.a2aworld.ai/health',
    status,
    value: status === 'ok' ? 120 : 5000,
    unit: 'ms',
    threshold: '< 2000 ms',
    message: status === 'ok' ? 'answered 200 in 120 ms' : 'timed out after 5000 ms',
    ...over
  };
}

function report(...checks: Check[]) {
  return buildReport({ action: 'health', title: 'Health', startedAt: new Date('2026-03-01T10:00:00Z'), checks });
}

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

/** What the GitHub client of the last run warned (rate-limit waits). */
let clientWarnings: string[] = [];

/** A client whose waits run a thousand times faster than GitHub asks. */
function client(s: GitHubStandin, over: Partial<GitHubClientOptions> = {}) {
  clientWarnings = [];
  return createGitHubClient({ token: s.token, baseUrl: s.url, timeScale: 0.001, warn: (m) => clientWarnings.push(m), ...over });
}

/** One scheduled run: a report with these checks synced at minute `minute`. */
async function run(
  s: GitHubStandin,
  state: RunState,
  minute: number,
  checks: Check[],
  over: Partial<IssueSyncOptions> = {},
  clientOver: Partial<GitHubClientOptions> = {}
) {
  return syncIssues(await client(s, clientOver), report(...checks), state, {
    repo: { owner: s.owner, repo: s.repo },
    settings: settings(),
    openOn: 'fail',
    runUrl: 'https://github.com/a2a-world/a2a-platform/actions/runs/42',
    now: at(minute),
    ...over
  });
}

describe('syncIssues', () => {
  it('opens one issue with the hidden marker and the configured labels when a check fails', async () => {
    const s = await standin();
    const state = emptyState();
    const result = await run(s, state, 0, [check('fail')], { settings: settings({ assignees: ['oncall-alice'] }) });

    expect(result.opened).toEqual([1]);
    expect(result.warnings).toEqual([]);
    expect(s.state.issues).toHaveLength(1);
    const issue = s.state.issues[0];
    expect(readIssueMarker(issue.body)).toBe('health:http:https://api.a2aworld.ai/health');
    expect(issue.body).toContain('timed out after 5000 ms');
    expect(issue.body).toContain('5000 ms (threshold &lt; 2000 ms)');
    expect(issue.body).toContain('https://github.com/a2a-world/a2a-platform/actions/runs/42');
    expect(issue.labels).toEqual(['a2a-ops', 'incident']);
    expect(issue.assignees).toEqual(['oncall-alice']);
    expect(state.checks['health:http:https://api.a2aworld.ai/health']).toMatchObject({ consecutiveFailures: 1, failingSince: at(0).toISOString() });
    expect(s.violations).toEqual([]);
  });

  it('comments on the same issue at once when the failure changes, and files no second issue', async () => {
    const s = await standin();
    const state = emptyState();
    await run(s, state, 0, [check('fail')]);
    const second = await run(s, state, 5, [check('fail', { message: 'answered 503' })]);

    expect(second.opened).toEqual([]);
    expect(second.commented).toEqual([1]);
    expect(s.state.issues).toHaveLength(1);
    expect(s.state.comments).toHaveLength(1);
    expect(s.state.comments[0].body).toContain('The failure changed at 2026-03-01T10:05:00.000Z; now **fail** (2 failing runs since 2026-03-01T10:00:00.000Z): answered 503');
    expect(s.state.comments[0].body).toContain('actions/runs/42');
    expect(s.state.issues[0].body).toContain('**Message:** answered 503');
    expect(s.violations).toEqual([]);
  });

  it('finds the issue again by label and marker when the run state was lost, and comments once since it cannot compare', async () => {
    const s = await standin();
    await run(s, emptyState(), 0, [check('fail')]);
    const again = await run(s, emptyState(), 5, [check('fail')]);
    expect(again.opened).toEqual([]);
    expect(again.commented).toEqual([1]);
    expect(s.state.issues).toHaveLength(1);
    expect(s.state.comments[0].body).toContain('no record of earlier runs was found');
    // The issue's creation is the earliest start still known.
    expect(s.state.issues[0].body).toContain(`| First seen | ${s.state.issues[0].createdAt} |`);
  });

  it('ignores an issue that mentions the marker anywhere but on its first line', async () => {
    const s = await standin();
    s.seedIssue({ title: 'copied log', labels: ['a2a-ops'], body: 'see below\n<!-- a2a-ops:key=health:http:https://api.a2aworld.ai/health -->' });
    const result = await run(s, emptyState(), 0, [check('fail')]);
    expect(result.opened).toEqual([2]);
  });

  it('comments the downtime and the failure count, and closes the issue as completed, when the check recovers', async () => {
    const s = await standin();
    const state = emptyState();
    await run(s, state, 0, [check('fail')]);
    await run(s, state, 5, [check('fail')]);
    const result = await run(s, state, 135, [check('ok')]);

    expect(result.closed).toEqual([1]);
    const issue = s.state.issues[0];
    expect(issue.state).toBe('closed');
    expect(issue.stateReason).toBe('completed');
    const last = s.state.comments.at(-1)!;
    expect(last.body).toContain('Recovered after 2 h 15 min (failing since 2026-03-01T10:00:00.000Z; 2 failing runs; last failure 2026-03-01T10:05:00.000Z).');
    // The same failure twice within the interval: the recovery is the only comment.
    expect(s.state.comments).toHaveLength(1);
    expect(state.checks['health:http:https://api.a2aworld.ai/health']).toEqual({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 0 });
    expect(s.violations).toEqual([]);
  });

  it('opens a new issue for a new outage after the previous one was closed', async () => {
    const s = await standin();
    const state = emptyState();
    await run(s, state, 0, [check('fail')]);
    await run(s, state, 5, [check('ok')]);
    const result = await run(s, state, 10, [check('fail')]);
    expect(result.opened).toEqual([2]);
    expect(s.state.issues.map((i) => i.state)).toEqual(['closed', 'open']);
  });

  // Flap guard: failuresToOpen 2, successesToClose 2. Each row is a run sequence → open issues after it.
  it.each<[string, Status[], { open: number; closed: number }]>([
    ['one failure opens nothing', ['fail'], { open: 0, closed: 0 }],
    ['two failures in a row open one issue', ['fail', 'fail'], { open: 1, closed: 0 }],
    ['a success between failures resets the count', ['fail', 'ok', 'fail'], { open: 0, closed: 0 }],
    ['one success after an incident does not close it', ['fail', 'fail', 'ok'], { open: 1, closed: 0 }],
    ['a flap back to failing keeps it open and resets successes', ['fail', 'fail', 'ok', 'fail', 'ok'], { open: 1, closed: 0 }],
    ['two successes in a row close it', ['fail', 'fail', 'ok', 'ok'], { open: 0, closed: 1 }],
    ['many failures still file only one issue', ['fail', 'fail', 'fail', 'fail'], { open: 1, closed: 0 }]
  ])('flap guard: %s', async (_name, statuses, expected) => {
    const s = await standin();
    const state = emptyState();
    for (const [i, status] of statuses.entries()) {
      await run(s, state, i * 5, [check(status)], { settings: settings({ failuresToOpen: 2, successesToClose: 2 }) });
    }
    expect(s.state.issues.filter((i) => i.state === 'open')).toHaveLength(expected.open);
    expect(s.state.issues.filter((i) => i.state === 'closed')).toHaveLength(expected.closed);
    expect(s.violations).toEqual([]);
  });

  it.each<[string, Status, number]>([
    ['openOn warn files an issue for a warning', 'warn', 1],
    ['openOn warn files an issue for a failure', 'fail', 1],
    ['openOn warn files nothing for ok', 'ok', 0]
  ])('%s', async (_name, status, issues) => {
    const s = await standin();
    await run(s, emptyState(), 0, [check(status)], { openOn: 'warn' });
    expect(s.state.issues).toHaveLength(issues);
  });

  it('files nothing for a warning when openOn is fail', async () => {
    const s = await standin();
    await run(s, emptyState(), 0, [check('warn')]);
    expect(s.state.issues).toHaveLength(0);
  });

  it('keeps one issue per check key when several checks fail at once, each body counting its own runs', async () => {
    const s = await standin();
    const state = emptyState();
    const checks = [check('fail'), check('fail', { id: 'http:https://a2aworld.ai/', target: 'https://a2aworld.ai/' }), check('ok', { id: 'http:https://x/' })];
    await run(s, state, 0, checks);
    const second = await run(s, state, 5, checks);
    expect(s.state.issues.map((i) => readIssueMarker(i.body))).toEqual(['health:http:https://api.a2aworld.ai/health', 'health:http:https://a2aworld.ai/']);
    expect(second.updated).toEqual([1, 2]);
    expect(s.state.issues.map((i) => i.body?.includes('| Failing runs | 2 |'))).toEqual([true, true]);
    expect(s.state.comments).toHaveLength(0);
  });

  it('suppresses opening and commenting while an open issue carries the maintenance label, but still closes recoveries', async () => {
    const s = await standin();
    const state = emptyState();
    await run(s, state, 0, [check('fail', { id: 'db' })]);
    s.seedIssue({ title: 'Upgrading Postgres', labels: ['maintenance'] });

    const result = await run(s, state, 5, [check('fail'), check('ok', { id: 'db' })]);
    expect(result.suppressed).toMatch(/#2 is labelled 'maintenance'/);
    expect(result.opened).toEqual([]);
    expect(result.closed).toEqual([1]);
    expect(s.state.issues.filter((i) => i.labels.includes('a2a-ops'))).toHaveLength(1);
    expect(s.state.issues[0].state).toBe('closed');
    // The failure was still counted, so it opens as soon as maintenance ends.
    s.state.issues[1].state = 'closed';
    const after = await run(s, state, 10, [check('fail')]);
    expect(after.opened).toEqual([3]);
  });

  it.each([
    ['inside the window', 30, true],
    ['before the window', -1, false],
    ['at the end of the window', 60, false]
  ])('a maintenance window suppresses alerts %s', async (_name, minute, suppressed) => {
    const s = await standin();
    const windows = [{ start: at(0).toISOString(), end: at(60).toISOString(), reason: 'DB upgrade' }];
    const result = await run(s, emptyState(), minute, [check('fail')], { settings: settings({ maintenanceWindows: windows }) });
    expect(s.state.issues).toHaveLength(suppressed ? 0 : 1);
    if (suppressed) expect(result.suppressed).toContain('DB upgrade');
    else expect(result.suppressed).toBeUndefined();
  });

  it('turns a read-only token into one warning and never throws', async () => {
    const s = await standin({ permissions: 'read' });
    const state = emptyState();
    const result = await run(s, state, 0, [check('fail'), check('fail', { id: 'other' })]);
    expect(result.opened).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/issues: write/);
    expect(result.warnings[0]).toMatch(/Resource not accessible by integration/);
    expect(s.state.issues).toHaveLength(0);
    // Memory is still kept so the flap guard is right once the permission is fixed.
    expect(state.checks['health:other'].consecutiveFailures).toBe(1);
    expect(s.violations).toEqual([]);
  });

  it('warns instead of throwing when the token is rejected', async () => {
    const s = await standin();
    const octokit = await client(s, { token: 'ghs_wrong-token' });
    const result = await syncIssues(octokit, report(check('fail')), emptyState(), {
      repo: { owner: s.owner, repo: s.repo },
      settings: settings(),
      openOn: 'fail',
      runUrl: 'https://github.com/x/y/actions/runs/1'
    });
    expect(result.warnings.join('\n')).toMatch(/401/);
    expect(s.state.issues).toHaveLength(0);
  });

  it('retries a secondary rate limit after the retry-after delay and then files the issue', async () => {
    const s = await standin({ rateLimitOnce: true });
    const result = await run(s, emptyState(), 0, [check('fail')]);
    expect(result.warnings).toEqual([]);
    expect(result.opened).toEqual([1]);
    expect(s.state.issues).toHaveLength(1);
    expect(s.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([403, 201]);
    expect(clientWarnings).toEqual(['GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues: waiting 1 s as asked, then retry 1 of 3.']);
    expect(s.violations).toEqual([]);
  });

  it('gives up with a warning naming the step and GitHub\'s answer when the rate limit wait exceeds the retry budget', async () => {
    const s = await standin({ rateLimitOnce: true });
    const result = await run(s, emptyState(), 0, [check('fail')], {}, { rateLimitBudgetMs: 500 });
    expect(result.opened).toEqual([]);
    expect(s.state.issues).toHaveLength(0);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^Opening an incident issue for health:http:https:\/\/api\.a2aworld\.ai\/health: still rate limited after 1 attempt \(GitHub asked to wait 1 s; the retry budget left was 0 s\): 403 You have exceeded a secondary rate limit/
      )
    ]);
  });

  it('retries a GitHub server error and still files the issue, then warns once GitHub keeps failing', async () => {
    const s = await standin({ faults: [{ kind: 'server-error', status: 502 }] });
    const state = emptyState();
    const first = await run(s, state, 0, [check('fail')]);
    expect(first.opened).toEqual([1]);
    expect(first.warnings).toEqual([]);

    s.faults.push(...Array.from({ length: 3 }, () => ({ kind: 'server-error' as const, status: 503 as const })));
    const second = await run(s, state, 5, [check('fail', { message: 'answered 503' })]);
    expect(second.updated).toEqual([]);
    expect(second.warnings).toEqual(['Updating incident #1: GitHub failed after 3 attempts (HTTP 503 Server Error).']);
    expect(s.violations).toEqual([]);
  });

  it('rejects settings that cannot work with a ConfigurationError before calling GitHub', async () => {
    const s = await standin();
    const bad: Array<[Partial<IssueConfig>, RegExp]> = [
      [{ labels: [] }, /issues\.labels/],
      [{ failuresToOpen: 0 }, /issues\.failures-to-open/],
      [{ maintenanceWindows: [{ start: 'tomorrow', end: '2026-01-01T00:00:00Z' }] }, /maintenance-windows\[0\]/]
    ];
    for (const [over, message] of bad) {
      const attempt = run(s, emptyState(), 0, [check('fail')], { settings: settings(over) });
      await expect(attempt).rejects.toThrow(ConfigurationError);
      await expect(run(s, emptyState(), 0, [check('fail')], { settings: settings(over) })).rejects.toThrow(message);
    }
    await expect(run(s, emptyState(), 0, [check('fail')], { openOn: 'ok' })).rejects.toThrow(/'warn' or 'fail'/);
    expect(s.requests).toEqual([]);
  });
});

describe('recurrence comments on an open incident', () => {
  const A = 'timed out after 5000 ms';
  const B = 'connection refused (ECONNREFUSED 10.0.0.5:443)';
  type Run = [minute: number, status: Status, message: string];

  // Each row: failing runs (the first opens the issue) → the recurrence comments they leave, in order.
  it.each<{ name: string; runs: Run[]; comments: RegExp[]; openOn?: Status; intervalMs?: number }>([
    { name: 'the same failure within the interval adds no comment', runs: [[0, 'fail', A], [15, 'fail', A], [30, 'fail', A]], comments: [] },
    {
      name: 'a failure whose numbers alone change (latency) counts as the same',
      runs: [[0, 'fail', 'answered 200 in 2300 ms, over the 2000 ms limit'], [15, 'fail', 'answered 200 in 2450 ms, over the 2000 ms limit']],
      comments: []
    },
    { name: 'a changed failure comments at once', runs: [[0, 'fail', A], [15, 'fail', B]], comments: [/^🔴 The failure changed at 2026-03-01T10:15:00\.000Z; now \*\*fail\*\* \(2 failing runs since 2026-03-01T10:00:00\.000Z\): connection refused/] },
    {
      name: 'the same failure comments again once the interval has passed',
      runs: [[0, 'fail', A], [15, 'fail', A], [360, 'fail', A]],
      comments: [/^🔴 Still \*\*fail\*\* at 2026-03-01T16:00:00\.000Z, unchanged \(3 failing runs since 2026-03-01T10:00:00\.000Z\): timed out/]
    },
    { name: 'a changed failure restarts the interval', runs: [[0, 'fail', A], [300, 'fail', B], [360, 'fail', B]], comments: [/The failure changed at 2026-03-01T15:00/] },
    {
      name: 'a failure returning to one already reported stays quiet, so two alternating errors do not comment on every run',
      runs: [[0, 'fail', A], [15, 'fail', B], [30, 'fail', A], [45, 'fail', B]],
      comments: [/The failure changed at 2026-03-01T10:15/]
    },
    {
      name: 'an escalation from warn to fail comments even when only the numbers changed',
      openOn: 'warn',
      runs: [[0, 'warn', 'renew soon: 9 days left'], [15, 'fail', 'renew soon: 6 days left']],
      comments: [/now \*\*fail\*\*.*renew soon: 6 days left/]
    },
    { name: 'an interval of 0 comments on every failing run', intervalMs: 0, runs: [[0, 'fail', A], [15, 'fail', A], [30, 'fail', A]], comments: [/Still \*\*fail\*\* at 2026-03-01T10:15/, /Still \*\*fail\*\* at 2026-03-01T10:30/] }
  ])('$name; the body always shows the latest run and the count', async ({ runs, comments, openOn, intervalMs }) => {
    const s = await standin();
    const state = emptyState();
    const over = { openOn: openOn ?? 'fail', settings: settings(intervalMs === undefined ? {} : { commentIntervalMs: intervalMs }) };
    for (const [minute, status, message] of runs) await run(s, state, minute, [check(status, { message })], over);

    expect(s.state.issues).toHaveLength(1);
    expect(s.state.comments.map((c) => c.body)).toEqual(comments.map((re) => expect.stringMatching(re)));
    const body = s.state.issues[0].body ?? '';
    const [lastMinute, lastStatus, lastMessage] = runs.at(-1)!;
    expect(body).toContain(`| Status | ${lastStatus === 'fail' ? '🔴' : '🟡'} **${lastStatus}** |`);
    expect(body).toContain(`**Message:** ${lastMessage}`);
    expect(body).toContain(`| First seen | ${at(runs[0][0]).toISOString()} |`);
    expect(body).toContain(`| Last seen | ${at(lastMinute).toISOString()} |`);
    expect(body).toContain(`| Failing runs | ${runs.length} |`);
    // One body update per failing run after the one that opened the issue.
    expect(s.requests.filter((r) => r.operationId === 'issues/update')).toHaveLength(runs.length - 1);
    expect(s.violations).toEqual([]);
  });

  it('counts a flap in the body without commenting, and the recovery still comments the downtime and closes', async () => {
    const s = await standin();
    const state = emptyState();
    const flappy = { settings: settings({ successesToClose: 2 }) };
    await run(s, state, 0, [check('fail')], flappy);
    await run(s, state, 15, [check('ok')], flappy);
    await run(s, state, 30, [check('fail')], flappy);
    expect(s.state.issues[0].body).toContain('| Failing runs | 2 (1 in a row) |');
    expect(s.state.comments).toHaveLength(0);

    await run(s, state, 45, [check('ok')], flappy);
    const result = await run(s, state, 60, [check('ok')], flappy);
    expect(result.closed).toEqual([1]);
    expect(s.state.issues[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(s.state.comments.map((c) => c.body)).toEqual([expect.stringMatching(/^🟢 Recovered after 1 h \(failing since 2026-03-01T10:00:00\.000Z; 2 failing runs; last failure 2026-03-01T10:30:00\.000Z\)/)]);
  });

  it('keeps the body current during maintenance but adds no comment, and comments the change once maintenance ends', async () => {
    const s = await standin();
    const state = emptyState();
    await run(s, state, 0, [check('fail')]);
    const maintenance = s.seedIssue({ title: 'Upgrading the load balancer', labels: ['maintenance'] });
    const during = await run(s, state, 15, [check('fail', { message: 'answered 502' })]);
    expect(during.updated).toEqual([1]);
    expect(during.commented).toEqual([]);
    expect(s.state.issues[0].body).toContain('**Message:** answered 502');

    maintenance.state = 'closed';
    const after = await run(s, state, 30, [check('fail', { message: 'answered 502' })]);
    expect(after.commented).toEqual([1]);
    expect(s.state.comments.map((c) => c.body)).toEqual([expect.stringContaining('The failure changed at 2026-03-01T10:30:00.000Z')]);
  });

  it('two open issues with one marker: the oldest stays the incident and gets the updates and the recovery, the newer is closed as its duplicate', async () => {
    const s = await standin();
    const marker = issueMarker('health:http:https://api.a2aworld.ai/health');
    s.seedIssue({ title: 'first', labels: ['a2a-ops', 'incident'], body: `${marker}\nfiled by run 41`, createdAt: '2026-03-01T09:30:00Z' });
    s.seedIssue({ title: 'second', labels: ['a2a-ops', 'incident'], body: `${marker}\nfiled by run 42 at the same time`, createdAt: '2026-03-01T09:30:02Z' });
    const state = emptyState();

    const failing = await run(s, state, 0, [check('fail')]);
    expect(failing).toMatchObject({ opened: [], closedAsDuplicates: [2], updated: [1], commented: [1] });
    expect(failing.warnings).toEqual(["Issues #1 and #2 both track 'health:http:https://api.a2aworld.ai/health': #1 (the oldest) stays the incident, #2 is closed as its duplicate."]);
    const [first, second] = s.state.issues;
    expect(second).toMatchObject({ state: 'closed', stateReason: 'duplicate' });
    expect(s.state.comments.filter((c) => c.issueNumber === 2).map((c) => c.body)).toEqual([expect.stringMatching(/^Duplicate of #1, .*go to #1\.$/)]);
    expect(first.body).toContain('| Failing runs | 1 |');

    const recovered = await run(s, state, 20, [check('ok')]);
    expect(recovered).toMatchObject({ closed: [1], closedAsDuplicates: [], warnings: [] });
    expect(first).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(s.state.comments.filter((c) => c.issueNumber === 1).at(-1)?.body).toMatch(/^🟢 Recovered after 50 min \(failing since 2026-03-01T09:30:00Z;/);
    expect(s.violations).toEqual([]);
  });

  it('three open issues with one marker, numbered #9 to #11: #9 stays the incident and both newer ones are closed as duplicates of #9, by number not by text', async () => {
    const s = await standin();
    const marker = issueMarker('health:http:https://api.a2aworld.ai/health');
    for (let n = 1; n <= 8; n++) s.seedIssue({ title: `other ${n}`, labels: ['a2a-ops', 'incident'], body: `${issueMarker(`health:host:app-${n}:cpu`)}\nanother incident` });
    const [oldest, middle, newest] = [9, 10, 11].map((n) => s.seedIssue({ title: `copy filed by run ${n}`, labels: ['a2a-ops', 'incident'], body: `${marker}\nfiled by run ${n}` }));
    const octokit = await client(s);
    // What the run asked GitHub to do with each issue: the edge, observed, not replaced.
    const closings: Record<number, unknown> = {};
    octokit.hook.before('request', (options) => {
      if (options.method === 'PATCH' && options.state === 'closed') closings[Number(options.issue_number)] = { reason: options.state_reason, duplicateOf: options.duplicate_issue_id };
    });

    const result = await syncIssues(octokit, report(check('fail')), emptyState(), {
      repo: { owner: s.owner, repo: s.repo },
      settings: settings(),
      openOn: 'fail',
      runUrl: 'https://github.com/a2a-world/a2a-platform/actions/runs/42',
      now: at(0)
    });

    expect(result).toMatchObject({ opened: [], updated: [9], commented: [9], closedAsDuplicates: [10, 11] });
    expect(result.warnings).toEqual([
      "Issues #9 and #10 both track 'health:http:https://api.a2aworld.ai/health': #9 (the oldest) stays the incident, #10 is closed as its duplicate.",
      "Issues #9 and #11 both track 'health:http:https://api.a2aworld.ai/health': #9 (the oldest) stays the incident, #11 is closed as its duplicate."
    ]);
    expect([oldest.state, middle.state, newest.state]).toEqual(['open', 'closed', 'closed']);
    expect(closings).toEqual({ 10: { reason: 'duplicate', duplicateOf: oldest.id }, 11: { reason: 'duplicate', duplicateOf: oldest.id } });
    expect(s.state.comments.filter((c) => c.issueNumber !== 9).map((c) => [c.issueNumber, c.body])).toEqual([
      [10, expect.stringMatching(/^Duplicate of #9, /)],
      [11, expect.stringMatching(/^Duplicate of #9, /)]
    ]);
    expect(s.state.issues.filter((i) => i.number <= 8).every((i) => i.state === 'open')).toBe(true);
    expect(s.violations).toEqual([]);
  });
});

describe('the GitHub stand-in', () => {
  it('records a made-up path as a violation and answers 404', async () => {
    const s = await standin();
    const octokit = await client(s);
    await expect(octokit.request('POST /repos/{owner}/{repo}/incidents', { owner: s.owner, repo: s.repo, title: 'x' })).rejects.toMatchObject({ status: 404 });
    expect(s.violations).toEqual([expect.objectContaining({ kind: 'unknown-route', path: '/repos/a2a-world/a2a-platform/incidents' })]);
  });
});
