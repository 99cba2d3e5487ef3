// action-host `upgrade` against the lab's two hosts, run as the bundle, with each host's own apt/dpkg world
// (lab/parts/apt.sh: a2a-lab-dummy and the security update a2a-lab-tool at version 1, version 2 in local
// repositories): the plan marks the security update, a real `apt-get upgrade -y` installs version 2 on
// app1 and then app2 (this machine's own packages never touched), reboot-required is reported, a service
// broken by app1's upgrade stops the rollout before app2, and a held deploy lock stops it before anything.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { closeDeployLab } from '../../test-support/deploy-lab.js';
import { installedVersion, openHostLab, plantAptConf, resetAptWorld, runHost, type HostLab, type HostRun } from '../../test-support/host-lab.js';
import { docker, waitForContainerHealth } from '../../test-support/lab-platform.js';

let lab: HostLab;
const undo: Array<() => void | Promise<void>> = [];

beforeAll(() => {
  lab = openHostLab();
  resetAptWorld(lab);
});
afterEach(async () => {
  for (const u of undo.splice(0).reverse()) await u();
  resetAptWorld(lab);
});
afterAll(() => closeDeployLab(lab));

const check = (run: HostRun, id: string) => run.report?.checks.find((c) => c.id === id);
const versions = (pkg: string): Record<string, string> => Object.fromEntries(lab.hosts.map((h) => [h.name, installedVersion(lab, h.name, pkg)]));
const { ordinary, security } = { ordinary: 'a2a-lab-dummy', security: 'a2a-lab-tool' };

/** The deploy key appears nowhere a person or the API sees it (the ::add-mask:: registrations aside). */
function noSecrets(run: HostRun): void {
  const keyLines = lab.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  const seen = [run.stdout.replace(/^::add-mask::.*$/gm, ''), run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n');
  for (const line of keyLines) expect(seen).not.toContain(line);
}

/** This machine's own dpkg database knows neither dummy package (the lab hosts' worlds are their own). */
function machineUntouched(): void {
  for (const pkg of [ordinary, security]) {
    expect(() => execFileSync('dpkg-query', ['-W', pkg], { stdio: 'pipe' })).toThrow();
  }
  expect(existsSync('/usr/share/a2a-lab-dummy')).toBe(false);
}

describe('upgrade on the lab hosts', () => {
  it('lists the plan with the security update marked on a dry run and installs nothing', async () => {
    const run = await runHost(lab, { operation: 'upgrade', 'dry-run': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.upgradable).toBe('4');
    expect(run.outputs['security-updates']).toBe('2');
    expect(check(run, 'upgrade:plan:app1')?.message).toBe('2 upgradable, 1 security (a2a-lab-tool)');
    expect(run.summary).toMatch(/\| app1 \| a2a-lab-tool \| 1 \| 2 \| \*\*security\*\* \| A2A-Lab-Security:lab-security \|/);
    expect(run.summary).toMatch(/\| app2 \| a2a-lab-dummy \| 1 \| 2 \|  \| A2A-Lab:lab \|/);
    expect(versions(ordinary)).toEqual({ app1: '1', app2: '1' });
    machineUntouched();
  });

  it('upgrades app1, checks its services, then app2, and reports the reboot both hosts ask for', async () => {
    // The lab hosts share this machine's /run: a reboot-required file there is seen by both.
    const flag = '/var/run/reboot-required';
    if (existsSync(flag)) throw new Error(`${flag} exists on this machine already: this test would remove it`);
    mkdirSync('/var/run', { recursive: true });
    writeFileSync(flag, '*** System restart required ***\n');
    writeFileSync(`${flag}.pkgs`, 'linux-image-lab\n');
    undo.push(() => rmSync(flag, { force: true }), () => rmSync(`${flag}.pkgs`, { force: true }));

    const run = await runHost(lab, { operation: 'upgrade', 'health-timeout': '20s' });
    expect(run.exitCode).toBe(0);
    expect(versions(ordinary)).toEqual({ app1: '2', app2: '2' });
    expect(versions(security)).toEqual({ app1: '2', app2: '2' });
    expect(check(run, 'upgrade:app1')).toMatchObject({ status: 'ok', value: 2, message: '2 upgraded (1 security)' });
    expect(check(run, 'upgrade:app1')?.details).toBe('a2a-lab-dummy 1 → 2\na2a-lab-tool 1 → 2 (security)');
    expect(check(run, 'upgrade:health:app1')).toMatchObject({ status: 'ok' });
    expect(check(run, 'upgrade:health:app1')?.message).toMatch(/^After the upgrade: .*api 2\/2/);
    expect(check(run, 'upgrade:reboot:app2')).toMatchObject({ status: 'warn' });
    expect(check(run, 'upgrade:reboot:app2')?.message).toMatch(/^Reboot required by linux-image-lab/);
    expect(run.outputs['upgraded-hosts']).toBe('app1,app2');
    expect(run.outputs['reboot-required']).toBe('app1,app2');
    // One host at a time: app1's services were checked before app2's upgrade began.
    const out = run.stdout;
    expect(out.indexOf('app1: upgraded 2 packages')).toBeGreaterThan(0);
    expect(out.indexOf('app2: apt-get upgrade -y')).toBeGreaterThan(out.indexOf('app1: upgraded 2 packages'));
    // No lock left behind.
    for (const h of lab.hosts) expect(existsSync(h.lockDir)).toBe(false);
    machineUntouched();
    noSecrets(run);
  });

  it('stops before app2 when app1 is unhealthy after its upgrade (an api replica stopped by the upgrade)', async () => {
    // A dpkg hook on app1 only (its APT_CONFIG's parts dir, like /etc/apt/apt.conf.d) stops one api
    // replica once dpkg has run: an upgrade that breaks a service.
    const dir = join(lab.dir, 'hook');
    mkdirSync(dir, { recursive: true });
    const stopped = join(dir, 'stopped');
    const script = join(dir, 'stop-api.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nid=$(docker ps -q --filter label=com.docker.compose.project=a2a-app1 --filter label=com.docker.compose.service=api | head -n 1)\n[ -n "$id" ] && docker stop "$id" >/dev/null && echo "$id" >> ${stopped}\nexit 0\n`,
      { mode: 0o755 }
    );
    undo.push(plantAptConf(lab, 'app1', '99a2a-host-test', `DPkg::Post-Invoke { "${script}"; };\n`));
    undo.push(async () => {
      if (!existsSync(stopped)) return;
      for (const id of execFileSync('cat', [stopped], { encoding: 'utf8' }).trim().split('\n')) {
        await docker(['start', id]);
        expect(await waitForContainerHealth(id, 'healthy', 60_000)).toBe('healthy');
      }
    });

    const run = await runHost(lab, { operation: 'upgrade', 'health-timeout': '6s' });
    expect(run.exitCode).not.toBe(0);
    expect(existsSync(stopped)).toBe(true);
    expect(versions(ordinary)).toEqual({ app1: '2', app2: '1' });
    expect(versions(security)).toEqual({ app1: '2', app2: '1' });
    expect(check(run, 'upgrade:app1')).toMatchObject({ status: 'ok', value: 2 });
    expect(check(run, 'upgrade:health:app1')).toMatchObject({ status: 'fail' });
    expect(check(run, 'upgrade:health:app1')?.message).toMatch(/api: 1 of 2 replicas running \(a2a-app1_api_\d+ is exited\)/);
    expect(check(run, 'upgrade:app2')).toMatchObject({ status: 'warn' });
    expect(check(run, 'upgrade:app2')?.message).toMatch(/^Not upgraded: not started: app1 \(10\.213\.47\.11:22\) failed \(left as it was\)$/);
    expect(run.outputs['upgraded-hosts']).toBe('');
    expect(run.stdout).not.toContain('app2: apt-get upgrade -y');
    for (const h of lab.hosts) expect(existsSync(h.lockDir)).toBe(false);
    noSecrets(run);
  });

  it('changes nothing while another run (a deploy) holds the host lock on app2', async () => {
    const held = lab.hosts[1].lockDir;
    mkdirSync(held, { recursive: true });
    writeFileSync(join(held, 'holder.json'), `${JSON.stringify({ id: 'x', actor: 'someone', runUrl: 'https://example.invalid/run/1', purpose: 'deploy api v9', acquiredAt: new Date().toISOString() })}\n`);
    undo.push(() => rmSync(held, { recursive: true, force: true }));

    const run = await runHost(lab, { operation: 'upgrade', 'lock-wait': '0' });
    expect(run.exitCode).not.toBe(0);
    expect(check(run, 'run')?.message).toMatch(/app2 \(.*\): .*deploy\.lock is locked by someone \(https:\/\/example\.invalid\/run\/1\).*'deploy api v9'/);
    expect(versions(ordinary)).toEqual({ app1: '1', app2: '1' });
    expect(existsSync(lab.hosts[0].lockDir)).toBe(false);
    expect(existsSync(held)).toBe(true);
  });
});
