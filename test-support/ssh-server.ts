// An in-process SSH server for hermetic tests (ssh2's Server): a generated host key, one authorized
// public key, and exec requests run as real `/bin/sh -c` processes on this machine.
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, ServerChannel } from 'ssh2';
import { fingerprintOf, HostKeyPolicy, SshSession } from '../shared/src/ssh/index.js';

const { Server, utils } = ssh2;

/** A generated OpenSSH key pair. */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
  /** `SHA256:…` of the public key. */
  fingerprint: string;
  /** The `type base64` part of the public key line. */
  publicLine: string;
}

/** Generates an ed25519 (or ECDSA P-256) key pair (OpenSSH format), optionally encrypted with a passphrase. */
export function generateKeyPair(passphrase?: string, type: 'ed25519' | 'ecdsa' = 'ed25519'): KeyPair {
  // The typings only allow all three encryption fields or none; a cast keeps one code path.
  const enc = (passphrase ? { passphrase, cipher: 'aes256-ctr', rounds: 4 } : {}) as { passphrase: string; cipher: string; rounds: number };
  // ssh2 drops a leading zero byte of an ed25519 public key (1 key in 256), writing a 31-byte key that
  // nothing can parse back: draw again until both halves parse, or tests fail at random.
  for (let attempt = 1; ; attempt++) {
    const kp = type === 'ecdsa' ? utils.generateKeyPairSync('ecdsa', { bits: 256, ...enc }) : utils.generateKeyPairSync('ed25519', enc);
    const parsed = utils.parseKey(kp.public);
    if (!(parsed instanceof Error) && !(utils.parseKey(kp.private, passphrase) instanceof Error)) return keyPair(kp, parsed);
    if (attempt === 10) throw parsed instanceof Error ? parsed : new Error('ssh2 generated a private key it cannot parse');
  }
}

function keyPair(kp: { private: string; public: string }, parsed: ParsedKey): KeyPair {
  const blob = parsed.getPublicSSH();
  return {
    privateKey: kp.private,
    publicKey: kp.public,
    fingerprint: fingerprintOf(blob),
    publicLine: `${parsed.type} ${blob.toString('base64')}`
  };
}

/** What the server saw; tests assert on it (e.g. that no authentication was attempted). */
export interface ServerLog {
  connections: number;
  authAttempts: number;
  execs: string[];
  /** Tunnels opened through this server as a jump host. */
  forwards: number;
}

export interface TestSshServer {
  port: number;
  address: string;
  hostKey: KeyPair;
  clientKey: KeyPair;
  user: string;
  log: ServerLog;
  /** Forces every exec to answer with this output instead of running (a forced command / odd shell). */
  forceOutput?: string;
  /** Drops every client connection abruptly (like a killed sshd session process). */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 with a random port. `user` must be the login name; the client key is
 * the only authorized key. Exec requests run `<shell> -c <command>` (default /bin/sh) in a new session; closing the
 * channel does not kill the process (like sshd without a pty), so tests can prove our own kill works.
 */
export async function startSshServer(opts: { user?: string; hostKey?: KeyPair; clientKey?: KeyPair; allowForwarding?: boolean; shell?: string } = {}): Promise<TestSshServer> {
  const hostKey = opts.hostKey ?? generateKeyPair();
  const clientKey = opts.clientKey ?? generateKeyPair();
  const user = opts.user ?? 'tester';
  const allowed = utils.parseKey(clientKey.publicKey);
  if (allowed instanceof Error) throw allowed;
  const allowedBlob = allowed.getPublicSSH();
  const log: ServerLog = { connections: 0, authAttempts: 0, execs: [], forwards: 0 };
  const clients = new Set<Connection>();

  const state: { forceOutput?: string } = {};
  const server = new Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    log.connections++;
    clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      log.authAttempts++;
      if (ctx.method !== 'publickey' || ctx.username !== user) return ctx.reject(['publickey']);
      const blob = ctx.key.data;
      if (blob.length !== allowedBlob.length || !timingSafeEqual(blob, allowedBlob) || ctx.key.algo !== allowed.type) return ctx.reject(['publickey']);
      if (!ctx.signature) return ctx.accept();
      if (ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      return ctx.reject(['publickey']);
    });
    // Jump-host support: direct-tcpip tunnels, to loopback only (the lab's traffic rule).
    client.on('tcpip', (accept, reject, info) => {
      if (!opts.allowForwarding || info.destIP !== '127.0.0.1') return reject();
      log.forwards++;
      const sock = connect(info.destPort, '127.0.0.1');
      // Like sshd: a failed connect is an open failure the client sees at once, not a silent channel.
      const refuse = (): void => reject();
      sock.once('error', refuse);
      sock.on('connect', () => {
        sock.off('error', refuse);
        const channel = accept();
        sock.on('error', () => channel.destroy());
        channel.on('error', () => sock.destroy());
        channel.on('close', () => sock.destroy());
        channel.pipe(sock).pipe(channel);
      });
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          log.execs.push(info.command);
          const channel = accept();
          if (state.forceOutput !== undefined) {
            channel.write(state.forceOutput);
            channel.exit(0);
            channel.end();
            return;
          }
          runCommand(channel, info.command, opts.shell ?? '/bin/sh');
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    address: '127.0.0.1',
    hostKey,
    clientKey,
    user,
    log,
    get forceOutput() {
      return state.forceOutput;
    },
    set forceOutput(v: string | undefined) {
      state.forceOutput = v;
    },
    dropConnections() {
      for (const c of clients) (c as unknown as { _sock: Socket })._sock.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      })
  };
}

function runCommand(channel: ServerChannel, command: string, shell: string): void {
  // detached: a new session and process group, as sshd gives every non-pty session.
  const child = spawn(shell, ['-c', command], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  channel.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  channel.on('error', () => undefined);
  let outDone = false;
  let errDone = false;
  let exit: [number | null, NodeJS.Signals | null] | undefined;
  const maybeFinish = (): void => {
    if (!outDone || !errDone || !exit) return;
    const [code, signal] = exit;
    try {
      if (code !== null) channel.exit(code);
      else channel.exit(signal ?? 'KILL', false, '');
      channel.end();
    } catch {
      // The client already closed the channel.
    }
  };
  child.stdout.on('end', () => ((outDone = true), maybeFinish()));
  child.stderr.on('end', () => ((errDone = true), maybeFinish()));
  child.on('exit', (code, signal) => ((exit = [code, signal]), maybeFinish()));
  child.on('error', () => ((exit = [127, null]), (outDone = errDone = true), maybeFinish()));
}

/** A TCP server that accepts connections and never says anything (a stalled SSH handshake). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}

/** A port on 127.0.0.1 that was free a moment ago and has nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Connects an SshSession to a test server with its keys pinned; `commandTimeoutMs` defaults to 60 s. */
export function connectToTestServer(server: TestSshServer, commandTimeoutMs = 60_000): Promise<SshSession> {
  return SshSession.connect(
    { name: 'local', address: server.address, port: server.port, user: server.user },
    {
      auth: { privateKey: server.clientKey.privateKey },
      hostKeys: HostKeyPolicy.fromInputs({ fingerprint: server.hostKey.fingerprint }),
      options: { connectTimeoutMs: 3000, commandTimeoutMs, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 0, connectRetryDelayMs: 100, parallel: 1 }
    }
  );
}
