// One SSH connection to one host: pinned host key, bounded connect with connect-phase-only retries,
// keepalive, optional jump host, and exec on top of it (text output, or raw bytes into a Writable).
import type { Duplex, Writable } from 'node:stream';
import type { Client as ClientType, ConnectConfig } from 'ssh2';
import { requireLibrary } from '../libraries/load-library.js';
import { withRetries } from '../concurrency/index.js';
import { registerSecret } from '../secrets.js';
import { describeTarget, HostKeyMismatchError, SshConnectError } from './errors.js';
import type { SshFailurePhase } from './errors.js';
import { assertSucceeded, commandLabel, runExec, runRawExec } from './exec.js';
import type { ExecHost, RawExecResult } from './exec.js';
import { runExecToStream, type StreamCommand } from './exec-stream.js';
import type { ExecOptions, ExecResult, HostTarget, SshConnectParams, StreamExecOptions, StreamExecResult } from './types.js';


/** ssh2 host key algorithm names for a pinned key type (RSA keys sign with several). */
function hostKeyAlgorithms(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

/** Network errors worth another connect attempt: nothing about keys or authentication. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

interface AttemptFailure {
  error: Error;
  retryable: boolean;
}

function classify(target: HostTarget, err: Error & { level?: string; code?: string }, mismatch: HostKeyMismatchError | undefined, attempt: number, via?: string): AttemptFailure {
  const host = describeTarget(target);
  if (mismatch) return { error: mismatch, retryable: false };
  const where = via ? ` (through jump host ${via})` : '';
  const mk = (phase: SshFailurePhase, msg: string, retryable: boolean): AttemptFailure => ({
    error: new SshConnectError(host, phase, msg, attempt, { cause: err }),
    retryable
  });
  if (err.level === 'client-authentication') {
    return mk('auth', `authentication to ${host}${where} as the configured user was refused: check 'ssh-user' and that the public half of 'ssh-private-key' is in the user's authorized_keys`, false);
  }
  if (err.level === 'client-timeout' && /handshake/i.test(err.message)) {
    return mk('connect', `no SSH handshake with ${host}${where} within the connect timeout (server silent or network dropping packets)`, true);
  }
  if (err.code === 'ECONNREFUSED') return mk('connect', `connection to ${host}${where} was refused: nothing listens on that port`, true);
  if (err.code === 'ENOTFOUND') return mk('connect', `host name of ${host} does not resolve (DNS): check the address`, false);
  if (err.code && RETRYABLE_CODES.has(err.code)) return mk('connect', `could not connect to ${host}${where}: ${err.code} ${err.message}`, true);
  if (err.level === 'client-socket') return mk('connect', `could not connect to ${host}${where}: ${err.message}`, true);
  if (err.level === 'protocol' || err.level === 'handshake') return mk('handshake', `SSH handshake with ${host}${where} failed: ${err.message}`, false);
  return mk('connect', `could not connect to ${host}${where}: ${err.message}`, false);
}

/** Opens one authenticated ssh2 client, or rejects with a classified failure. Never hangs past the timeout. */
function connectOnce(target: HostTarget, params: SshConnectParams, attempt: number, sock?: NodeJS.ReadableStream, via?: string): Promise<ClientType> {
  const { auth, hostKeys, options } = params;
  return new Promise<ClientType>((resolve, reject) => {
    // ssh2 loads with the first connection: a run that never opens SSH never parses it.
    const client = new (requireLibrary('ssh2').Client)();
    let mismatch: HostKeyMismatchError | undefined;
    let settled = false;
    const settle = (err?: Error & { level?: string; code?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      if (!err) return resolve(client);
      client.removeAllListeners('ready');
      client.on('error', () => undefined);
      client.end();
      const failure = classify(target, err, mismatch, attempt, via);
      reject(Object.assign(failure.error, { retryable: failure.retryable }));
    };
    // ssh2's readyTimeout already bounds the handshake; this guard bounds everything else too.
    const guard = setTimeout(() => {
      const e = Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' });
      settle(e);
      client.destroy();
    }, options.connectTimeoutMs + 2000);
    client.on('ready', () => settle());
    client.on('error', (err: Error & { level?: string }) => settle(err));
    client.on('close', () => settle(Object.assign(new Error('connection closed during setup'), { level: 'client-socket' })));

    const keyTypes = hostKeys.keyTypesFor(target);
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      privateKey: auth.privateKey,
      ...(auth.passphrase ? { passphrase: auth.passphrase } : {}),
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      // Only the pinned key decides: returning false aborts the handshake before any authentication.
      hostVerifier: (key: Buffer): boolean => {
        const check = hostKeys.check(target, key);
        if (!check.ok) mismatch = new HostKeyMismatchError(describeTarget(target), check.expected, check.presented, check.presentedType);
        return check.ok;
      },
      ...(keyTypes.length ? { algorithms: { serverHostKey: { prepend: keyTypes.flatMap(hostKeyAlgorithms) } as never } } : {}),
      ...(sock ? { sock: sock as never } : {})
    };
    try {
      client.connect(config);
    } catch (err) {
      settle(err as Error);
    }
  });
}

/**
 * Retries `attempt` on failures its classification marked retryable (the connect phase only: never a
 * host-key mismatch, authentication or handshake failure), `connectRetries` times, with the core's
 * jittered exponential backoff from `connectRetryDelayMs`.
 */
function withConnectRetries<T>(params: SshConnectParams, attempt: (n: number) => Promise<T>): Promise<T> {
  return withRetries(attempt, {
    attempts: Math.max(0, params.options.connectRetries) + 1,
    baseMs: params.options.connectRetryDelayMs,
    classify: (err) => ({ retry: (err as { retryable?: boolean }).retryable === true })
  });
}

function forwardThrough(jump: ClientType, target: HostTarget): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    jump.forwardOut('127.0.0.1', 0, target.address, target.port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

/**
 * An open, authenticated connection to one host. Open with `SshSession.connect`; run commands with
 * `exec` (result, never throws on a non-zero exit) or `execChecked` (throws RemoteCommandError).
 */
export class SshSession {
  private lost: string | undefined;
  private readonly lostListeners = new Set<(reason: string) => void>();
  private closing = false;

  private constructor(
    readonly target: HostTarget,
    readonly client: ClientType,
    private readonly params: SshConnectParams,
    private readonly jump?: ClientType
  ) {
    const markLost = (reason: string): void => {
      if (this.lost) return;
      this.lost = reason;
      for (const l of [...this.lostListeners]) l(reason);
    };
    client.on('error', (err: Error) => markLost(err.message || String(err)));
    client.on('close', () => markLost(this.closing ? 'the session was closed' : 'the connection closed'));
    jump?.on('error', (err: Error) => markLost(`jump host: ${err.message}`));
    jump?.on('close', () => markLost(this.closing ? 'the session was closed' : 'the jump host connection closed'));
  }

  /**
   * Connects and authenticates, through `params.options.jumpHost` when set. The private key and its
   * passphrase are registered as secrets first. Throws HostKeyMismatchError (never retried),
   * SshConnectError with `phase` (only `connect` failures are retried, `connectRetries` times).
   */
  static async connect(target: HostTarget, params: SshConnectParams): Promise<SshSession> {
    registerSecret(params.auth.privateKey);
    registerSecret(params.auth.passphrase);
    params.hostKeys.assertCovers(target);
    const jumpTarget = params.options.jumpHost;
    if (!jumpTarget) {
      const client = await withConnectRetries(params, (n) => connectOnce(target, params, n));
      return new SshSession(target, client, params);
    }
    params.hostKeys.assertCovers(jumpTarget);
    return withConnectRetries(params, async (n) => {
      const jump = await connectOnce(jumpTarget, params, n);
      try {
        const stream = await forwardThrough(jump, target).catch((err: Error) => {
          throw Object.assign(
            new SshConnectError(describeTarget(target), 'jump', `jump host ${describeTarget(jumpTarget)} could not open a tunnel to ${describeTarget(target)}: ${err.message}`, n, { cause: err }),
            { retryable: true }
          );
        });
        const client = await connectOnce(target, params, n, stream, describeTarget(jumpTarget));
        return new SshSession(target, client, params, jump);
      } catch (err) {
        jump.end();
        throw err;
      }
    });
  }

  /** `name (address:port)`. */
  get label(): string {
    return describeTarget(this.target);
  }

  /** Why the connection broke, or undefined while it is usable. */
  get lostReason(): string | undefined {
    return this.lost;
  }

  private execHost(): ExecHost {
    return {
      client: this.client,
      hostLabel: this.label,
      lostReason: () => this.lost,
      onLost: (listener) => {
        this.lostListeners.add(listener);
        return () => this.lostListeners.delete(listener);
      }
    };
  }

  /**
   * Runs `command` with the remote user's shell, in its own process group (killed on timeout), and
   * resolves with the result whatever the exit code. `code === null` means the outcome is unknown.
   */
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return runExec(this.execHost(), command, opts, this.params.options.commandTimeoutMs);
  }

  /** Like `exec`, but throws RemoteCommandError unless the command exited 0 (a `null` code is a failure). */
  async execChecked(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.exec(command, opts);
    return assertSucceeded(this.label, commandLabel(command, opts.label), result);
  }

  /**
   * Runs a command whose stdout is an artifact and writes that stdout, byte for byte (never decoded),
   * into `destination`, e.g. a file stream for `['pg_dump -Fc app', 'zstd -1']`. Memory stays bounded
   * whatever the size: while `destination.write` reports a full buffer the channel is paused, and SSH
   * flow control holds the remote command back. stderr is kept as a bounded tail; the process group is
   * killed on timeout as for `exec`.
   *
   * Give `command` as stages to have each stage's exit status checked (sh has no portable `pipefail`):
   * a failed first stage fails the whole even when the last stage exits 0, and the PipelineStageError
   * names the host, the stage and its exit code. A plain string is one command, judged by its own exit
   * status only.
   *
   * Resolves, once the destination has been ended and has finished, with the byte count. Throws a
   * RemoteCommandError on a non-zero exit, timeout, lost connection or failing destination (which also
   * kills the remote command); the destination is then destroyed, never ended, so a partial artifact
   * cannot pass for a whole one.
   */
  execToStream(command: StreamCommand, destination: Writable, opts: StreamExecOptions = {}): Promise<StreamExecResult> {
    return runExecToStream(this.execHost(), command, destination, opts, this.params.options.commandTimeoutMs);
  }

  /**
   * Runs `command` unwrapped (no process group, no kill on timeout: the channel is just closed).
   * Only for tiny control commands such as the shell probe.
   */
  execRaw(command: string, timeoutMs: number): Promise<RawExecResult> {
    if (this.lost) return Promise.resolve({ code: null, stdout: '', stderr: this.lost });
    return runRawExec(this.client, command, timeoutMs);
  }

  /**
   * Opens a `direct-tcpip` channel to `host:port` as the remote host sees it (what `ssh -L` does per
   * connection) on this session's connection. Rejects when the server refuses the channel (nothing
   * listens there, forwarding disabled), when the connection is or gets lost, or after `timeoutMs`:
   * sshd confirms the channel only once its own TCP connect finished, which for a silent address takes
   * minutes. A channel that opens after the timeout is closed at once.
   */
  forwardOut(host: string, port: number, timeoutMs = this.params.options.connectTimeoutMs): Promise<Duplex> {
    if (this.lost) return Promise.reject(new Error(`cannot forward to ${host}:${port} through ${this.label}: ${this.lost}`));
    return new Promise<Duplex>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined, channel?: Duplex): void => {
        if (settled) {
          // Too late: nobody waits for this channel any more.
          channel?.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        offLost();
        if (err || !channel) reject(err ?? new Error('no channel'));
        else resolve(channel);
      };
      const timer = setTimeout(() => finish(new Error(`${this.label} did not open a channel to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      const onLost = (reason: string): void => finish(new Error(`cannot forward to ${host}:${port} through ${this.label}: ${reason}`));
      this.lostListeners.add(onLost);
      const offLost = (): boolean => this.lostListeners.delete(onLost);
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
          finish(err ? new Error(`${this.label} could not open a channel to ${host}:${port}: ${err.message}`, { cause: err }) : undefined, channel);
        });
      } catch (err) {
        finish(err as Error);
      }
    });
  }

  /** Closes the connection (and the jump connection). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const ended = new Promise<void>((resolve) => {
      if (this.lost) return resolve();
      const t = setTimeout(resolve, 2000);
      this.client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.client.end();
    await ended;
    this.jump?.end();
  }
}
