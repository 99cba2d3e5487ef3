// action-deploy's inputs through the run funnel, in process: every bad value fails the step with an
// ::error:: naming the input, before anything is contacted (an in-process SSH server given as `hosts`
// counts the connections: none), and changing operations refuse untrusted events before the private
// key is even read.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearSecretsForTest, runAction } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { definition } from '../src/main.js';
import { CHANGING } from '../src/inputs.js';

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

/** A complete, valid rollout against the in-process server; rows override what they test. */
function validInputs(): Record<string, string> {
  return {
    operation: 'rollout',
    service: 'api',
    version: 'v1.5.0',
    hosts: `127.0.0.1:${ssh.port}`,
    'ssh-user': 'deploy',
    'ssh-private-key': ssh.clientKey.privateKey,
    'ssh-fingerprint': ssh.hostKey.fingerprint,
    issue: 'off'
  };
}

interface Run {
  printed: string;
  errors: string[];
  exitCode: number | undefined;
  outputs: Record<string, string>;
  /** Connections the SSH server saw during the run. */
  connections: number;
}

/** One run; `config` is the ops config's text, written beside the run and passed as `config`. */
async function runDeploy(inputs: Record<string, string>, env: Record<string, string> = {}, config?: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-deploy-inputs-'));
  dirs.push(dir);
  if (config !== undefined) writeFileSync(join(dir, 'ops.yml'), config);
  const actionEnv = setActionEnv(config === undefined ? inputs : { ...inputs, config: join(dir, 'ops.yml') }, env, dir);
  const before = ssh.log.connections;
  capturedStdout();
  try {
    await runAction(definition);
    const printed = capturedStdout();
    return {
      printed,
      errors: printed.split('\n').filter((l) => l.startsWith('::error::')),
      exitCode: process.exitCode as number | undefined,
      outputs: actionEnv.outputs(),
      connections: ssh.log.connections - before
    };
  } finally {
    actionEnv.restore();
  }
}

describe('a valid run, for contrast', () => {
  it('connects to the host given in hosts (so zero connections below means refused first)', async () => {
    ssh.forceOutput = '';
    try {
      const r = await runDeploy({ ...validInputs(), operation: 'status', service: '', version: '' });
      expect(r.connections).toBeGreaterThan(0);
    } finally {
      ssh.forceOutput = undefined;
    }
  });
});

describe('input validation', () => {
  it.each([
    // The version goes into the env file and compose's environment: an allow-list, nothing to quote.
    { name: 'a version with a command after ;', input: 'version', value: 'v1; rm -rf /', error: "Input 'version' contains a shell metacharacter or space" },
    { name: 'a version with $(...)', input: 'version', value: '$(id)', error: "Input 'version' contains a shell metacharacter or space" },
    { name: 'a version with backticks', input: 'version', value: 'v1`id`', error: "Input 'version' contains a shell metacharacter or space" },
    { name: 'a version with a pipe', input: 'version', value: 'v1|id', error: "Input 'version' contains a shell metacharacter or space" },
    { name: 'a version with &&', input: 'version', value: 'v1&&id', error: "Input 'version' contains a shell metacharacter or space" },
    { name: 'a version with a line break', input: 'version', value: 'v1\nVERSION=evil', error: "Input 'version' contains a line break" },
    { name: 'a version with a tab', input: 'version', value: 'v1\tx', error: "Input 'version' contains a control character" },
    { name: 'a version starting with -', input: 'version', value: '--help', error: "Input 'version' starts with '-' (it would be read as an option)" },
    { name: 'a version with a fullwidth semicolon (a look-alike)', input: 'version', value: 'v1\uff1bid', error: "Input 'version' contains a non-ASCII character" },
    { name: 'a version with a one-dot leader for its dot (a look-alike)', input: 'version', value: 'v1\u20244', error: "Input 'version' contains a non-ASCII character" },
    { name: 'a version with a zero-width space', input: 'version', value: 'v1\u200b', error: "Input 'version' contains a non-ASCII character" },
    { name: 'a version with a slash', input: 'version', value: 'v1/../x', error: "Input 'version' is not allowed" },
    { name: 'a service with $(...)', input: 'service', value: 'api$(id)', error: "Input 'service' contains a shell metacharacter or space" },
    { name: 'a service that is an ssh option', input: 'service', value: '-oProxyCommand=x', error: "Input 'service' starts with '-'" },
    { name: 'a service with a Cyrillic a (a look-alike)', input: 'service', value: '\u0430pi', error: "Input 'service' contains a non-ASCII character" },
    { name: 'a service with a space', input: 'service', value: 'api worker', error: "Input 'service' contains a shell metacharacter or space" },
    { name: 'an unknown operation', input: 'operation', value: 'deploy', error: "Input 'operation' must be one of 'rollout', 'rollback', 'restart', 'scale', 'status', 'logs', 'update-images', got 'deploy'" },
    { name: 'a rollout without a version', input: 'version', value: '', error: "Input 'version' is required for a rollout: the image tag to deploy, e.g. 'v2.3.1'." },
    { name: 'a rollout without a service', input: 'service', value: '', error: "Input 'service' is required for operation 'rollout'" },
    { name: 'a rollout to 0 replicas', input: 'replicas', value: '0', error: "Input 'replicas' is 0: only 'scale' may stop a service entirely" },
    { name: 'a negative replica count', input: 'replicas', value: '-1', error: "Input 'replicas' must be at least 0, got -1." },
    { name: 'replicas that are not a number', input: 'replicas', value: 'two', error: "Input 'replicas' must be a whole number, got 'two'." },
    { name: 'a health timeout without its unit', input: 'health-timeout', value: '5', error: "Input 'health-timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '5' (write '5ms' or '5s')." },
    { name: 'a health timeout under a second', input: 'health-timeout', value: '500ms', error: "Input 'health-timeout' must be between 1s and 30m, got 500ms." },
    { name: 'a health URL on ftp', input: 'health-url', value: 'ftp://api.a2aworld.ai/health', error: "Input 'health-url' must be an http or https URL, got 'ftp:'." },
    { name: 'a health URL on file', input: 'health-url', value: 'file:///etc/passwd', error: "Input 'health-url' must be an http or https URL, got 'file:'." },
    { name: 'a health URL that is no URL', input: 'health-url', value: 'api.a2aworld.ai/health', error: "Input 'health-url' is not a URL" },
    { name: 'break-lock: yes (not a YAML 1.2 boolean)', input: 'break-lock', value: 'yes', error: "Input 'break-lock' must be 'true' or 'false' (YAML 1.2 booleans), got 'yes'." },
    { name: 'a lock wait without its unit', input: 'lock-wait', value: '30', error: "Input 'lock-wait' must be a duration with its unit" },
    { name: 'max-parallel 0', input: 'max-parallel', value: '0', error: "Input 'max-parallel' must be at least 1, got 0." },
    { name: 'a project directory with ..', input: 'project-dir', value: '/opt/a2a-world/../etc', error: "Input 'project-dir' contains a '..' segment" },
    { name: 'an env file with $(...)', input: 'env-file', value: '.env$(id)', error: "Input 'env-file' contains a shell metacharacter or space" },
    { name: 'a compose file starting with -', input: 'compose-file', value: '-f/etc/passwd', error: "Input 'compose-file' starts with '-'" }
  ])('refuses $name before connecting to any host', async ({ input, value, error }) => {
    const r = await runDeploy({ ...validInputs(), [input]: value });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`::error::${error}`);
    expect(r.outputs.status).toBe('fail');
    expect(r.outputs.report).toBeUndefined();
    expect(r.connections).toBe(0);
  });

  it.each([
    { name: 'scale without replicas', inputs: { operation: 'scale', replicas: '' } as Record<string, string>, error: "Input 'replicas' is required for operation 'scale': the number of replicas the service should run." },
    { name: 'restart without a service', inputs: { operation: 'restart', service: '' }, error: "Input 'service' is required for operation 'restart'" },
    { name: 'rollback without a service', inputs: { operation: 'rollback', service: '' }, error: "Input 'service' is required for operation 'rollback'" },
    { name: 'restart to 0 replicas', inputs: { operation: 'restart', replicas: '0' }, error: "Input 'replicas' is 0: only 'scale' may stop a service entirely; a restart needs at least one replica." }
  ])('refuses $name before connecting to any host', async ({ inputs, error }) => {
    const r = await runDeploy({ ...validInputs(), ...inputs });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toContain(`::error::${error}`);
    expect(r.connections).toBe(0);
  });

  describe("with the config's services.api.replicas at 0", () => {
    const config = 'services:\n  api:\n    replicas: 0\n';

    it.each(['rollout', 'rollback'])('refuses a %s, which would write the version and start nothing', async (operation) => {
      const r = await runDeploy({ ...validInputs(), operation }, {}, config);
      expect(r.exitCode).toBe(1);
      expect(r.errors).toEqual([
        `::error::The ops config's services.api.replicas is 0: a ${operation} needs at least one replica; pass 'replicas' or scale the service up first.`
      ]);
      expect(r.connections).toBe(0);
    });

    it('lets a replicas input win over the config and go on to the hosts', async () => {
      ssh.forceOutput = '';
      try {
        const r = await runDeploy({ ...validInputs(), replicas: '2' }, {}, config);
        expect(r.printed).not.toContain('replicas is 0');
        expect(r.connections).toBeGreaterThan(0);
      } finally {
        ssh.forceOutput = undefined;
      }
    });
  });

  it.each([
    ['v1; rm -rf /', 'rm -rf'],
    ['$(id)', '$(id)'],
    ['v1`id`', '`id`'],
    ['api$(id)', '$(id)']
  ])('never echoes the dangerous part of %j back in the error', async (value, dangerous) => {
    const input = value.startsWith('api') ? 'service' : 'version';
    const r = await runDeploy({ ...validInputs(), [input]: value });
    expect(r.errors[0]).toContain(`Input '${input}'`);
    expect(r.errors[0]).not.toContain(dangerous);
  });
});

describe('untrusted events', () => {
  const rows = CHANGING.flatMap((operation) => ['pull_request', 'pull_request_target', 'workflow_run'].map((event) => ({ operation, event })));

  it.each(rows)("refuses '$operation' on $event before the private key is read", async ({ operation, event }) => {
    const key = `not-a-private-key-${operation}-${event}`;
    const r = await runDeploy({ ...validInputs(), operation, replicas: '2', 'ssh-private-key': key }, { GITHUB_EVENT_NAME: event });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      `::error::action-deploy '${operation}' changes production and refuses to run on '${event}' events: trigger it from workflow_dispatch, schedule or push to the default branch.`
    ]);
    // Read, the key would have been registered as a secret (an ::add-mask:: line) and refused as no key.
    expect(r.printed).not.toContain(`::add-mask::${key}`);
    expect(r.printed).not.toContain('ssh-private-key');
    expect(r.connections).toBe(0);
  });

  it.each(['status', 'logs'])('lets read-only %s run on pull_request: the same bad key is what fails it', async (operation) => {
    const key = `not-a-private-key-${operation}-pull_request`;
    const r = await runDeploy({ ...validInputs(), operation, service: '', version: '', 'ssh-private-key': key }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(r.exitCode).toBe(1);
    expect(r.printed).toContain(`::add-mask::${key}`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^::error::Input 'ssh-private-key' is not a private key/);
    expect(r.printed).not.toContain('refuses to run');
  });

  it.each(['push', 'schedule', 'workflow_dispatch'])('lets a rollout get as far as the key on %s', async (event) => {
    const key = `not-a-private-key-rollout-${event}`;
    const r = await runDeploy({ ...validInputs(), 'ssh-private-key': key }, { GITHUB_EVENT_NAME: event });
    expect(r.errors[0]).toMatch(/^::error::Input 'ssh-private-key' is not a private key/);
    expect(r.connections).toBe(0);
  });
});
