// SshSession against an in-process SSH server that runs real /bin/sh commands: host key pinning,
// exit codes, cwd, timeouts that kill the remote tree, connect failures within their bounds.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  HostKeyMismatchError,
  HostKeyPolicy,
  RemoteCommandError,
  SshConnectError,
  SshPool,
  SshProbeError,
  SshSession,
  probeShell,
  runOnHosts,
  type HostTarget,
  type SshConnectParams,
  type SshOptions
} from '../src/index.js';
import { closedPort, generateKeyPair, startSilentServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

const OPTIONS: SshOptions = {
  connectTimeoutMs: 3000,
  commandTimeoutMs: 20_000,
  keepaliveIntervalMs: 1000,
  keepaliveCountMax: 3,
  connectRetries: 0,
  connectRetryDelayMs: 100,
  parallel: 2
};

let server: TestSshServer;
let params: SshConnectParams;
let target: HostTarget;

function paramsFor(s: TestSshServer, fingerprint = s.hostKey.fingerprint, options: Partial<SshOptions> = {}): SshConnectParams {
  return { auth: { privateKey: s.clientKey.privateKey }, hostKeys: HostKeyPolicy.fromInputs({ fingerprint }), options: { ...OPTIONS, ...options } };
}

function pgrep(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

beforeAll(async () => {
  server = await startSshServer();
  params = paramsFor(server);
  target = { name: 'local', address: server.address, port: server.port, user: server.user };
});
afterAll(async () => {
  await server.close();
});

describe('host key pinning', () => {
  it('connects when the presented key matches the pinned fingerprint', async () => {
    const session = await SshSession.connect(target, params);
    const r = await session.exec('echo hello');
    await session.close();
    expect(r).toMatchObject({ code: 0, stdout: 'hello\n', timedOut: false, truncated: false });
  });

  it('connects with a known_hosts line for [address]:port', async () => {
    const hostKeys = HostKeyPolicy.fromInputs({ knownHosts: `[127.0.0.1]:${server.port} ${server.hostKey.publicLine}` });
    const session = await SshSession.connect(target, { ...params, hostKeys });
    const r = await session.exec('echo via-known-hosts');
    await session.close();
    expect(r.stdout).toBe('via-known-hosts\n');
  });

  it('aborts a mismatched key during the handshake, shows both fingerprints and sends no authentication', async () => {
    const other = generateKeyPair();
    const before = server.log.authAttempts;
    const error = await SshSession.connect(target, paramsFor(server, other.fingerprint)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    const message = (error as Error).message;
    expect(message).toContain(`expected ${other.fingerprint}`);
    expect(message).toContain(`presented ${server.hostKey.fingerprint}`);
    expect(server.log.authAttempts).toBe(before);
  });

  it('treats a host offering another key type than the pinned one as a mismatch', async () => {
    const ecdsa = generateKeyPair(undefined, 'ecdsa');
    const hostKeys = HostKeyPolicy.fromInputs({ knownHosts: `[127.0.0.1]:${server.port} ${ecdsa.publicLine}` });
    const error = await SshSession.connect(target, { ...params, hostKeys }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect((error as HostKeyMismatchError).presentedType).toBe('ssh-ed25519');
    expect((error as Error).message).toContain(`expected ${ecdsa.fingerprint}`);
  });

  it('refuses a known_hosts file without an entry for the host before connecting', async () => {
    const hostKeys = HostKeyPolicy.fromInputs({ knownHosts: `other.example ${server.hostKey.publicLine}` });
    const connections = server.log.connections;
    await expect(SshSession.connect(target, { ...params, hostKeys })).rejects.toThrow(/has no entry for '\[127\.0\.0\.1\]:\d+'/);
    expect(server.log.connections).toBe(connections);
  });

  it('refuses a wrong client key as an authentication failure without retrying', async () => {
    const wrong = { ...params, auth: { privateKey: generateKeyPair().privateKey }, options: { ...OPTIONS, connectRetries: 3 } };
    const connections = server.log.connections;
    const error = await SshSession.connect(target, wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshConnectError);
    expect((error as SshConnectError).phase).toBe('auth');
    expect(server.log.connections - connections).toBe(1);
  });

  it('decrypts a passphrase-protected private key', async () => {
    const clientKey = generateKeyPair('correct horse');
    const s = await startSshServer({ clientKey });
    try {
      const session = await SshSession.connect(
        { name: 's', address: s.address, port: s.port, user: s.user },
        { auth: { privateKey: clientKey.privateKey, passphrase: 'correct horse' }, hostKeys: HostKeyPolicy.fromInputs({ fingerprint: s.hostKey.fingerprint }), options: OPTIONS }
      );
      const r = await session.exec('echo ok');
      await session.close();
      expect(r.stdout).toBe('ok\n');
    } finally {
      await s.close();
    }
  });
});

describe('exit codes and working directory', () => {
  let session: SshSession;
  beforeAll(async () => {
    session = await SshSession.connect(target, params);
  });
  afterAll(async () => {
    await session.close();
  });

  it.each([
    ['exit 0', 0],
    ['exit 3', 3],
    ['echo success; exit 1', 1]
  ])('reports `%s` as exit code %i', async (command, code) => {
    expect((await session.exec(command)).code).toBe(code);
  });

  it('throws a RemoteCommandError from execChecked when the command prints "success" but exits 1', async () => {
    const error = await session.execChecked('echo success; echo broken >&2; exit 1', { label: 'deploy step' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect((error as RemoteCommandError).code).toBe(1);
    expect((error as Error).message).toMatch(/deploy step on .* exited with code 1; stderr ends with:\nbroken/);
  });

  it('runs in the given cwd', async () => {
    const r = await session.execChecked('pwd', { cwd: '/tmp' });
    expect(r.stdout).toBe('/tmp\n');
  });

  it('fails when the cwd does not exist instead of running in $HOME', async () => {
    const r = await session.exec('echo ran-anyway', { cwd: '/nonexistent/a2a dir' });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/nonexistent/);
  });

  it('passes stdin and closes it so reading commands finish', async () => {
    expect((await session.exec('cat', { stdin: 'line 1\nline 2\n' })).stdout).toBe('line 1\nline 2\n');
    expect((await session.exec('cat; echo eof')).stdout).toBe('eof\n');
  });

  it('keeps the process-group marker out of stderr', async () => {
    const r = await session.exec('echo to-stderr >&2');
    expect(r.stderr).toBe('to-stderr\n');
  });

  it('reports null and throws "outcome unknown" when the connection drops mid-command', async () => {
    const own = await SshSession.connect(target, params);
    // The marker is in sleep's own arguments, so the cleanup below finds the sleep and not only its shell.
    const marker = `sleep 30 0.${process.pid}${Date.now() % 1_000_000}`;
    const running = own.exec(marker, { timeoutMs: 0 });
    await new Promise((r) => setTimeout(r, 500));
    server.dropConnections();
    const r = await running;
    expect(r.code).toBeNull();
    expect(r.connectionError).toBeTruthy();
    await expect(own.execChecked('true')).rejects.toThrow(/connection to .* was lost/);
    // Clean up the orphan this scenario leaves behind (as a real dropped session would).
    for (const pid of pgrep(marker).split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
  });
});

describe('command timeout', () => {
  it('kills the whole remote process tree and leaves no orphan', async () => {
    const session = await SshSession.connect(target, params);
    // The marker is an extra argument of `sleep` itself (`sleep 300 0.<digits>` sleeps a hair longer):
    // a `# comment` marker would only be in the shells' command lines, not in the sleeps'.
    const marker = `sleep 300 0.${process.pid}${Date.now() % 1_000_000}`;
    const started = Date.now();
    // A child in the background and a grandchild in the foreground: both must die.
    const running = session.exec(`sh -c '${marker}1' & ${marker}2`, { timeoutMs: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(pgrep(marker).split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
    const r = await running;
    await session.close();
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(pgrep(marker)).toBe('');
  });

  it('makes execChecked fail on a timeout', async () => {
    const session = await SshSession.connect(target, params);
    await expect(session.execChecked('sleep 20', { timeoutMs: 300, label: 'slow step' })).rejects.toThrow(/slow step on .* timed out/);
    await session.close();
  });
});

describe('connect failures are bounded', () => {
  it('fails a stalled handshake within the connect timeout', async () => {
    const silent = await startSilentServer();
    const started = Date.now();
    try {
      const error = await SshSession.connect(
        { name: 'silent', address: '127.0.0.1', port: silent.port, user: 'x' },
        { ...params, options: { ...OPTIONS, connectTimeoutMs: 800 } }
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SshConnectError);
      expect((error as Error).message).toMatch(/no SSH handshake with .* within the connect timeout/);
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as refused, retrying the connect phase a bounded number of times', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await SshSession.connect(
      { name: 'closed', address: '127.0.0.1', port, user: 'x' },
      { ...params, options: { ...OPTIONS, connectRetries: 2, connectRetryDelayMs: 50 } }
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshConnectError);
    expect((error as SshConnectError).attempts).toBe(3);
    expect((error as Error).message).toMatch(/refused: nothing listens on that port/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('jump host', () => {
  it('reaches the target through a tunnel opened on the jump host', async () => {
    const jump = await startSshServer({ clientKey: server.clientKey, allowForwarding: true });
    const jumpTarget: HostTarget = { name: 'bastion', address: jump.address, port: jump.port, user: jump.user };
    const hostKeys = HostKeyPolicy.fromInputs({ fingerprint: `${server.hostKey.fingerprint}\n${jump.hostKey.fingerprint}` });
    try {
      const session = await SshSession.connect(target, { ...params, hostKeys, options: { ...OPTIONS, jumpHost: jumpTarget } });
      const r = await session.execChecked('echo behind-the-bastion');
      await session.close();
      expect(r.stdout).toBe('behind-the-bastion\n');
      expect(jump.log.forwards).toBe(1);
      expect(jump.log.execs).toEqual([]);
    } finally {
      await jump.close();
    }
  });

  it('fails in the jump phase when the jump host refuses to tunnel', async () => {
    const jumped = { ...params, options: { ...OPTIONS, jumpHost: target } };
    const error = await SshSession.connect(target, jumped).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshConnectError);
    expect((error as SshConnectError).phase).toBe('jump');
  });
});

describe('login shell probe', () => {
  it('passes on a POSIX shell', async () => {
    const session = await SshSession.connect(target, params);
    await expect(probeShell(session)).resolves.toBeUndefined();
    await session.close();
  });

  it('fails closed on a restricted shell (rbash)', async () => {
    const s = await startSshServer({ shell: '/bin/rbash' });
    try {
      const session = await SshSession.connect({ name: 'rbash', address: s.address, port: s.port, user: s.user }, paramsFor(s));
      await expect(probeShell(session)).rejects.toThrow(/did not answer the POSIX probe.*not fish or rbash/);
      await session.close();
    } finally {
      await s.close();
    }
  });

  it('fails closed when a forced command answers instead of the shell', async () => {
    const s = await startSshServer();
    s.forceOutput = 'This account is restricted.\n';
    try {
      const session = await SshSession.connect({ name: 'forced', address: s.address, port: s.port, user: s.user }, paramsFor(s));
      await expect(probeShell(session)).rejects.toThrow(SshProbeError);
      await session.close();
    } finally {
      await s.close();
    }
  });
});

describe('pool and fan-out', () => {
  it('reuses one connection per host and keeps per-host output even when a host fails', async () => {
    const second = await startSshServer({ clientKey: server.clientKey });
    const pool = new SshPool({ ...params, hostKeys: HostKeyPolicy.fromInputs({ fingerprint: `${server.hostKey.fingerprint},${second.hostKey.fingerprint}` }) });
    const targets: HostTarget[] = [target, { name: 'second', address: second.address, port: second.port, user: second.user }];
    const connections = server.log.connections + second.log.connections;
    try {
      const outcomes = await runOnHosts(targets, 2, async (t, log) => {
        const session = await pool.get(t);
        for (let i = 0; i < 3; i++) log.add((await session.execChecked(`echo step-${i}`)).stdout.trim());
        await session.execChecked(t.name === 'second' ? 'echo failing >&2; exit 4' : 'true');
        return t.name;
      });
      expect(server.log.connections + second.log.connections - connections).toBe(2);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
      expect(outcomes[1].log.lines).toEqual(['step-0', 'step-1', 'step-2']);
      expect(outcomes[1].ok ? '' : outcomes[1].error.message).toMatch(/exited with code 4/);
    } finally {
      await pool.closeAll();
      await second.close();
    }
  });
});
