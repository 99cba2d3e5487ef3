// SSH faults on real sshd hosts: key change, killed session, network blackhole (lab part `hosts`).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { HostKeyMismatchError, HostKeyPolicy, SshSession, assertSucceeded, type HostTarget, type SshConnectParams } from '../src/index.js';
import { blackhole, changeHostKey, killSshSessions, labHost, pidsWithMarker, readHostsLab, type LabHost } from '../../test-support/lab-faults.js';

let params: SshConnectParams;
let host: LabHost;
let target: HostTarget;

beforeAll(() => {
  const lab = readHostsLab();
  host = labHost('app2');
  target = { name: host.name, address: host.address, port: host.port, user: lab.user };
  params = {
    auth: { privateKey: readFileSync(lab.privateKeyPath, 'utf8') },
    hostKeys: HostKeyPolicy.fromInputs({ fingerprint: host.fingerprint }),
    options: { connectTimeoutMs: 5000, commandTimeoutMs: 60_000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 0, connectRetryDelayMs: 200, parallel: 1 }
  };
});

function killMarked(marker: string): void {
  for (const pid of pidsWithMarker(marker)) process.kill(pid, 'SIGKILL');
}

describe('host key change', () => {
  it('aborts before authentication and shows the expected and presented fingerprints', async () => {
    const { newFingerprint, undo } = await changeHostKey(host);
    const logBefore = readFileSync(host.sshdLog, 'utf8').length;
    try {
      const error = await SshSession.connect(target, params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyMismatchError);
      expect((error as Error).message).toContain(`expected ${host.fingerprint}`);
      expect((error as Error).message).toContain(`presented ${newFingerprint}`);
      // sshd (LogLevel VERBOSE) logs every public key offered; none was.
      const log = readFileSync(host.sshdLog, 'utf8').slice(logBefore);
      expect(log).not.toMatch(/publickey/i);
      expect(log).not.toMatch(/Accepted/);
    } finally {
      await undo();
    }
    // The original key is back: the pinned fingerprint works again.
    const session = await SshSession.connect(target, params);
    expect((await session.exec('echo back')).stdout).toBe('back\n');
    await session.close();
  });
});

describe('sshd session killed mid-command', () => {
  it('reports code null, fails as outcome unknown, and a follow-up shows the real remote state', async () => {
    const marker = `a2a-lab-killed-${process.pid}-${Date.now()}`;
    const session = await SshSession.connect(target, params);
    try {
      const running = session.exec(`sleep 60 # ${marker}`, { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 700));
      expect(killSshSessions(host).length).toBeGreaterThan(0);
      const r = await running;
      expect(r.code).toBeNull();
      expect(r.timedOut).toBe(false);
      expect(() => assertSucceeded(target.name, 'deploy step', r)).toThrow(/deploy step on app2 ended without an exit status: outcome unknown/);
      // Follow-up on a new connection: the command is in fact still running on the host.
      const check = await SshSession.connect(target, params);
      const state = await check.exec(`pgrep -f ${marker} >/dev/null && echo still-running || echo gone`);
      await check.close();
      expect(state.stdout).toBe('still-running\n');
    } finally {
      killMarked(marker);
      await session.close();
    }
  });
});

describe('network blackhole mid-command', () => {
  it('is detected by keepalive within interval x countMax, as outcome unknown', async () => {
    const marker = `a2a-lab-blackhole-${process.pid}-${Date.now()}`;
    const session = await SshSession.connect(target, params);
    let undo: (() => void) | undefined;
    try {
      const running = session.exec(`sleep 60 # ${marker}`, { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 500));
      undo = blackhole(host);
      const cut = Date.now();
      const r = await running;
      const detectedMs = Date.now() - cut;
      expect(r.code).toBeNull();
      expect(r.timedOut).toBe(false);
      expect(r.connectionError).toMatch(/keepalive/i);
      const bound = params.options.keepaliveIntervalMs * (params.options.keepaliveCountMax + 1);
      expect(detectedMs).toBeLessThanOrEqual(bound + 1000);
      expect(() => assertSucceeded(target.name, 'migration', r)).toThrow(/outcome unknown/);
    } finally {
      undo?.();
      killMarked(marker);
      await session.close();
    }
  });
});
