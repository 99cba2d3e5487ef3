// Issue 13's lab proof: a broken lab — one of app2's containers stopped, an endpoint that accepts and
// never answers, a long query on the lab PostgreSQL cluster — gives ONE issue on the GitHub stand-in
// naming each fault, with the hosts' services, processes and daemon log in the summary and no secret
// anywhere. The lab is put back exactly as it was (the container healthy again, the query gone).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test-support/free-port.js';
import { startDigitalOceanStandin, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/index.js';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/index.js';
import { startHangingEndpoint, type TestEndpoint } from '../../test-support/incident-endpoints.js';
import {
  closeIncidentLab,
  keyLines,
  labContainerStates,
  openIncidentLab,
  runIncident,
  sessionsNamed,
  startLongQuery,
  stopContainer,
  type IncidentLab
} from '../../test-support/incident-lab.js';

const STOPPED = 'a2a-app2_agent-pattern-discovery_1';
const APP_NAME = 'a2a_incident_test_long_query';

let lab: IncidentLab;
let hanging: TestEndpoint;
let github: GitHubStandin;
let digitalocean: DigitalOceanStandin;
let stateDir: string;
let before: string[];

beforeAll(async () => {
  hanging = await startHangingEndpoint();
  github = await startGitHubStandin();
  digitalocean = await startDigitalOceanStandin();
  stateDir = mkdtempSync(join(tmpdir(), 'a2a-incident-lab-'));
  lab = openIncidentLab([{ name: 'hanging-api', url: hanging.url }]);
  before = await labContainerStates(lab);
});

afterAll(async () => {
  await Promise.all([hanging?.close(), github?.close(), digitalocean?.close()]);
  rmSync(stateDir, { recursive: true, force: true });
  closeIncidentLab(lab);
});

describe('incident diagnostics on a broken lab', () => {
  it('files ONE issue that names the stopped container, the hanging endpoint and the long query, a dead third host hiding nothing; secrets never shown; the lab is restored', async () => {
    expect(before.every((c) => c.endsWith('running/healthy'))).toBe(true);
    const stopped = await stopContainer(STOPPED);
    let query: Awaited<ReturnType<typeof startLongQuery>> | undefined;
    try {
      query = await startLongQuery(lab, APP_NAME);
      // Past the 2 s long-query bound before the run looks (the database is one of its first looks).
      await sleep(2500);
      const env = {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
        GITHUB_RUN_ID: '13',
        GITHUB_SERVER_URL: 'https://github.com',
        A2A_OPS_STATE_DIR: stateDir
      };
      const deadPort = await freePort();
      const started = Date.now();
      const r = await runIncident(
        lab,
        {
          'github-token': github.token,
          'endpoint-timeout': '3s',
          'long-query': '2s',
          'digitalocean-token': digitalocean.token,
          'digitalocean-api-url': digitalocean.url,
          // A third host nobody answers on: it must not hide what the two lab hosts show.
          hosts: `app1,app2,deploy@127.0.0.1:${deadPort}`
        },
        env
      );
      const ms = Date.now() - started;
      expect([r.exitCode, r.outputs.status]).toEqual([1, 'fail']);
      const faults = JSON.parse(r.outputs.faults) as Array<{ family: string; target: string; severity: string; message: string }>;
      const described = faults.map((f) => `${f.family} · ${f.target}: ${f.message}`);

      // The three planted faults, each named.
      const container = described.find((d) => d.startsWith(`services · app2: agent-pattern-discovery (${STOPPED}): exited`));
      const endpoint = described.find((d) => d.startsWith(`endpoints · ${hanging.url}: hangs: no complete answer within 3000 ms, stalled waiting for first byte`));
      // Other suites may run long queries on the shared cluster at the same time: ours is one of them
      // (its pid and application name are in the summary's session list, checked below).
      const longQuery = described.find((d) => /^database · a2a_user@127\.0\.0\.1:\d+\/a2a_world: \d+ quer(y has|ies have) run longer than 2\.0 s/.test(d));
      // Shown whole when one is missing, so a failure says what the run saw instead.
      expect({ described, found: [container, endpoint, longQuery].map(Boolean) }).toEqual({ described, found: [true, true, true] });
      // Nothing else is wrong with the lab: the other hosts' services, the load balancer and NATS pass.
      const others = faults.filter((f) => f.family === 'services' || f.family === 'nats' || f.family === 'load balancer').map((f) => f.target);
      expect(others.filter((t) => !t.includes(`127.0.0.1:${deadPort}`))).toEqual([`app2: agent-pattern-discovery (${STOPPED})`]);
      expect(others).toHaveLength(2);
      expect(described.find((d) => d.startsWith('services') && d.includes(`127.0.0.1:${deadPort}`))).toMatch(/not reachable over SSH: .*refused/i);

      expect(github.state.issues).toHaveLength(1);
      const issue = github.state.issues[0];
      for (const d of [container, endpoint, longQuery]) expect(issue.body).toContain(d as string);
      expect(issue.title).toMatch(/^\[incident\] a2a-world is failing: \d+ faults?: /);

      // The summary holds the evidence: phases, services, processes (BusyBox fallback), daemon log note, NATS.
      for (const text of [
        'Endpoints (the phases of curl -w curl-format.txt, cumulative)',
        'Services per host (docker-compose ps)',
        `| app2 | agent-pattern-discovery | ${STOPPED} | exited |`,
        'Top processes by memory (ps aux --sort=-%mem)',
        "this container's ps (BusyBox) has no --sort: sorted by RSS",
        'app1: systemd is not running (no /run/systemd/system), so there is no `journalctl -u docker`',
        'database:long-queries',
        `pid ${query.pid} · a2a_user@a2a_world · running`,
        `app '${APP_NAME}'`,
        'NATS'
      ]) {
        expect([text, r.summary.includes(text)]).toEqual([text, true]);
      }

      // Secrets: the SSH key, the database password, the tokens — nowhere a person or a log can see.
      const printed = `${r.stdout}\n${r.stderr}`
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      const secrets = [...keyLines(lab), lab.postgres.password, encodeURIComponent(lab.postgres.password), github.token, digitalocean.token];
      for (const text of [r.summary, printed, JSON.stringify(r.outputs), issue.body ?? '', issue.title]) {
        for (const s of secrets) expect(text.includes(s)).toBe(false);
      }
      expect([github.violations, digitalocean.violations]).toEqual([[], []]);
      expect(ms).toBeLessThan(100_000);
    } finally {
      await query?.undo();
      const health = await stopped.undo();
      expect(health).toBe('healthy');
    }
    expect(await sessionsNamed(lab, APP_NAME)).toBe(0);
    const after = await labContainerStates(lab);
    expect(after).toEqual(before);
  });
});
