// The incident run through the funnel, in process, against real local servers: timed requests to an
// answering and a hanging endpoint, a NATS port nobody listens on, the DigitalOcean stand-in with an
// errored load balancer, and the GitHub stand-in receiving the one issue. Input refusals come first.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupRuns, runInProcess } from '../../action-health/__tests__/support/run-in-process.js';
import { a2aWorldFixtures, startDigitalOceanStandin, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/index.js';
import { freePort } from '../../test-support/free-port.js';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/index.js';
import { startAnsweringEndpoint, startHangingEndpoint, type TestEndpoint } from '../../test-support/incident-endpoints.js';
import { timeRequest } from '../src/endpoints/time-request.js';
import { run } from '../src/main.js';

let hanging: TestEndpoint;
let answering: TestEndpoint;
let github: GitHubStandin;
let digitalocean: DigitalOceanStandin;
let dir: string;

beforeAll(async () => {
  hanging = await startHangingEndpoint();
  answering = await startAnsweringEndpoint(200);
  github = await startGitHubStandin();
  const fixtures = a2aWorldFixtures();
  fixtures.loadBalancers[0].status = 'errored';
  digitalocean = await startDigitalOceanStandin({ fixtures });
  dir = mkdtempSync(join(tmpdir(), 'a2a-incident-'));
});
afterAll(async () => {
  await Promise.all([hanging?.close(), answering?.close(), github?.close(), digitalocean?.close()]);
  rmSync(dir, { recursive: true, force: true });
  cleanupRuns();
});

/** The action's run() in this process as the runner would call it (the health tests' helper). */
const runIncident = (inputs: Record<string, string>, extraEnv: Record<string, string> = {}): ReturnType<typeof runInProcess> => runInProcess(run, inputs, extraEnv);

describe('timeRequest', () => {
  it('times an answering endpoint phase by phase (fresh connection, DNS 0 for an IP literal)', async () => {
    const r = await timeRequest(new URL(answering.url), 'GET', 3000);
    expect([r.statusCode, r.timedOut, r.problem, r.timings.dns, r.timings.tls, r.timings.stalledIn]).toEqual([200, false, undefined, 0, 0, undefined]);
    const { connect = -1, firstByte = -1, total = -1 } = r.timings;
    expect(connect).toBeGreaterThanOrEqual(0);
    expect(firstByte).toBeGreaterThanOrEqual(connect);
    expect(total).toBeGreaterThanOrEqual(firstByte);
  });

  it('bounds a hanging endpoint by the timeout and says it stalled waiting for the first byte', async () => {
    const started = Date.now();
    const r = await timeRequest(new URL(hanging.url), 'GET', 700);
    expect(Date.now() - started).toBeLessThan(5000);
    expect([r.timedOut, r.problem, r.timings.stalledIn, r.statusCode]).toEqual([true, 'no complete answer within 700 ms', 'first byte', undefined]);
    expect(r.timings.connect).toBeDefined();
  });

  it('names a refused port', async () => {
    const r = await timeRequest(new URL(`http://127.0.0.1:${await freePort()}/x`), 'GET', 2000);
    expect([r.problem, r.timings.stalledIn]).toEqual(['connection refused', 'connect']);
  });
});

describe('the incident run', () => {
  it('refuses bad inputs before contacting anything, naming the input', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ endpoints: 'ftp://x/y' }, /Input 'endpoints' must hold http or https URLs/],
      [{ endpoints: 'https://user:pw@x/health' }, /Input 'endpoints': put no credentials in a URL/],
      [{ endpoints: answering.url, 'nats-url': 'http://x' }, /Input 'nats-url' is not a NATS URL/],
      [{ 'load-balancer': 'a2a-lb' }, /Input 'load-balancer' is set but 'digitalocean-token' is empty/],
      [{ 'endpoint-timeout': 'forever' }, /endpoint-timeout/],
      [{ 'database-url': 'mysql://u:p@h/db' }, /Input 'database-url' must start with postgresql:\/\//]
    ];
    const before = answering.accepted() + hanging.accepted();
    for (const [inputs, message] of cases) {
      const r = await runIncident({ issue: 'off', ...inputs });
      expect([r.exitCode, r.outputs.status]).toEqual([1, 'fail']);
      expect(r.log).toMatch(message);
      expect(answering.accepted() + hanging.accepted()).toBe(before);
    }
  });

  it('gathers every diagnostic into one summary and ONE issue naming each fault, with no secret anywhere', async () => {
    const natsPort = await freePort();
    const configPath = join(dir, 'ops.yml');
    // Latency limits far above any local answer: a loaded test machine must not make the answering endpoint a fault.
    const limits = 'thresholds: { latency-warn: 20s, latency-fail: 30s }\n';
    writeFileSync(configPath, `${limits}platform: a2a-world\nendpoints:\n  - { name: ok, url: "${answering.url}" }\n  - { name: hang, url: "${hanging.url}" }\n`);
    const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com', A2A_OPS_STATE_DIR: join(dir, 'state') };
    const inputs = {
      config: configPath,
      issue: 'auto',
      'github-token': github.token,
      'endpoint-timeout': '3s',
      'nats-url': `nats://127.0.0.1:${natsPort}`,
      'digitalocean-token': digitalocean.token,
      'digitalocean-api-url': digitalocean.url,
      'load-balancer': 'a2a-lb'
    };
    const r = await runIncident(inputs, env);
    expect([r.exitCode, r.outputs.status, r.outputs['fault-count']]).toEqual([1, 'fail', '3']);
    const faults = JSON.parse(r.outputs.faults) as Array<{ family: string; target: string; message: string }>;
    expect(faults.map((f) => [f.family, f.target])).toEqual([
      ['endpoints', hanging.url],
      ['nats', `nats://127.0.0.1:${natsPort}`],
      ['load balancer', 'load balancer a2a-lb (4de7ac8b-495b-4884-9a69-1050c6793cd6)']
    ]);
    expect(faults[0].message).toMatch(/^hangs: no complete answer within 3000 ms, stalled waiting for first byte/);

    expect(github.state.issues).toHaveLength(1);
    const issue = github.state.issues[0];
    expect(issue.title).toMatch(/^\[incident\] a2a-world is failing: 3 faults: endpoints/);
    for (const f of faults) expect(issue.body).toContain(`${f.family} · ${f.target}: ${f.message}`);
    expect(r.summary).toContain('Endpoints (the phases of curl -w curl-format.txt, cumulative)');
    expect(r.summary).toContain('⏳ stalled');
    expect(r.summary).toContain('DigitalOcean load balancer');
    expect(r.summary).toContain('Not diagnosed: hosts (no `hosts` input and none in the ops config); database (no `database-url`).');
    // `::add-mask::` lines are how a secret is registered: the runner consumes them and never shows them.
    const printed = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    for (const text of [r.summary, printed, JSON.stringify(r.outputs), issue.body ?? '', issue.title]) {
      expect(text).not.toContain(digitalocean.token);
      expect(text).not.toContain(github.token);
    }
    expect([github.violations, digitalocean.violations]).toEqual([[], []]);

    // A second run with everything fixed closes the one issue as recovered.
    const fixed = `${limits}platform: a2a-world\nendpoints:\n  - { name: ok, url: "${answering.url}" }\n`;
    writeFileSync(configPath, fixed);
    digitalocean.data.loadBalancers[0].status = 'active';
    const again = await runIncident({ ...inputs, 'nats-url': '' }, env);
    expect([again.outputs.status, again.outputs['fault-count']]).toEqual(['ok', '0']);
    expect(github.state.issues.map((i) => i.state)).toEqual(['closed']);
  });

  it('keeps the diagnosis as the step result when the token may not write issues, with a warning', async () => {
    const readOnly = await startGitHubStandin({ permissions: 'read' });
    try {
      const configPath = join(dir, 'ops-ro.yml');
      writeFileSync(configPath, `endpoints:\n  - { name: hang, url: "${hanging.url}" }\n`);
      const r = await runIncident(
        { config: configPath, issue: 'auto', 'github-token': readOnly.token, 'endpoint-timeout': '1s' },
        { GITHUB_API_URL: readOnly.url, GITHUB_REPOSITORY: `${readOnly.owner}/${readOnly.repo}`, A2A_OPS_STATE_DIR: join(dir, 'state-ro') }
      );
      expect([r.exitCode, r.outputs.status, r.outputs['fault-count']]).toEqual([1, 'fail', '1']);
      expect(r.log).toMatch(/::warning::Incident issues: .*(not accessible|permission|403)/i);
      expect(r.log).toMatch(/::error::Incident diagnostics: 1 check at 'fail' or worse: faults/);
      expect(readOnly.state.issues).toEqual([]);
    } finally {
      await readOnly.close();
    }
  });
});
