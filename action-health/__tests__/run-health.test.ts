// The health action end to end in-process through the run funnel: outputs, job summary, state kept
// between runs, the incident issue lifecycle on the GitHub stand-in, and host metrics over SSH.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { startHttpEndpoints, type HttpEndpoints } from '../../test-support/http-endpoints.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { cleanupRuns, runInProcess, type HealthRun } from './support/run-in-process.js';

// @actions/github reads GITHUB_API_URL once, when it is first imported: the stand-in's address must be in
// the environment before the action (and the shared barrel, which imports the funnel) is loaded.
let run: () => Promise<void>;
let clearSecretsForTest: () => void;

let web: HttpEndpoints;
let github: GitHubStandin;
let ssh: TestSshServer;

beforeAll(async () => {
  [web, github, ssh] = await Promise.all([startHttpEndpoints({ slowMs: 300 }), startGitHubStandin(), startSshServer({ user: 'deploy' })]);
  process.env.GITHUB_API_URL = github.url;
  ({ run } = await import('../src/main.js'));
  ({ clearSecretsForTest } = await import('../../shared/src/index.js'));
});
afterAll(async () => {
  await Promise.all([web.close(), github.close(), ssh.close()]);
  cleanupRuns();
});
afterEach(() => {
  clearSecretsForTest();
});

const fast = { retries: '0', 'retry-delays': '10ms', timeout: '1s', 'latency-warn': '200ms', 'latency-fail': '900ms' };

const runHealth = (inputs: Record<string, string>, extraEnv: Record<string, string> = {}, dir?: string): Promise<HealthRun> =>
  runInProcess(run, inputs, extraEnv, dir);

describe('the health action over HTTP', () => {
  it('reports healthy, degraded and down endpoints in outputs and the summary, and fails the step', async () => {
    const urls = ['/healthy', '/slow', '/status/500', '/hang', '/loop/a'].map((p) => `${web.url}${p}`).join('\n');
    const r = await runHealth({ urls, ...fast });
    const report = JSON.parse(r.outputs.report) as { status: string; checks: Array<{ id: string; status: string }> };
    expect(r.outputs.status).toBe('fail');
    expect(report.checks.map((c) => c.status)).toEqual(['ok', 'warn', 'fail', 'fail', 'fail']);
    expect(r.outputs['failed-checks']).toBe([`${web.url}/status/500`, `${web.url}/hang`, `${web.url}/loop/a`].map((u) => `http:${u}`).join(','));
    expect(r.summary).toContain('### HTTP endpoints');
    expect(r.summary).toMatch(/❌ \| GET http:\/\/127\.0\.0\.1:\d+\/hang \| no answer/);
    expect(r.summary).toContain('down: redirect loop: /loop/b → /loop/a');
    expect(r.exitCode).toBe(1);
  });

  it('passes with fail-on never even when an endpoint is down', async () => {
    const r = await runHealth({ urls: `${web.url}/status/503`, ...fast, 'fail-on': 'never' });
    expect(r.outputs.status).toBe('fail');
    expect(r.exitCode).not.toBe(1);
  });

  it.each([
    ['a latency without its unit (once a -ms key)', { 'latency-warn': '500' }, /Input 'latency-warn' must be a duration with its unit.*\(write '500ms' or '500s'\)/],
    ['a latency that is not a duration', { 'latency-warn': 'fast' }, /Input 'latency-warn' must be a duration with its unit, such as '90s', '5m' or '500ms'/],
    ['an alert below the target', { 'latency-warn': '800ms', 'latency-fail': '500ms' }, /Input 'latency-fail' \(500 ms\) must be above 'latency-warn' \(800 ms\)/],
    ['a timeout above 5 minutes', { timeout: '10m' }, /Input 'timeout' must be between 100ms and 5m, got 10m/],
    ['a file URL', { urls: 'file:///etc/passwd' }, /only http:\/\/ and https:\/\/ URLs can be checked/],
    ['a URL with a password', { urls: 'https://user:pw@example.test/' }, /credentials in a header/],
    ['hosts without a key', { hosts: '127.0.0.1' }, /Input 'ssh-private-key' is required/],
    ['nothing to check', { urls: '' }, /Nothing to check/],
    ['a bad compose project', { 'compose-project': 'x; rm -rf /' }, /not a compose project name/]
  ])('refuses %s before contacting anything', async (_n, inputs, message) => {
    const before = web.hits('/healthy');
    const r = await runHealth({ urls: `${web.url}/healthy`, ...fast, ...inputs });
    expect(r.outputs.status).toBe('fail');
    expect(r.outputs.report).toBeUndefined();
    expect(r.exitCode).toBe(1);
    expect(web.hits('/healthy')).toBe(before);
    expect(r.log).toMatch(new RegExp(`::error::.*${message.source}`));
  });

  it('substitutes secrets into config headers and never prints them', async () => {
    const dir = (await runHealth({ urls: `${web.url}/healthy`, ...fast })).dir;
    const config = `${dir}/ops.yml`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      config,
      `endpoints:\n  - name: api\n    url: ${web.url}/echo-headers\n    expect-body: s3cr3t-token-value\n    headers:\n      authorization: Bearer \${API_TOKEN}\n`
    );
    const r = await runHealth({ config, ...fast }, { API_TOKEN: 's3cr3t-token-value' });
    expect(JSON.parse(r.outputs.report).checks[0].status).toBe('ok');
    expect(r.outputs.report).not.toContain('s3cr3t-token-value');
    expect(r.summary).not.toContain('s3cr3t-token-value');
  });

  it('keeps response times between runs and charts them', async () => {
    const first = await runHealth({ urls: `${web.url}/healthy`, ...fast });
    const second = await runHealth({ urls: `${web.url}/healthy`, ...fast }, {}, first.dir);
    expect(first.summary).not.toContain('xychart-beta');
    expect(second.summary).toContain('```mermaid\nxychart-beta');
    expect(second.summary).toMatch(/\| Endpoint \| Uptime 24 h \|[\s\S]*\| 100 % \| 100 % \| 100 % \| 2 \|/);
  });

  it('says so when the previous scheduled run is much older than expected', async () => {
    const first = await runHealth({ urls: `${web.url}/healthy`, ...fast }, { GITHUB_EVENT_NAME: 'schedule' });
    const stateFile = `${first.dir}/state/health.json`;
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state.lastScheduledRunAt).toBeDefined();
    state.lastScheduledRunAt = new Date(Date.now() - 5 * 3_600_000).toISOString();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(stateFile, JSON.stringify(state));
    const r = await runHealth({ urls: `${web.url}/healthy\n${web.url}/status/500`, ...fast, 'expected-interval': '1h' }, { GITHUB_EVENT_NAME: 'schedule' }, first.dir);
    expect(r.summary).toMatch(/> Freshness: previous scheduled run 5 h ago: about 4 scheduled runs missing/);
    expect(r.outputs['failed-checks']).toBe(`http:${web.url}/status/500,freshness:schedule`);
    // The failing endpoint's details (which go into its issue) carry the remark too.
    const failing = JSON.parse(r.outputs.report).checks.find((c: { id: string }) => c.id === `http:${web.url}/status/500`);
    expect(failing.details).toMatch(/Note: previous scheduled run 5 h ago/);
  });
});

describe('incident issues on the GitHub stand-in', () => {
  it('opens one issue on failure, counts the same failure again in its body without a comment, closes with the downtime on recovery', async () => {
    const url = `${web.url}/flaky/lifecycle?fail=2`;
    const ghEnv = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_RUN_ID: '1', GITHUB_SERVER_URL: 'https://github.com' };
    const inputs = { urls: url, ...fast, issue: 'auto', 'github-token': github.token };
    const issuesFor = (): typeof github.state.issues => github.state.issues.filter((i) => (i.body ?? '').includes(url));

    const first = await runHealth(inputs, ghEnv);
    expect(first.outputs.status).toBe('fail');
    expect(first.log).toMatch(/Incident issues: opened #\d+/);
    expect(issuesFor()).toHaveLength(1);
    expect(issuesFor()[0].state).toBe('open');
    expect(issuesFor()[0].body).toContain('answered 503, expected 2xx');

    await runHealth(inputs, ghEnv, first.dir);
    expect(issuesFor()).toHaveLength(1);
    const number = issuesFor()[0].number;
    // Within issues.comment-interval the same failure is recorded in the body, not commented again.
    expect(github.state.comments.filter((c) => c.issueNumber === number)).toEqual([]);
    expect(issuesFor()[0].body).toMatch(/Failing runs \| 2/);

    const third = await runHealth(inputs, ghEnv, first.dir);
    expect(third.outputs.status).toBe('ok');
    expect(issuesFor()).toHaveLength(1);
    expect(issuesFor()[0].state).toBe('closed');
    expect(github.state.comments.filter((c) => c.issueNumber === number).map((c) => c.body).pop()).toMatch(/Recovered after \d+ (ms|s)/);
    expect(github.violations).toEqual([]);
  });
});

describe('the health action over SSH', () => {
  it('reads CPU, memory, disks and load of a host in one batched command on one connection', async () => {
    const r = await runHealth({
      hosts: `deploy@127.0.0.1:${ssh.port}`,
      'ssh-private-key': ssh.clientKey.privateKey,
      'ssh-fingerprint': ssh.hostKey.fingerprint,
      'compose-project': 'none',
      'sample-count': '2',
      'sample-interval': '200ms',
      'disk-mounts': '/',
      'fail-on': 'never'
    });
    const report = JSON.parse(r.outputs.report) as { checks: Array<{ id: string; kind: string; status: string; value?: number }> };
    expect(report.checks.map((c) => c.id)).toEqual(['host:127.0.0.1:cpu', 'host:127.0.0.1:memory', 'host:127.0.0.1:disk:/', 'host:127.0.0.1:load']);
    const mem = report.checks.find((c) => c.id.endsWith(':memory'));
    expect(mem?.value).toBeGreaterThan(0);
    expect(ssh.log.connections).toBe(1);
    expect(ssh.log.execs).toHaveLength(1);
    expect(r.summary).toContain('### Hosts');
    expect(r.outputs.report).not.toContain(ssh.clientKey.privateKey.split('\n')[1]);
  });

  it('reports an unreachable host as one failed check without stopping the HTTP checks', async () => {
    const r = await runHealth({
      urls: `${web.url}/healthy`,
      hosts: 'deploy@127.0.0.1:1',
      'ssh-private-key': ssh.clientKey.privateKey,
      'ssh-fingerprint': ssh.hostKey.fingerprint,
      ...fast
    });
    const report = JSON.parse(r.outputs.report) as { checks: Array<{ id: string; status: string; message: string }> };
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      [`http:${web.url}/healthy`, 'ok'],
      ['host:127.0.0.1', 'fail']
    ]);
    expect(report.checks[1].message).toMatch(/^could not read metrics: .*refused/);
  });
});
