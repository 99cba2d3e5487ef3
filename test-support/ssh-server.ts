// An in-process SSH server for hermetic tests (ssh2's Server): a generated host key, one authorized
// public key, and exec requests run as real `/bin/sh -c` processes on this machine.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
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
  channel.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  channel.on('error', () => undefined);
  let outputDone = false;
  let exit: [number | null, NodeJS.Signals | null] | undefined;
  const maybeFinish = (): void => {
    if (!outputDone || !exit) return;
    const [code, signal] = exit;
    try {
      if (code !== null) channel.exit(code);
      else channel.exit(signal ?? 'KILL', false, '');
      channel.end();
    } catch {
      // The client already closed the channel.
    }
  };
  forwardOutput(child, channel, () => ((outputDone = true), maybeFinish()));
  child.on('exit', (code, signal) => ((exit = [code, signal]), maybeFinish()));
  child.on('error', () => ((exit = [127, null]), (outputDone = true), maybeFinish()));
}

/** The fields in which ssh2 keeps a chunk that waits for window space, one per stream. */
interface PendingChunks {
  _chunk?: unknown;
  _chunkcb?: unknown;
  _chunkErr?: unknown;
  _chunkcbErr?: unknown;
}

/**
 * Sends the child's stdout and stderr over the channel in arrival order, ONE chunk in flight at a time,
 * and pauses the child while chunks queue up (so a client that holds stdout back holds the child back,
 * as with sshd). Why not two pipes: when window space returns, ssh2's server (1.17) retries only one
 * of the two streams' waiting chunks, and never clears a chunk it has since sent, so a later wait
 * re-sends it. A client applying backpressure while the command wrote stderr then lost that stderr or
 * hung. With one write in flight nothing else waits, and the stale fields are cleared before each write.
 * `done` is called once both streams ended and everything was sent.
 */
function forwardOutput(child: ChildProcessWithoutNullStreams, channel: ServerChannel, done: () => void): void {
  const queue: Array<{ stderr: boolean; chunk: Buffer }> = [];
  const pending = channel as unknown as PendingChunks;
  let writing = false;
  let ended = 0;
  const pump = (): void => {
    if (writing) return;
    if (queue.length < 4) {
      child.stdout.resume();
      child.stderr.resume();
    }
    const next = queue.shift();
    if (!next) {
      if (ended === 2) done();
      return;
    }
    writing = true;
    pending._chunk = pending._chunkcb = pending._chunkErr = pending._chunkcbErr = undefined;
    (next.stderr ? channel.stderr : channel).write(next.chunk, () => {
      writing = false;
      pump();
    });
  };
  const take = (stderr: boolean) => (chunk: Buffer) => {
    queue.push({ stderr, chunk });
    if (queue.length >= 8) {
      child.stdout.pause();
      child.stderr.pause();
    }
    pump();
  };
  child.stdout.on('data', take(false));
  child.stderr.on('data', take(true));
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('end', () => {
      ended++;
      pump();
    });
  }
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

/**
 * A TCP server that accepts every connection and resets it at once (an sshd that is restarting, or
 * `MaxStartups` refusing): a connect-phase failure. `connections` counts the attempts that reached it.
 */
export async function startResettingServer(): Promise<{ port: number; readonly connections: number; close(): Promise<void> }> {
  let connections = 0;
  const server: NetServer = createServer((s) => {
    connections++;
    s.on('error', () => undefined);
    s.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
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

/** A destination for `execToStream` that measures what it gets instead of keeping it. */
export interface MeasuringSink {
  sink: Writable;
  /** Bytes written so far. */
  readonly bytes: number;
  /** Hex SHA-256 of every byte written so far. */
  digest(): string;
  /** The most bytes ever buffered in the sink (its `writableLength`): bounded when backpressure is honoured. */
  readonly peakBuffered: number;
  /** Every byte, when created with `keep: true`. */
  received(): Buffer;
}

/**
 * A Writable that hashes and counts what it receives. `delayMs` makes every write slow (a slow disk or
 * upload); `failAfterBytes` fails the write that crosses it with `disk full`.
 */
export function measuringSink(opts: { highWaterMark?: number; delayMs?: number; failAfterBytes?: number; keep?: boolean } = {}): MeasuringSink {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let bytes = 0;
  let peakBuffered = 0;
  const sink: Writable = new Writable({
    highWaterMark: opts.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, done) {
      peakBuffered = Math.max(peakBuffered, sink.writableLength);
      if (opts.failAfterBytes !== undefined && bytes + chunk.length > opts.failAfterBytes) return done(new Error('disk full'));
      bytes += chunk.length;
      hash.update(chunk);
      if (opts.keep) kept.push(chunk);
      if (opts.delayMs) setTimeout(done, opts.delayMs);
      else done();
    }
  });
  return {
    sink,
    get bytes() {
      return bytes;
    },
    digest: () => hash.copy().digest('hex'),
    get peakBuffered() {
      return peakBuffered;
    },
    received: () => Buffer.concat(kept)
  };
}
