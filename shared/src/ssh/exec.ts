// One remote command on an open connection: wrapped so its process group can be killed, streamed with
// bounded memory, and finished with an honest result (no exit status = code null = outcome unknown).
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { scrubSecrets } from '../secrets.js';
import { RemoteCommandError, SshConnectionLostError } from './errors.js';
import { shellQuote } from './quote.js';
import { DEFAULT_TAIL_BYTES, LineSplitter, TailBuffer } from './stream.js';
import type { ExecOptions, ExecResult } from './types.js';

/** How long the TERM → KILL escalation waits, and how long we wait for the channel to close after it. */
const KILL_GRACE_MS = 2000;
const CLOSE_AFTER_KILL_MS = 5000;
// How long an abort that comes before the wrapper's process-group line waits for it.
const PGID_WAIT_MS = 3000;
const MARKER_LINE_MAX = 200;

/**
 * Wraps `command` so that it runs in a new session (its own process group) under `setsid -w`, and the
 * group id is printed as the first stderr line behind a random marker. `cd -- <dir> || exit 1` comes
 * first, so a missing directory fails instead of running in `$HOME`.
 */
export function wrapCommand(command: string, marker: string, cwd?: string): string {
  const inner = cwd === undefined ? command : `cd -- ${shellQuote(cwd)} || exit 1\n${command}`;
  const script = `printf '%s%s\\n' "$1" "$$" >&2; exec /bin/sh -c "$2"`;
  return `exec setsid -w /bin/sh -c ${shellQuote(script)} a2a-exec ${shellQuote(marker)} ${shellQuote(inner)}`;
}

/** Shell text (dash and bash: no `--`, dash's kill refuses it) that TERMs a process group, waits up to the grace period, then KILLs whatever is left. */
export function killGroupCommand(pgid: number): string {
  const steps = Math.ceil(KILL_GRACE_MS / 100);
  return (
    `kill -TERM -${pgid} 2>/dev/null; i=0; while [ $i -lt ${steps} ] && kill -0 -${pgid} 2>/dev/null; ` +
    `do sleep 0.1; i=$((i+1)); done; kill -KILL -${pgid} 2>/dev/null; true`
  );
}

/** Shortens a command into a label for errors and logs. */
export function commandLabel(command: string, label?: string): string {
  if (label) return label;
  const first = command.trim().split('\n')[0];
  return `'${first.length > 60 ? `${first.slice(0, 60)}…` : first}'`;
}

/** What an exec needs from its session. */
export interface ExecHost {
  readonly client: Client;
  readonly hostLabel: string;
  /** Set when the connection broke; checked when a channel closes without an exit status. */
  lostReason(): string | undefined;
  /** Subscribe to connection loss; returns the unsubscribe function. */
  onLost(listener: (reason: string) => void): () => void;
}

/** A channel with its end recorded from the moment it opened. */
interface OpenedChannel {
  channel: ClientChannel;
  /** Exit status or signal, once the server sent it. */
  exit: { code: number | null; signal?: string };
  /** Resolves when the channel closes. */
  closed: Promise<void>;
}

/**
 * Opens an exec channel and records its exit status and close in the same tick. `exit` and `close` are
 * plain events: a fast command's exit-status can arrive in the same packet batch as the channel
 * confirmation, before an `await` lets the caller attach listeners, and would otherwise be lost.
 */
function openChannel(client: Client, command: string): Promise<OpenedChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, channel) => {
        if (err) return reject(err);
        const exit: OpenedChannel['exit'] = { code: null };
        channel.on('exit', (code: number | null, signalName?: string) => {
          if (typeof code === 'number') exit.code = code;
          else if (signalName) exit.signal = signalName;
        });
        const closed = new Promise<void>((done) => channel.once('close', () => done()));
        resolve({ channel, exit, closed });
      });
    } catch (err) {
      reject(err);
    }
  });
}

/** Runs a small control command (the group kill) on a second channel and waits for it, bounded. */
async function runControl(client: Client, command: string, timeoutMs: number): Promise<void> {
  const { channel, closed } = await openChannel(client, command);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      channel.close();
      resolve();
    }, timeoutMs);
    void closed.then(() => {
      clearTimeout(timer);
      resolve();
    });
    channel.resume();
    channel.stderr.resume();
    channel.end();
  });
}

/** What a run on a channel did, with what only the streaming variant has. */
export interface ChannelRunResult extends ExecResult {
  /** Bytes of stdout handed to the sink (0 without one). */
  stdoutBytes: number;
  /** Why the sink failed (error, or closed early); the remote process group was killed because of it. */
  sinkError?: Error;
}

/** Runs one command; see `SshSession.exec`. */
export async function runExec(host: ExecHost, command: string, opts: ExecOptions, defaultTimeoutMs: number): Promise<ExecResult> {
  const { stdoutBytes: _bytes, ...result } = await runOnChannel(host, command, opts, defaultTimeoutMs);
  return result;
}

/**
 * Runs one command whose stdout goes, as raw bytes, to `sink` (`stdout` of the result stays empty). The
 * channel is paused while `sink.write` reports a full buffer, so a slow sink holds the remote command
 * back instead of filling memory. A sink that errors or closes early kills the remote process group.
 * The sink is neither ended nor destroyed here: that is the caller's decision once it sees the result.
 */
export function runExecToSink(
  host: ExecHost,
  command: string,
  opts: Omit<ExecOptions, 'onStdout'>,
  defaultTimeoutMs: number,
  sink: Writable
): Promise<ChannelRunResult> {
  return runOnChannel(host, command, opts, defaultTimeoutMs, sink);
}

async function runOnChannel(host: ExecHost, command: string, opts: ExecOptions, defaultTimeoutMs: number, sink?: Writable): Promise<ChannelRunResult> {
  const lost = host.lostReason();
  if (lost) throw new SshConnectionLostError(host.hostLabel, lost);
  const started = Date.now();
  const marker = `a2a-pgid-${randomBytes(8).toString('hex')}:`;
  const tailBytes = opts.tailBytes ?? DEFAULT_TAIL_BYTES;
  const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
  const { channel, exit, closed } = await openChannel(host.client, wrapCommand(command, marker, opts.cwd));

  const outTail = new TailBuffer(sink ? 0 : tailBytes);
  const errTail = new TailBuffer(tailBytes);
  const outLines = opts.onStdout && !sink ? new LineSplitter(opts.onStdout) : undefined;
  const errLines = opts.onStderr ? new LineSplitter(opts.onStderr) : undefined;
  let pgid: number | undefined;
  // Set while an abort waits for the process group id (the run was aborted before the marker line came).
  let onPgidKnown: (() => void) | undefined;
  // Until the marker line is seen, stderr bytes are held back (at most MARKER_LINE_MAX).
  let errHead: Buffer | undefined = Buffer.alloc(0);

  const pushErr = (chunk: Buffer): void => {
    errTail.push(chunk);
    errLines?.push(chunk);
  };

  channel.stderr.on('data', (chunk: Buffer) => {
    if (errHead === undefined) return pushErr(chunk);
    const head: Buffer = Buffer.concat([errHead, chunk]);
    const nl = head.indexOf(0x0a);
    if (nl < 0 && head.length < MARKER_LINE_MAX) {
      errHead = head;
      return;
    }
    errHead = undefined;
    const first = head.subarray(0, nl < 0 ? head.length : nl).toString('latin1');
    if (nl >= 0 && first.startsWith(marker) && /^\d+$/.test(first.slice(marker.length))) {
      pgid = Number(first.slice(marker.length));
      onPgidKnown?.();
      if (head.length > nl + 1) pushErr(head.subarray(nl + 1));
    } else {
      pushErr(head);
    }
  });

  return new Promise<ChannelRunResult>((resolve) => {
    let timedOut = false;
    let connectionError: string | undefined;
    let sinkError: Error | undefined;
    let done = false;
    let aborting = false;
    let timer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    let stdoutBytes = 0;
    // Stream mode: set once the command is being killed, so what is still buffered drains into nothing.
    let discard = false;
    let waitingForDrain = false;

    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(closeTimer);
      unsubscribe();
      sink?.off('drain', onDrain);
      if (errHead && errHead.length) pushErr(errHead);
      errHead = undefined;
      outLines?.end();
      errLines?.end();
      const { code, signal } = exit;
      if (code === null && !signal && !timedOut && !connectionError && !sinkError) {
        connectionError = host.lostReason() ?? 'the channel closed without an exit status (session killed?)';
      }
      resolve({
        code: timedOut ? null : code,
        ...(signal ? { signal } : {}),
        stdout: outTail.text(),
        stderr: errTail.text(),
        truncated: outTail.truncated || errTail.truncated,
        durationMs: Date.now() - started,
        timedOut,
        ...(connectionError ? { connectionError } : {}),
        stdoutBytes,
        ...(sinkError ? { sinkError } : {})
      });
    };

    /** Kills the remote process group (TERM, then KILL) and closes the channel; `why` is for the case the group is not known. */
    const abortRemote = (why: string): void => {
      if (aborting) return;
      aborting = true;
      if (sink) {
        discard = true;
        channel.resume();
      }
      const closeAnyway = (): void => {
        if (done) return;
        closeTimer = setTimeout(() => {
          channel.close();
          finish();
        }, CLOSE_AFTER_KILL_MS);
      };
      const killGroup = (group: number): void => {
        runControl(host.client, killGroupCommand(group), KILL_GRACE_MS + 3000)
          .catch((err: unknown) => {
            connectionError = `${why}, and killing the remote process group failed: ${String(err)}`;
          })
          .finally(() => {
            channel.close();
            closeAnyway();
          });
      };
      if (pgid !== undefined) return killGroup(pgid);
      // Aborted before the wrapper announced its process group (a destination closed while the channel
      // opened, on a slow machine): wait briefly for it, since closing a channel without a pty leaves
      // the remote command running.
      const giveUp = setTimeout(() => {
        onPgidKnown = undefined;
        connectionError = `${why} before the remote process group was known; it may still be running`;
        channel.close();
        closeAnyway();
      }, PGID_WAIT_MS);
      onPgidKnown = () => {
        onPgidKnown = undefined;
        clearTimeout(giveUp);
        if (pgid !== undefined) killGroup(pgid);
      };
    };

    const onDrain = (): void => {
      waitingForDrain = false;
      channel.resume();
    };

    if (sink) {
      channel.on('data', (chunk: Buffer) => {
        if (discard) return;
        stdoutBytes += chunk.length;
        if (!sink.write(chunk) && !waitingForDrain && !discard) {
          waitingForDrain = true;
          channel.pause();
          sink.once('drain', onDrain);
        }
      });
      const failSink = (err: Error): void => {
        if (done || sinkError) return;
        sinkError = err;
        abortRemote('the destination failed');
      };
      // Stays attached after the run: an error the sink raises later must not become an uncaught exception.
      sink.on('error', failSink);
      const closedEarly = (): void => failSink(new Error('the destination was closed before the command finished'));
      sink.once('close', closedEarly);
      // Closed while the channel was being opened: its 'close' event has already gone by.
      if (sink.destroyed || sink.writableEnded) closedEarly();
    } else {
      channel.on('data', (chunk: Buffer) => {
        outTail.push(chunk);
        outLines?.push(chunk);
      });
    }

    const unsubscribe = host.onLost((reason) => {
      connectionError = reason;
      finish();
    });

    // After the streams' buffered data has flowed (resume() emits it on a later tick).
    void closed.then(() => setImmediate(finish));

    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        abortRemote('timed out');
      }, timeoutMs);
    }

    if (opts.stdin !== undefined) channel.end(opts.stdin);
    else channel.end();
  });
}

/** Throws a RemoteCommandError unless the result is a clean exit 0. `code === null` is never success. */
export function assertSucceeded(host: string, label: string, result: ExecResult): ExecResult {
  if (result.code === 0 && !result.timedOut) return result;
  const tail = scrubSecrets(lastLines(result.stderr, 20, 4000));
  let detail: string;
  if (result.timedOut) detail = `timed out after ${result.durationMs} ms; the remote process group was killed`;
  else if (result.code !== null) detail = `exited with code ${result.code}`;
  else if (result.signal) detail = `was killed by signal ${result.signal}`;
  else detail = `ended without an exit status: outcome unknown (${result.connectionError ?? 'no reason given'})`;
  throw new RemoteCommandError(host, label, result.code, tail, detail);
}

/** The last `n` lines of `text`, at most `maxChars`. */
export function lastLines(text: string, n: number, maxChars: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const tail = lines.slice(-n).join('\n');
  return tail.length > maxChars ? tail.slice(-maxChars) : tail;
}

/** Result of an unwrapped control command: small, bounded. */
export interface RawExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` exactly as given (no `setsid` wrapper, so the login shell itself interprets it),
 * keeping 64 KiB of each stream. Used for the shell probe; on timeout the channel is closed and
 * `code` is null.
 */
export async function runRawExec(client: Client, command: string, timeoutMs: number): Promise<RawExecResult> {
  const { channel, exit, closed } = await openChannel(client, command);
  const out = new TailBuffer(64 * 1024);
  const err = new TailBuffer(64 * 1024);
  channel.on('data', (c: Buffer) => out.push(c));
  channel.stderr.on('data', (c: Buffer) => err.push(c));
  return new Promise((resolve) => {
    const timer = setTimeout(() => channel.close(), timeoutMs);
    void closed.then(() =>
      setImmediate(() => {
        clearTimeout(timer);
        resolve({ code: exit.code, stdout: out.text(), stderr: err.text() });
      })
    );
    channel.end();
  });
}
