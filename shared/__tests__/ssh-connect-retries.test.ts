// Connect retries on the core's withRetries: connect-phase failures are retried a bounded number of times
// with growing waits, and a host-key mismatch never is (issue 14). Attempts are counted at the servers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HostKeyMismatchError, HostKeyPolicy, SshConnectError, SshSession, type HostTarget, type SshOptions } from '../src/index.js';
import { generateKeyPair, startResettingServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

const OPTIONS: SshOptions = {
  connectTimeoutMs: 3000,
  commandTimeoutMs: 20_000,
  keepaliveIntervalMs: 1000,
  keepaliveCountMax: 3,
  connectRetries: 3,
  connectRetryDelayMs: 50,
  parallel: 1
};

let target: TestSshServer;
let jump: TestSshServer;

function targetOf(s: TestSshServer, name: string): HostTarget {
  return { name, address: s.address, port: s.port, user: s.user };
}

beforeAll(async () => {
  target = await startSshServer();
  jump = await startSshServer({ clientKey: target.clientKey, allowForwarding: true });
});
afterAll(async () => {
  await target.close();
  await jump.close();
});

describe('a host-key mismatch is never retried', () => {
  const stranger = generateKeyPair();
  // Fingerprints pinned with `ssh-fingerprint` are valid for every host: leaving one host's key out makes it the mismatch.
  it.each([
    { where: 'on a direct connection', pinned: () => [stranger.fingerprint], viaJump: false, mismatched: () => target, expected: { target: 1, jump: 0 } },
    { where: 'on the target behind a jump host', pinned: () => [jump.hostKey.fingerprint], viaJump: true, mismatched: () => target, expected: { target: 1, jump: 1 } },
    { where: 'on the jump host itself', pinned: () => [target.hostKey.fingerprint], viaJump: true, mismatched: () => jump, expected: { target: 0, jump: 1 } }
  ])('makes exactly one connection attempt $where, even with connectRetries 3', async ({ pinned, viaJump, mismatched, expected }) => {
    const before = { target: target.log.connections, jump: jump.log.connections, auth: mismatched().log.authAttempts };
    const error = await SshSession.connect(targetOf(target, 'app'), {
      auth: { privateKey: target.clientKey.privateKey },
      hostKeys: HostKeyPolicy.fromInputs({ fingerprint: pinned().join('\n') }),
      options: { ...OPTIONS, ...(viaJump ? { jumpHost: targetOf(jump, 'bastion') } : {}) }
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect((error as HostKeyMismatchError).presented).toBe(mismatched().hostKey.fingerprint);
    expect({ target: target.log.connections - before.target, jump: jump.log.connections - before.jump }).toEqual(expected);
    // Aborted during the handshake: the mismatched host never saw an authentication attempt.
    expect(mismatched().log.authAttempts).toBe(before.auth);
  });
});

describe('connect-phase failures', () => {
  it.each([
    { retries: 0, attempts: 1 },
    { retries: 1, attempts: 2 },
    { retries: 3, attempts: 4 }
  ])('are attempted $attempts time(s) with connectRetries $retries, waiting with backoff in between', async ({ retries, attempts }) => {
    const resetting = await startResettingServer();
    const base = 40;
    const started = Date.now();
    try {
      const error = await SshSession.connect(
        { name: 'restarting', address: '127.0.0.1', port: resetting.port, user: 'x' },
        { auth: { privateKey: target.clientKey.privateKey }, hostKeys: HostKeyPolicy.fromInputs({ fingerprint: target.hostKey.fingerprint }), options: { ...OPTIONS, connectRetries: retries, connectRetryDelayMs: base } }
      ).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(SshConnectError);
      expect((error as SshConnectError).phase).toBe('connect');
      expect((error as SshConnectError).attempts).toBe(attempts);
      expect(resetting.connections).toBe(attempts);
      // Retry i waits base × 2^i × [0.5, 1.5): at least half the doubled sum, at most 1.5 × it (plus slack).
      const doubled = Array.from({ length: retries }, (_, i) => base * 2 ** i).reduce((a, b) => a + b, 0);
      expect(elapsed).toBeGreaterThanOrEqual(doubled * 0.5 - 5);
      expect(elapsed).toBeLessThan(doubled * 1.5 + 2000);
    } finally {
      await resetting.close();
    }
  });
});
