// The incident-issue manager against the honest GitHub stand-in: what gets filed, commented and closed.
import { afterEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { syncIssues, readIssueMarker, type IssueSyncOptions } from '../src/issues/index.js';
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
  return { labels: ['a2a-ops', 'incident'], failuresToOpen: 1, successesToClose: 1, maintenanceLabel: 'maintenance', maintenanceWindows: [], assignees: [], ...over };
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

/** One scheduled run: a report with these checks synced at minute `minute`. */
async function run(s: GitHubStandin, state: RunState, minute: number, checks: Check[], over: Partial<IssueSyncOptions> = {}) {
  const octokit = getOctokit(s.token, { baseUrl: s.url });
  return syncIssues(octokit, report(...checks), state, {
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

  it('comments on the same issue when the check fails again, and files no second issue', async () => {
    const s = await standin();
    const state = emptyState();
    await run(s, state, 0, [check('fail')]);
    const second = await run(s, state, 5, [check('fail', { message: 'answered 503' })]);

    expect(second.opened).toEqual([]);
    expect(second.commented).toEqual([1]);
    expect(s.state.issues).toHaveLength(1);
    expect(s.state.comments).toHaveLength(1);
    expect(s.state.comments[0].body).toContain('answered 503');
    expect(s.state.comments[0].body).toContain('actions/runs/42');
    expect(s.violations).toEqual([]);
  });

  it('finds the issue again by label and marker even when the run state was lost', async () => {
    const s = await standin();
    await run(s, emptyState(), 0, [check('fail')]);
    const again = await run(s, emptyState(), 5, [check('fail')]);
    expect(again.opened).toEqual([]);
    expect(again.commented).toEqual([1]);
    expect(s.state.issues).toHaveLength(1);
  });

  it('ignores an issue that mentions the marker anywhere but on its first line', async () => {
    const s = await standin();
    s.seedIssue({ title: 'copied log', labels: ['a2a-ops'], body: 'see below\n<!-- a2a-ops:key=health:http:https://api.a2aworld.ai/health -->' });
    const result = await run(s, emptyState(), 0, [check('fail')]);
    expect(result.opened).toEqual([2]);
  });

  it('comments the downtime and closes the issue as completed when the check recovers', async () => {
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
    expect(last.body).toContain('Recovered after 2 h 15 min');
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

  it('keeps one issue per check key when several checks fail at once', async () => {
    const s = await standin();
    const state = emptyState();
    const checks = [check('fail'), check('fail', { id: 'http:https://a2aworld.ai/', target: 'https://a2aworld.ai/' }), check('ok', { id: 'http:https://x/' })];
    await run(s, state, 0, checks);
    await run(s, state, 5, checks);
    expect(s.state.issues.map((i) => readIssueMarker(i.body))).toEqual(['health:http:https://api.a2aworld.ai/health', 'health:http:https://a2aworld.ai/']);
    expect(s.state.comments).toHaveLength(2);
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
    const octokit = getOctokit('ghs_wrong-token', { baseUrl: s.url });
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
    const started = Date.now();
    const result = await run(s, emptyState(), 0, [check('fail')]);
    expect(result.warnings).toEqual([]);
    expect(result.opened).toEqual([1]);
    expect(s.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([403, 201]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(s.violations).toEqual([]);
  });

  it('gives up with a warning when the rate limit wait exceeds the retry budget', async () => {
    const s = await standin({ rateLimitOnce: true });
    const result = await run(s, emptyState(), 0, [check('fail')], { maxRetryWaitMs: 500 });
    expect(result.opened).toEqual([]);
    expect(result.warnings.join('\n')).toMatch(/rate limited/);
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

describe('the GitHub stand-in', () => {
  it('records a made-up path as a violation and answers 404', async () => {
    const s = await standin();
    const octokit = getOctokit(s.token, { baseUrl: s.url });
    await expect(octokit.request('POST /repos/{owner}/{repo}/incidents', { owner: s.owner, repo: s.repo, title: 'x' })).rejects.toMatchObject({ status: 404 });
    expect(s.violations).toEqual([expect.objectContaining({ kind: 'unknown-route', path: '/repos/a2a-world/a2a-platform/incidents' })]);
  });
});
