// action-host `upgrade` when another apt holds app1's dpkg lock (as unattended-upgrades does): apt waits
// dpkg-lock-timeout for it, then the run stops naming the lock; app1 keeps version 1 and app2 is never
// started. The lock is held with fcntl, as apt and dpkg take it, on app1's own `lock-frontend`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeDeployLab } from '../../test-support/deploy-lab.js';
import { installedVersion, openHostLab, resetAptWorld, runHost, type HostLab } from '../../test-support/host-lab.js';

let lab: HostLab;
let holder: ChildProcess | undefined;

beforeAll(() => {
  lab = openHostLab();
  resetAptWorld(lab);
});
afterAll(() => {
  holder?.kill('SIGKILL');
  resetAptWorld(lab);
  closeDeployLab(lab);
});

describe('a held dpkg lock', () => {
  it('is waited for up to dpkg-lock-timeout, then stops the rollout naming it', async () => {
    const lock = join(lab.apt.hosts[0].admindir, 'lock-frontend');
    holder = spawn('python3', ['-c', `import fcntl,sys,time\nf=open(${JSON.stringify(lock)},'a')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('held',flush=True)\ntime.sleep(120)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder?.stdout?.once('data', () => resolve()));

    const started = Date.now();
    const run = await runHost(lab, { operation: 'upgrade', 'dpkg-lock-timeout': '3s' });
    const ms = Date.now() - started;
    expect(run.exitCode).not.toBe(0);
    const failed = run.report?.checks.find((c) => c.id === 'upgrade:app1');
    expect(failed?.status).toBe('fail');
    expect(failed?.message).toMatch(/app1 \(10\.213\.47\.11:22\): apt-get upgrade: the dpkg lock stayed held by another process past dpkg-lock-timeout: .*lock-frontend/);
    expect(run.report?.checks.find((c) => c.id === 'upgrade:app2')?.message).toMatch(/^Not upgraded: not started: app1/);
    expect(installedVersion(lab, 'app1', 'a2a-lab-dummy')).toBe('1');
    expect(installedVersion(lab, 'app2', 'a2a-lab-dummy')).toBe('1');
    // It waited (about the 3 s asked for), and not much longer.
    expect(run.stdout).toContain('app1: apt-get upgrade -y');
    expect(ms).toBeGreaterThan(3000);
    expect(ms).toBeLessThan(60_000);
    for (const h of lab.hosts) expect(existsSync(h.lockDir)).toBe(false);
  });
});
