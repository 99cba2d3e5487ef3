// The health action against the lab's real hosts (sshd in network namespaces) and real Docker compose
// projects: healthy hosts, a crash-looping container with its log lines, and a full disk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLabPart } from '../../test-support/lab.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readHostsLab, type HostsLab, type LabHost } from '../../test-support/lab-faults.js';
import { docker, readLabPlatform, waitForContainerHealth, type LabPlatform } from '../../test-support/lab-platform.js';
import { run } from '../src/main.js';
import { cleanupRuns, reportOf, runInProcess } from './support/run-in-process.js';

let hosts: HostsLab;
let platform: LabPlatform;
let key: string;

beforeAll(() => {
  hosts = readHostsLab();
  platform = readLabPlatform();
  key = readFileSync(hosts.privateKeyPath, 'utf8');
});
afterAll(() => cleanupRuns());

const sshInputs = (h: LabHost[]): Record<string, string> => ({
  hosts: h.map((x) => `${hosts.user}@${x.address}:${x.port}`).join('\n'),
  'ssh-private-key': key,
  'ssh-fingerprint': h.map((x) => x.fingerprint).join('\n'),
  'sample-count': '2',
  'sample-interval': '250ms',
  'fail-on': 'never'
});

describe('lab hosts', () => {
  it('reads both hosts and their compose containers, with the agents in their own table', async () => {
    const project = platform.hosts[0].projectName;
    const r = await runInProcess(run, { ...sshInputs(hosts.hosts), 'compose-project': project });
    const report = reportOf(r);
    for (const h of hosts.hosts) {
      for (const aspect of ['cpu', 'memory', 'load']) {
        const c = report.checks.find((x) => x.id === `host:${h.address}:${aspect}`);
        expect([aspect, c?.status === 'fail']).toEqual([aspect, false]);
      }
      expect(report.checks.some((c) => c.id === `host:${h.address}:disk:/`)).toBe(true);
    }
    // One dockerd serves both lab hosts, so each host sees the project's containers.
    const containers = report.checks.filter((c) => c.id.startsWith(`container:${hosts.hosts[0].address}:`));
    expect(containers.map((c) => c.target.split('/')[1]).sort()).toEqual(
      expect.arrayContaining([`${project}_api_1`, `${project}_api_2`, `${project}_frontend_1`, `${project}_agent-pattern-discovery_1`])
    );
    expect(containers.find((c) => c.target.endsWith('agent-pattern-discovery_1'))?.kind).toBe('agent');
    expect(containers.filter((c) => c.status === 'ok').length).toBeGreaterThanOrEqual(3);
    expect(r.summary).toContain('### Hosts');
    expect(r.summary).toContain('### Containers');
  });

  it('fails a crash-looping container and attaches its last log lines', async () => {
    const project = 'a2a-health-lab';
    const name = `a2a-health-crashloop-${process.pid}`;
    const image = `${platform.images.api.repository}:${platform.images.api.tags[0]}`;
    await docker(['rm', '-f', name]).catch(() => undefined);
    await docker([
      'run', '-d', '--name', name, '--restart', 'always',
      '--label', `com.docker.compose.project=${project}`, '--label', 'com.docker.compose.service=worker',
      '--entrypoint', 'sh', image, '-c', 'echo "worker: cannot reach postgres at db:5432"; exit 3'
    ]);
    try {
      // Wait (bounded) until Docker has restarted it a few times: a crash loop, not one crash.
      for (let i = 0; i < 100; i++) {
        const count = Number((await docker(['inspect', '--format', '{{.RestartCount}}', name])).trim());
        if (count >= 3) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const r = await runInProcess(run, { ...sshInputs([hosts.hosts[0]]), 'compose-project': project });
      const check = reportOf(r).checks.find((c) => c.target === `${hosts.hosts[0].address}/${name}`);
      expect(check?.status).toBe('fail');
      expect(check?.message).toMatch(/^restarting \(crash loop: \d+ restarts, last exit code 3\)$|^exited with code 3$/);
      expect(check?.details).toContain('worker: cannot reach postgres at db:5432');
      expect(r.summary).toContain('worker: cannot reach postgres at db:5432');
      expect(r.outputs['failed-checks']).toContain(`container:${hosts.hosts[0].address}:${name}`);
    } finally {
      await docker(['rm', '-f', name]);
    }
  });

  it("attaches the service's container logs to a failing endpoint that belongs to it", async () => {
    const web = readLabPart<{ url: string }>('http');
    const dir = mkdtempSync(join(tmpdir(), 'a2a-health-cfg-'));
    try {
      const url = `${web.url}/status/502`;
      const config = join(dir, 'ops.yml');
      writeFileSync(config, `services:\n  api:\n    replicas: 2\n    health-url: ${url}\n`);
      const project = platform.hosts[0].projectName;
      const r = await runInProcess(run, { ...sshInputs([hosts.hosts[0]]), config, urls: url, retries: '0', 'compose-project': project });
      const check = reportOf(r).checks.find((c) => c.id === `http:${url}`);
      expect(check?.status).toBe('fail');
      expect(check?.details).toContain("Last log lines of service 'api':");
      expect(check?.details).toContain(`--- ${project}_api_1`);
      expect(check?.details).toContain(`--- ${project}_api_2`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a service running fewer replicas than configured, and passes once it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-health-cfg-'));
    const project = platform.hosts[0].projectName;
    const container = `${project}_api_2`;
    const config = join(dir, 'ops.yml');
    writeFileSync(config, 'services:\n  api:\n    replicas: 2\n');
    const inputs = { ...sshInputs([hosts.hosts[0]]), config, 'compose-project': project };
    const replicas = async (): Promise<{ status?: string; message?: string }> =>
      reportOf(await runInProcess(run, inputs)).checks.find((c) => c.id === `replicas:${hosts.hosts[0].address}:api`) ?? {};
    try {
      try {
        expect(await replicas()).toMatchObject({ status: 'ok', message: '2 of 2 replicas serving' });
        await docker(['stop', '-t', '1', container]);
        expect(await replicas()).toMatchObject({ status: 'fail', message: '1 of 2 replicas serving: capacity is down' });
      } finally {
        await docker(['start', container]);
        await waitForContainerHealth(container, 'healthy', 30_000);
      }
      expect(await replicas()).toMatchObject({ status: 'ok' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a full disk and names the mount', async () => {
    const host = hosts.hosts[1];
    const sshdPid = readFileSync(host.sshdPidFile, 'utf8').trim();
    const mnt = `/tmp/a2a-health-full-${process.pid}`;
    // The sshd runs in its own mount namespace (ip netns exec): mount where its sessions will look.
    const inHost = (...args: string[]): string => execFileSync('nsenter', ['-t', sshdPid, '-m', ...args], { encoding: 'utf8', timeout: 10_000 });
    inHost('mkdir', '-p', mnt);
    inHost('mount', '-t', 'tmpfs', '-o', 'size=1m', 'a2a-full', mnt);
    try {
      try {
        inHost('dd', 'if=/dev/zero', `of=${mnt}/fill`, 'bs=64k', 'count=64');
      } catch {
        // dd stops with "No space left on device": that is the point.
      }
      const r = await runInProcess(run, { ...sshInputs([host]), 'compose-project': 'none', 'disk-mounts': `/\n${mnt}` });
      const check = reportOf(r).checks.find((c) => c.id === `host:${host.address}:disk:${mnt}`);
      expect(check?.status).toBe('fail');
      expect(check?.value).toBe(100);
      expect(check?.message).toMatch(/^disk 100 % used, 0 MiB free of 1 MiB \(a2a-full\): full or nearly$/);
      expect(r.outputs['failed-checks']).toContain(`host:${host.address}:disk:${mnt}`);
    } finally {
      inHost('umount', mnt);
      inHost('rmdir', mnt);
    }
  });

  it('fails a host whose sshd does not answer, within the connect timeout, and still checks the other', async () => {
    const r = await runInProcess(run, {
      ...sshInputs(hosts.hosts),
      hosts: `${hosts.user}@${hosts.hosts[0].address}:2\n${hosts.user}@${hosts.hosts[1].address}:${hosts.hosts[1].port}`,
      'compose-project': 'none'
    });
    const report = reportOf(r);
    expect(report.checks.find((c) => c.id === `host:${hosts.hosts[0].address}`)?.status).toBe('fail');
    expect(report.checks.find((c) => c.id === `host:${hosts.hosts[1].address}:memory`)).toBeDefined();
  });
});
