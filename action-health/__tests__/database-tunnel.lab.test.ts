// `database-ssh-host` against the lab: the compose `postgres` service of a lab host (no published port)
// checked through an SSH tunnel from that host to its container IP, over the run's one SSH connection;
// then the same with the container stopped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readHostsLab, type HostsLab, type LabHost } from '../../test-support/lab-faults.js';
import { docker, readLabPlatform, waitForContainerHealth, type LabPlatform } from '../../test-support/lab-platform.js';
import { run } from '../src/main.js';
import { cleanupRuns, reportOf, runInProcess, type HealthRun } from './support/run-in-process.js';

let hosts: HostsLab;
let platform: LabPlatform;
let host: LabHost;
let project: string;
let dir: string;
let inputs: Record<string, string>;

beforeAll(() => {
  hosts = readHostsLab();
  platform = readLabPlatform();
  host = hosts.hosts[0];
  const composeHost = platform.hosts.find((h) => h.name === host.name);
  if (!composeHost) throw new Error(`docker.json has no compose project for lab host ${host.name}: is the docker part up?`);
  project = composeHost.projectName;
  dir = mkdtempSync(join(tmpdir(), 'a2a-health-dbtunnel-'));
  // The host by its config name, so the report names the route the way a user's config would.
  const config = join(dir, 'ops.yml');
  writeFileSync(config, `hosts:\n  - name: ${host.name}\n    address: ${host.address}\n    port: ${host.port}\n    user: ${hosts.user}\n`);
  const pg = platform.postgres;
  inputs = {
    config,
    hosts: host.name,
    'ssh-private-key': readFileSync(hosts.privateKeyPath, 'utf8'),
    'ssh-fingerprint': host.fingerprint,
    'compose-project': project,
    'sample-count': '1',
    'log-lines': '0',
    'fail-on': 'never',
    'database-url': `postgresql://${pg.user}:${encodeURIComponent(pg.password)}@${pg.service}:${pg.port}/${pg.database}`,
    'database-ssh-host': host.name
  };
});
afterAll(() => {
  cleanupRuns();
  rmSync(dir, { recursive: true, force: true });
});

/** SSH logins sshd of the host has accepted so far. */
const logins = (): number => (readFileSync(host.sshdLog, 'utf8').match(/Accepted publickey for /g) ?? []).length;

function expectNoPassword(r: HealthRun): void {
  const visible = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  for (const [where, text] of [['log', visible], ['summary', r.summary], ['outputs', JSON.stringify(r.outputs)]]) {
    expect([where, text.includes(platform.postgres.password)]).toEqual([where, false]);
  }
}

describe('the compose postgres service through database-ssh-host', () => {
  it('passes the database checks through a tunnel to the container, on the one SSH connection to the host', async () => {
    const before = logins();
    const r = await runInProcess(run, inputs);
    const checks = reportOf(r).checks;
    const target = `${platform.postgres.user}@${platform.postgres.service}:${platform.postgres.port}/${platform.postgres.database} via ${host.name}`;
    const reach = checks.find((c) => c.id === 'database:reachability');
    expect(reach).toMatchObject({ status: 'ok', target });
    expect(reach?.message).toMatch(new RegExp(`^accepting connections: PostgreSQL 15\\.\\d+.*, database '${platform.postgres.database}'`));
    expect(reach?.details).toMatch(new RegExp(`Reached through an SSH tunnel on ${host.name} to container ${project}[_-]postgres[_-]1 at \\d+\\.\\d+\\.\\d+\\.\\d+:5432 \\(network ${project}_default\\)`));
    const connections = checks.find((c) => c.id === 'database:connections');
    expect(connections).toMatchObject({ status: 'ok', target });
    expect(connections?.value).toBeGreaterThanOrEqual(1);
    // The host checks ran too, and both shared one login.
    expect(checks.some((c) => c.id === `host:${host.name}:memory`)).toBe(true);
    expect(logins() - before).toBe(1);
    expect(r.summary).toContain(target);
    expectNoPassword(r);
  });

  it('fails reachability, naming the stopped container, while the postgres container is down', async () => {
    const ids = (await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${platform.postgres.service}`])).trim().split('\n').filter(Boolean);
    expect(ids).toHaveLength(1);
    const name = (await docker(['inspect', '--format', '{{.Name}}', ids[0]])).trim().replace(/^\//, '');
    await docker(['stop', '-t', '2', name]);
    try {
      const r = await runInProcess(run, { ...inputs, hosts: '', 'compose-project': project });
      const db = reportOf(r).checks.filter((c) => c.id.startsWith('database:'));
      expect(db.map((c) => [c.id, c.status])).toEqual([['database:reachability', 'fail']]);
      expect(db[0].message).toBe(
        `not reachable: the compose service '${platform.postgres.service}' of project '${project}' on ${host.name} has no running container (${name}: exited)`
      );
      expect(r.outputs['failed-checks']).toContain('database:reachability');
      expectNoPassword(r);
    } finally {
      await docker(['start', name]);
      expect(await waitForContainerHealth(name, 'healthy', 30_000)).toBe('healthy');
    }
  });
});
