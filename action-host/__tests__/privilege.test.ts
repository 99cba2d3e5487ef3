// How a command runs as root on a host, run for real by /bin/sh with stand-in `id`, `sudo` and `apt-get`
// on PATH: through `sudo -n` (variables on sudo's command line) for a normal user, directly through `env`
// for root; arguments arrive intact whatever they contain; and sudo's refusals explained.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { hostLockPath } from '../../shared/src/index.js';
import { asRoot, explainSudo } from '../src/hosts/open-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'a2a-host-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bin(name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}
bin('sudo', 'printf "sudo:"; for a in "$@"; do printf " [%s]" "$a"; done; echo');
bin('apt-get', 'printf "apt-get as root: DEBIAN_FRONTEND=%s;" "$DEBIAN_FRONTEND"; for a in "$@"; do printf " [%s]" "$a"; done; echo');
const run = (uid: number, command: string): string => {
  bin('id', `echo ${uid}`);
  return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } }).trim();
};

describe('asRoot', () => {
  const command = asRoot(['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'upgrade'], { DEBIAN_FRONTEND: 'noninteractive' });

  it('goes through sudo -n for a normal user, with the variables on its command line', () => {
    expect(run(1001, command)).toBe('sudo: [-n] [DEBIAN_FRONTEND=noninteractive] [apt-get] [-o] [DPkg::Lock::Timeout=300] [upgrade]');
  });

  it('runs directly (through env) as root', () => {
    expect(run(0, command)).toBe('apt-get as root: DEBIAN_FRONTEND=noninteractive; [-o] [DPkg::Lock::Timeout=300] [upgrade]');
  });

  it('passes arguments with spaces, quotes and $(...) intact', () => {
    expect(run(1001, asRoot(['cat', "/tmp/it's $(id) `x`/r.dat"]))).toBe("sudo: [-n] [cat] [/tmp/it's $(id) `x`/r.dat]");
  });
});

describe('explainSudo', () => {
  it.each([
    ['sudo: a password is required', true],
    ['sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper', true],
    ['deploy is not in the sudoers file.  This incident will be reported.\nsudo: deploy is not in the sudoers file', true],
    ["Sorry, user deploy is not allowed to execute '/usr/sbin/lynis audit system' as root on app1.", true],
    ['E: Could not get lock /var/lib/dpkg/lock-frontend', false],
    ['', false]
  ])('%j is a sudo refusal: %s', (stderr, refused) => {
    const text = explainSudo(stderr, 'apt-get upgrade');
    expect(text !== undefined).toBe(refused);
    if (refused) expect(text).toMatch(/^apt-get upgrade needs root: the SSH user must run it through passwordless sudo \(sudo said: /);
  });
});

describe('hostLockPath', () => {
  it.each([
    ['/opt/a2a-world', '/opt/a2a-world/.a2a-ops/deploy.lock'],
    ['/opt/a2a-world/', '/opt/a2a-world/.a2a-ops/deploy.lock']
  ])('is the deploy lock in %s (so deploys and upgrades exclude each other)', (dir, path) => {
    expect(hostLockPath(dir)).toBe(path);
  });
});
