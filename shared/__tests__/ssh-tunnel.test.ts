// openTunnel against an in-process SSH server with forwarding: a real pg query through it to PGlite,
// refused channels that fail fast, one broken pair that leaves the others alone, and a clean close().
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { HostKeyPolicy, SshSession, openTunnel, type HostTarget, type SshConnectParams } from '../src/index.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';
import { closedPort, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

let ssh: TestSshServer;
let db: PgliteServer;
let session: SshSession;
let echo: Server;
let echoPort: number;

const params = (s: TestSshServer): SshConnectParams => ({
  auth: { privateKey: s.clientKey.privateKey },
  hostKeys: HostKeyPolicy.fromInputs({ fingerprint: s.hostKey.fingerprint }),
  options: { connectTimeoutMs: 3000, commandTimeoutMs: 10_000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 0, connectRetryDelayMs: 100, parallel: 1 }
});

beforeAll(async () => {
  ssh = await startSshServer({ allowForwarding: true });
  db = await startPgliteServer();
  const target: HostTarget = { name: 'bastion', address: ssh.address, port: ssh.port, user: ssh.user };
  session = await SshSession.connect(target, params(ssh));
  // Echoes every line back, except that a connection whose first data is "die" is reset.
  echo = createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', (d) => {
      if (d.toString().startsWith('die')) return void s.resetAndDestroy();
      s.write(d);
      s.on('data', (more) => s.write(more));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
}, 30_000);

afterAll(async () => {
  await session?.close();
  await db?.stop();
  await ssh?.close();
  await new Promise<void>((r) => echo.close(() => r()));
});

/** Connects a raw socket and resolves with it once connected. */
function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Writes `text` and resolves with the next chunk, or with 'closed' when the socket closes first. */
function roundTrip(s: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    s.once('data', (d) => resolve(d.toString()));
    s.once('close', () => resolve('closed'));
    s.on('error', () => undefined);
    s.write(text);
  });
}

describe('openTunnel', () => {
  it('carries a real Postgres session: two clients in turn run queries over the one SSH connection', async () => {
    const tunnel = await openTunnel(session, db.host, db.port);
    const connectionsBefore = ssh.log.connections;
    const forwardsBefore = ssh.log.forwards;
    try {
      expect(tunnel.host).toBe('127.0.0.1');
      expect(tunnel.port).not.toBe(db.port);
      for (const n of [1, 2]) {
        const client = new pg.Client(db.clientConfig({ host: tunnel.host, port: tunnel.port }));
        await client.connect();
        const r = await client.query<{ answer: number }>('SELECT $1::int + 40 AS answer', [n]);
        await client.end();
        expect(r.rows[0].answer).toBe(40 + n);
      }
      // Each client got its own channel, and no new SSH connection was opened for either.
      expect(ssh.log.forwards - forwardsBefore).toBe(2);
      expect(ssh.log.connections).toBe(connectionsBefore);
    } finally {
      await tunnel.close();
    }
  });

  it('gives a client of a tunnel to a closed port a connection error at once, and says why', async () => {
    const tunnel = await openTunnel(session, '127.0.0.1', await closedPort());
    try {
      const started = Date.now();
      const client = new pg.Client({ host: tunnel.host, port: tunnel.port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 10_000 });
      client.on('error', () => undefined);
      const err = await client.connect().then(
        () => undefined,
        (e: Error & { code?: string }) => e
      );
      expect(err).toBeDefined();
      expect(`${err?.code ?? ''} ${err?.message}`).toMatch(/ECONNRESET|terminated unexpectedly/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(tunnel.lastError?.message).toMatch(/could not open a channel to 127\.0\.0\.1:\d+/);
    } finally {
      await tunnel.close();
    }
  });

  it('destroys only the socket whose channel broke; the other client keeps talking', async () => {
    const tunnel = await openTunnel(session, '127.0.0.1', echoPort);
    const a = await dial(tunnel.port);
    const b = await dial(tunnel.port);
    try {
      expect(await roundTrip(a, 'hello')).toBe('hello');
      expect(await roundTrip(b, 'die')).toBe('closed');
      expect(await roundTrip(a, 'still here')).toBe('still here');
    } finally {
      a.destroy();
      b.destroy();
      await tunnel.close();
    }
  });

  it('close() closes every open pair and leaves nothing listening on its port', async () => {
    const tunnel = await openTunnel(session, '127.0.0.1', echoPort);
    const a = await dial(tunnel.port);
    expect(await roundTrip(a, 'ping')).toBe('ping');
    const aClosed = new Promise<void>((r) => a.once('close', () => r()));
    await tunnel.close();
    await tunnel.close();
    await aClosed;
    const refused = await dial(tunnel.port).then(
      (s) => (s.destroy(), 'connected'),
      (e: Error & { code?: string }) => e.code
    );
    expect(refused).toBe('ECONNREFUSED');
  });

  it('fails a channel at once when the session is closed, naming the reason', async () => {
    const other = await SshSession.connect({ name: 'gone', address: ssh.address, port: ssh.port, user: ssh.user }, params(ssh));
    await other.close();
    await expect(other.forwardOut('127.0.0.1', echoPort)).rejects.toThrow(/cannot forward to 127\.0\.0\.1:\d+ through gone .*closed/);
  });
});
