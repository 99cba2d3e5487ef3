// What action-deploy refuses before it changes anything, against the lab's two hosts, run as the committed
// bundle: inputs that try to smuggle shell or ssh options (refused before any connection: the lab sshds
// log nothing), and a host key that is not the pinned one (refused in the handshake).
import { statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { changeHostKey } from '../../test-support/lab-faults.js';
import { closeDeployLab, openDeployLab, readHostState, resetLabApi, runDeploy, type DeployLab, type HostState } from '../../test-support/deploy-lab.js';

let lab: DeployLab;

beforeAll(async () => {
  lab = openDeployLab();
  await resetLabApi(lab);
});
afterAll(async () => {
  try {
    await resetLabApi(lab, { names: true });
  } finally {
    closeDeployLab(lab);
  }
});

/** What must not change: each host's env VERSION, api container ids, audit length, lock, and its sshd log. */
async function untouched(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const h of lab.hosts) {
    const s: HostState = await readHostState(h);
    out[h.name] = { version: s.version, ids: s.api.map((c) => c.id).sort(), audit: s.audit.length, locked: s.locked };
  }
  return out;
}
const sshdLogSizes = (): number[] => lab.hosts.map((h) => statSync(h.ssh.sshdLog).size);

describe('inputs that try to inject', () => {
  const SERVICE_RULE = "it must be letters, digits, '_', '.', '-' (up to 63, not starting with '-' or '.').";
  it.each([
    ['a shell command after the version', { operation: 'rollout', version: 'v1; rm -rf /' }, "Input 'version' contains a shell metacharacter or space; it must be a version such as 'v1.4.2': letters, digits, '_', '.', '-'."],
    ['a command substitution in the service', { operation: 'restart', service: 'api$(id)' }, `Input 'service' contains a shell metacharacter or space; ${SERVICE_RULE}`],
    ['an ssh option as the service', { operation: 'scale', service: '-oProxyCommand=x', replicas: '2' }, `Input 'service' starts with '-' (it would be read as an option); ${SERVICE_RULE}`]
  ])('refuses %s within a second, naming the input, before any host is contacted', async (_what, inputs, error) => {
    const before = await untouched();
    const logs = sshdLogSizes();
    const run = await runDeploy(lab, inputs);

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('fail');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([`::error::${error}`]);
    // Refused while reading inputs: no report of checks, no connection (the sshd logs did not grow).
    expect(run.outputs.report).toBeUndefined();
    expect(sshdLogSizes()).toEqual(logs);
    expect(run.ms).toBeLessThan(1000);
    expect(await untouched()).toEqual(before);
  });
});

describe('host keys', () => {
  it('refuses a host whose key is not the pinned fingerprint, naming the expected and the presented one, and changes nothing', async () => {
    const before = await untouched();
    const pinned = `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    const run = await runDeploy(lab, { operation: 'rollout', version: 'v2', 'ssh-fingerprint': pinned });

    expect(run.exitCode).toBe(1);
    const message = String(run.report?.checks.find((c) => c.id === 'run')?.message);
    const named = /Host key of (app[12]) /.exec(message)?.[1];
    const host = lab.hosts.find((h) => h.name === named);
    expect(message).toBe(
      `The run stopped: Host key of ${named} (${host?.ssh.address}:22) does not match the pinned key: expected ${pinned}, presented ${host?.ssh.fingerprint} (ssh-ed25519). ` +
        "The connection was aborted during the handshake, before authentication. If the key was rotated on purpose, update 'ssh-fingerprint' or 'ssh-known-hosts'; otherwise treat this as a possible man-in-the-middle."
    );
    expect(await untouched()).toEqual(before);
  });

  it("refuses a host whose key changed since it was pinned, naming the expected and the presented one, and changes nothing on either host", async () => {
    const before = await untouched();
    const app1 = lab.hosts[0];
    const rotated = await changeHostKey(app1.ssh);
    let run;
    try {
      run = await runDeploy(lab, { operation: 'rollout', version: 'v2' });
    } finally {
      await rotated.undo();
    }

    expect(run.exitCode).toBe(1);
    expect(run.report?.checks.find((c) => c.id === 'run')?.message).toBe(
      `The run stopped: Host key of app1 (${app1.ssh.address}:22) does not match the pinned key: expected ${lab.hosts.map((h) => h.ssh.fingerprint).join(' or ')}, ` +
        `presented ${rotated.newFingerprint} (ssh-ed25519). The connection was aborted during the handshake, before authentication. ` +
        "If the key was rotated on purpose, update 'ssh-fingerprint' or 'ssh-known-hosts'; otherwise treat this as a possible man-in-the-middle."
    );
    expect(await untouched()).toEqual(before);
  });
});
