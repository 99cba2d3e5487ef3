// The committed bundle (dist/index.js) run as the runner runs it, against the lab's endpoints, SSH
// hosts and the GitHub stand-in: the incident lifecycle end to end, and no secret in anything it wrote.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { readLabPart } from '../../test-support/lab.js';
import { readHostsLab, type HostsLab } from '../../test-support/lab-faults.js';
import { runBundle } from '../../test-support/run-bundle.js';

let web: { url: string };
let hosts: HostsLab;
let github: GitHubStandin;
let stateDir: string;

beforeAll(async () => {
  web = readLabPart<{ url: string }>('http');
  hosts = readHostsLab();
  github = await startGitHubStandin();
  stateDir = mkdtempSync(join(tmpdir(), 'a2a-health-bundle-'));
});
afterAll(async () => {
  await github?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the health bundle', () => {
  it('opens one issue on failure, counts it in the body when it fails again, closes it with the downtime on recovery', async () => {
    const url = `${web.url}/flaky/bundle-${process.pid}-${Date.now()}?fail=2`;
    const env = {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_EVENT_NAME: 'schedule',
      A2A_OPS_STATE_DIR: stateDir
    };
    const inputs = { urls: url, retries: '0', 'github-token': github.token, 'expected-interval': '1h' };
    const issues = (): typeof github.state.issues => github.state.issues.filter((i) => (i.body ?? '').includes(url));

    const first = await runBundle('health', inputs, env);
    expect([first.exitCode, first.outputs.status, first.outputs['failed-checks']]).toEqual([1, 'fail', `http:${url}`]);
    expect(issues().map((i) => i.state)).toEqual(['open']);

    const second = await runBundle('health', inputs, env);
    expect(second.exitCode).toBe(1);
    expect(issues()).toHaveLength(1);
    // The same failure again: no new comment (the comment interval), the body counts the failing runs.
    const comments = (): string[] => github.state.comments.filter((c) => c.issueNumber === issues()[0].number).map((c) => c.body);
    expect(comments()).toEqual([]);
    expect(issues()[0].body).toMatch(/Failing runs \| 2/);

    const third = await runBundle('health', inputs, env);
    expect([third.exitCode, third.outputs.status]).toEqual([0, 'ok']);
    expect(issues().map((i) => i.state)).toEqual(['closed']);
    expect(comments()[0]).toMatch(/Recovered after \d+ (ms|s) \(failing since /);
    expect(third.summary).toContain('xychart-beta');
    expect(github.violations).toEqual([]);
  });

  it('checks the lab hosts over SSH and leaves the private key out of logs, outputs and summary', async () => {
    const key = readFileSync(hosts.privateKeyPath, 'utf8');
    const r = await runBundle('health', {
      hosts: hosts.hosts.map((h) => `${hosts.user}@${h.address}:${h.port}`).join('\n'),
      'ssh-private-key': key,
      'ssh-fingerprint': hosts.hosts.map((h) => h.fingerprint).join('\n'),
      'compose-project': 'none',
      'sample-count': '1',
      issue: 'off',
      'fail-on': 'never'
    });
    expect(r.exitCode).toBe(0);
    expect(r.report?.checks.filter((c) => c.id.endsWith(':memory')).map((c) => c.status)).toHaveLength(hosts.hosts.length);
    const keyLines = key.split('\n').filter((l) => l.trim() && !l.startsWith('-----'));
    for (const text of [r.stdout.replace(/::add-mask::.*\n/g, ''), r.stderr, JSON.stringify(r.outputs), r.summary]) {
      for (const line of keyLines) expect(text.includes(line)).toBe(false);
    }
  });

  it('unlocks a key that ssh-keygen encrypted with a passphrase, and never prints the passphrase', async () => {
    // A copy of the lab key, encrypted the way users do it (ssh-keygen's default: bcrypt KDF, aes256-ctr).
    const encryptedKey = join(stateDir, 'id_encrypted');
    copyFileSync(hosts.privateKeyPath, encryptedKey);
    chmodSync(encryptedKey, 0o600);
    const passphrase = `lab pass ${process.pid} ;$(x)`;
    execFileSync('ssh-keygen', ['-p', '-q', '-P', '', '-N', passphrase, '-f', encryptedKey]);
    const key = readFileSync(encryptedKey, 'utf8');
    expect(key).toContain('BEGIN OPENSSH PRIVATE KEY');
    const inputs = {
      hosts: `${hosts.user}@${hosts.hosts[0].address}:${hosts.hosts[0].port}`,
      'ssh-private-key': key,
      'ssh-fingerprint': hosts.hosts[0].fingerprint,
      'compose-project': 'none',
      'sample-count': '1',
      issue: 'off',
      'fail-on': 'never'
    };
    const unlocked = await runBundle('health', { ...inputs, 'ssh-passphrase': passphrase });
    expect(unlocked.exitCode).toBe(0);
    // A measured memory figure means the host was reached and read over the unlocked key.
    expect(typeof unlocked.report?.checks.find((c) => c.id.endsWith(':memory'))?.value).toBe('number');
    const printed = [unlocked.stdout.replace(/::add-mask::.*\n/g, ''), unlocked.stderr, JSON.stringify(unlocked.outputs), unlocked.summary].join('\n');
    expect(printed).not.toContain(passphrase);

    const locked = await runBundle('health', inputs);
    expect(locked.exitCode).toBe(1);
    expect(locked.stdout).toMatch(/::error::Input 'ssh-private-key' could not be read: .*pass its passphrase in 'ssh-passphrase'/);
  });
});
