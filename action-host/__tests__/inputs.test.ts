// action-host's inputs through the run funnel, in process: every bad value fails the step with one
// ::error:: naming the input and the fix, before any host is contacted (an in-process SSH server given as
// `hosts` counts the connections: none), and every operation refuses untrusted events before the private
// key is even read (each one runs as root on the hosts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearSecretsForTest, runAction } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { definition } from '../src/main.js';
import { OPERATIONS } from '../src/inputs.js';

let ssh: TestSshServer;
const dirs: string[] = [];

beforeAll(async () => {
  ssh = await startSshServer({ user: 'deploy' });
});
afterAll(async () => {
  await ssh?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => clearSecretsForTest());

function validInputs(): Record<string, string> {
  return {
    operation: 'cleanup',
    'dry-run': 'true',
    hosts: `127.0.0.1:${ssh.port}`,
    'ssh-user': 'deploy',
    'ssh-private-key': ssh.clientKey.privateKey,
    'ssh-fingerprint': ssh.hostKey.fingerprint,
    issue: 'off'
  };
}

async function runHost(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<{ errors: string[]; printed: string; exitCode: number | undefined; outputs: Record<string, string>; connections: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-host-inputs-'));
  dirs.push(dir);
  const actionEnv = setActionEnv(inputs, env, dir);
  const before = ssh.log.connections;
  capturedStdout();
  try {
    await runAction(definition);
    const printed = capturedStdout();
    return { printed, errors: printed.split('\n').filter((l) => l.startsWith('::error::')), exitCode: process.exitCode as number | undefined, outputs: actionEnv.outputs(), connections: ssh.log.connections - before };
  } finally {
    actionEnv.restore();
    process.exitCode = undefined;
  }
}

describe('a valid run, for contrast', () => {
  it('connects to the host given in hosts (so zero connections below means refused first)', async () => {
    ssh.forceOutput = '';
    try {
      const r = await runHost(validInputs());
      expect(r.connections).toBeGreaterThan(0);
    } finally {
      ssh.forceOutput = undefined;
    }
  });
});

describe('input validation', () => {
  it.each([
    { name: 'no operation', input: 'operation', value: '', error: "Input 'operation' is required: one of 'upgrade', 'audit', 'cleanup'." },
    { name: 'an unknown operation', input: 'operation', value: 'dist-upgrade', error: "Input 'operation' must be one of 'upgrade', 'audit', 'cleanup', got 'dist-upgrade'." },
    { name: 'dry-run: yes', input: 'dry-run', value: 'yes', error: "Input 'dry-run' must be 'true' or 'false' (YAML 1.2 booleans), got 'yes'." },
    { name: 'reboot: maybe', input: 'reboot', value: 'maybe', error: "Input 'reboot' must be 'true' or 'false'" },
    { name: 'a dpkg lock timeout without its unit', input: 'dpkg-lock-timeout', value: '300', error: "Input 'dpkg-lock-timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '300' (write '300ms' or '300s')." },
    { name: 'a dpkg lock timeout over an hour', input: 'dpkg-lock-timeout', value: '2h', error: "Input 'dpkg-lock-timeout' must be between 0ms and 1h, got 2h." },
    { name: 'an apt timeout under a minute', input: 'apt-timeout', value: '10s', error: "Input 'apt-timeout' must be between 1m and 3h, got 10s." },
    { name: 'a health timeout in weeks', input: 'health-timeout', value: '2w', error: "Input 'health-timeout' must be a duration with its unit" },
    { name: 'a reboot timeout of 5 s', input: 'reboot-timeout', value: '5s', error: "Input 'reboot-timeout' must be between 30s and 1h, got 5s." },
    { name: 'an image age of forever', input: 'image-age', value: 'forever', error: "Input 'image-age' must be a duration with its unit" },
    { name: 'keep-images 0 (the rollback image must stay)', input: 'keep-images', value: '0', error: "Input 'keep-images' must be at least 1, got 0." },
    { name: 'a disk threshold over 100', input: 'disk-threshold', value: '101', error: "Input 'disk-threshold' must be at most 100, got 101." },
    { name: 'a journal size without its unit', input: 'journal-max-size', value: '500', error: "Input 'journal-max-size' must be a size with its unit, such as '500M', '2G' or '100MiB', got '500' (write '500M' for megabytes)." },
    { name: 'a journal size under 16M', input: 'journal-max-size', value: '1M', error: "Input 'journal-max-size' must be at least 16M" },
    { name: 'a backup retention without a backup directory', input: 'backup-retention', value: 'last=3', error: "Input 'backup-retention' needs 'backup-dir'" },
    { name: 'a backup directory without a retention', input: 'backup-dir', value: '/opt/a2a-world/backups', error: "Input 'backup-dir' needs 'backup-retention'" },
    { name: 'a backup directory with $(...)', input: 'backup-dir', value: '/opt/$(id)', error: "Input 'backup-dir' contains a shell metacharacter or space" },
    { name: 'a project directory with ..', input: 'project-dir', value: '/opt/a2a-world/../etc', error: "Input 'project-dir' contains a '..' segment" },
    { name: 'a lock wait without its unit', input: 'lock-wait', value: '30', error: "Input 'lock-wait' must be a duration with its unit" }
  ])('refuses $name before connecting to any host', async ({ input, value, error }) => {
    const r = await runHost({ ...validInputs(), [input]: value });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`::error::${error}`);
    expect(r.outputs.status).toBe('fail');
    expect(r.connections).toBe(0);
  });

  it.each([
    { retention: 'daily=x', error: "Input 'backup-retention': daily must be a whole number from 0 to 3650, got 'x'." },
    { retention: 'hourly=3', error: "Input 'backup-retention': unknown key 'hourly'" },
    { retention: 'last=0', error: "Input 'backup-retention' keeps no backup at all" }
  ])('refuses the retention $retention through the backup core before connecting', async ({ retention, error }) => {
    const r = await runHost({ ...validInputs(), 'backup-dir': '/opt/a2a-world/backups', 'backup-retention': retention });
    expect(r.errors[0]).toContain(`::error::${error}`);
    expect(r.connections).toBe(0);
  });
});

describe('untrusted events', () => {
  it.each(OPERATIONS.flatMap((operation) => ['pull_request', 'pull_request_target', 'workflow_run'].map((event) => ({ operation, event }))))(
    'refuses $operation on $event before the key is read',
    async ({ operation, event }) => {
      const r = await runHost({ ...validInputs(), operation, 'ssh-private-key': 'not a key at all' }, { GITHUB_EVENT_NAME: event });
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toContain(`::error::action-host '${operation}' changes production and refuses to run on '${event}' events`);
      expect(r.connections).toBe(0);
    }
  );
});
