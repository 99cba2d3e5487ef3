// action-host killed outright (SIGKILL, past the runner's grace window) in the middle of an upgrade, while
// it holds the host lock on both lab hosts: the post step, given the killed step's state as a runner
// passes it, releases exactly those locks, so deploys are not blocked. A dpkg hook on app1 (its private
// apt config) keeps its apt-get busy for a few seconds so the kill lands mid-upgrade.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeDeployLab } from '../../test-support/deploy-lab.js';
import { installedVersion, openHostLab, plantAptConf, resetAptWorld, startHost, type HostLab } from '../../test-support/host-lab.js';

let lab: HostLab;
let unplant: (() => void) | undefined;

beforeAll(() => {
  lab = openHostLab();
  resetAptWorld(lab);
});
afterAll(async () => {
  unplant?.();
  // Let app1's apt-get (left running on the host, as a killed runner leaves it) finish before the reset.
  for (let i = 0; i < 40 && installedVersion(lab, 'app1', 'a2a-lab-dummy') !== '2'; i++) await sleep(500);
  resetAptWorld(lab);
  closeDeployLab(lab);
});

describe('a killed upgrade', () => {
  it('leaves its host locks to the post step, which releases them', async () => {
    const dir = join(lab.dir, 'hook');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'slow.sh'), '#!/bin/sh\nsleep 6\n', { mode: 0o755 });
    unplant = plantAptConf(lab, 'app1', '99a2a-host-test-slow', `DPkg::Pre-Invoke { "${join(dir, 'slow.sh')}"; };\n`);

    const main = startHost(lab, { operation: 'upgrade' });
    await main.printed('app1: apt-get upgrade -y');
    for (const h of lab.hosts) expect([h.name, existsSync(h.lockDir)]).toEqual([h.name, true]);
    main.child.kill('SIGKILL');
    const killed = await main.exited;
    expect(killed.signal).toBe('SIGKILL');
    for (const h of lab.hosts) expect([h.name, existsSync(h.lockDir)]).toEqual([h.name, true]);

    const post = startHost(lab, { operation: 'upgrade' }, { post: { stateFile: main.stateFile } });
    const done = await post.exited;
    expect(done.code).toBe(0);
    expect(done.output).toContain('Post: release the host lock on app1: done (the main step had not finished it).');
    expect(done.output).toContain('Post: release the host lock on app2: done (the main step had not finished it).');
    for (const h of lab.hosts) expect([h.name, existsSync(h.lockDir)]).toEqual([h.name, false]);
    // app2 was never started.
    expect(installedVersion(lab, 'app2', 'a2a-lab-dummy')).toBe('1');
  });
});
