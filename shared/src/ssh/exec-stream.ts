// Remote commands whose stdout is an artifact (a backup: `pg_dump -Fc | zstd` on the host, bytes to the
// runner): raw bytes into a Writable with backpressure, and every stage of a remote pipeline checked.
import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { scrubSecrets } from '../secrets.js';
import { PipelineStageError, RemoteCommandError } from './errors.js';
import { assertSucceeded, commandLabel, lastLines, runExecToSink, type ChannelRunResult, type ExecHost } from './exec.js';
import type { PipelineStage, StreamExecOptions, StreamExecResult } from './types.js';

/** Default stderr bytes kept by `execToStream` (stdout is the artifact and is never kept). */
export const STREAM_STDERR_TAIL_BYTES = 64 * 1024;

/** SIGPIPE as a shell exit status (128 + 13): a stage that died because the next one stopped reading. */
const SIGPIPE_STATUS = 128 + osConstants.signals.SIGPIPE;

/**
 * POSIX sh text that runs `stages` as one pipeline, first stage's stdout into the second's stdin and so
 * on, the last stage's stdout on the script's stdout, and records EVERY stage's exit status: sh has no
 * portable `pipefail`, so each stage runs as `( stage ) ; echo "i:$?" >&3` with fd 3 the pipe of a
 * command substitution that collects the statuses (the classic technique), while fd 4 carries the real
 * stdout out of it. Stages run in their own subshell (an `exit` in a stage ends only that stage) with
 * fds 3 and 4 closed, so nothing a stage leaves behind holds the status pipe open. At the end one
 * line `<marker><i:code> ...` goes to stderr, and the script exits 1 when a stage failed or reported no
 * status. Tested under dash, bash and busybox sh.
 */
export function pipelineCommand(stages: readonly string[], marker: string): string {
  if (stages.length === 0) throw new TypeError('pipelineCommand: give at least one stage');
  if (!/^[A-Za-z0-9_:-]+$/.test(marker)) throw new TypeError('pipelineCommand: the marker must be plain ASCII letters, digits, _ : -');
  const last = stages.length - 1;
  const parts = stages.map((stage, i) => {
    if (!stage.trim()) throw new TypeError(`pipelineCommand: stage ${i + 1} is empty`);
    // The newline before ')' ends a stage that finishes in a `# comment`.
    const out = i === last ? '>&4 ' : '';
    return `{ ( ${stage}\n) ${out}3>&- 4>&-; echo "${i + 1}:$?" >&3; }`;
  });
  return [
    'exec 4>&1',
    `a2a_st=$( { ${parts.join(' | ')}; } 3>&1 )`,
    'exec 4>&-',
    'set -- $a2a_st',
    'a2a_rc=0',
    `[ $# -eq ${stages.length} ] || a2a_rc=1`,
    'for a2a_s; do [ "${a2a_s#*:}" = 0 ] || a2a_rc=1; done',
    `printf '%s%s\\n' '${marker}' "$*" >&2`,
    'exit $a2a_rc'
  ].join('\n');
}

/**
 * Takes the stage-status line written by `pipelineCommand` out of `stderr`. Returns the statuses (a
 * stage without one has `code: null`; `undefined` when the line never came, e.g. the script was
 * killed) and stderr without the line.
 */
export function extractStageStatuses(stderr: string, marker: string, stages: readonly string[]): { stages?: PipelineStage[]; stderr: string } {
  // The last occurrence whose rest of line is nothing but `i:code` tokens: a shell error message that
  // quotes the script (and so the marker) is not mistaken for it.
  for (let at = stderr.lastIndexOf(marker); at >= 0; at = at === 0 ? -1 : stderr.lastIndexOf(marker, at - 1)) {
    const nl = stderr.indexOf('\n', at);
    const rest = stderr.slice(at + marker.length, nl < 0 ? undefined : nl);
    if (!/^(?:\d+:\d+(?: \d+:\d+)*)?$/.test(rest)) continue;
    const codes = new Map(rest ? rest.split(' ').map((t) => t.split(':').map(Number) as [number, number]) : []);
    return {
      stages: stages.map((command, i) => ({ index: i + 1, command, code: codes.get(i + 1) ?? null })),
      stderr: stderr.slice(0, at) + stderr.slice(nl < 0 ? stderr.length : nl + 1)
    };
  }
  return { stderr };
}

/**
 * The stage a failed pipeline is blamed on: the first that failed other than by SIGPIPE, since a stage
 * killed by SIGPIPE only lost its reader (zstd failed, so pg_dump's writes broke); else the first failed.
 */
export function blamedStage(stages: readonly PipelineStage[]): PipelineStage | undefined {
  const failed = stages.filter((s) => s.code !== 0);
  return failed.find((s) => s.code !== SIGPIPE_STATUS) ?? failed[0];
}

/** `exited with code 3`, `exited with code 141 (128+13: killed by SIGPIPE)`, `reported no exit status`. */
function describeStageCode(code: number | null): string {
  if (code === null) return 'reported no exit status (killed?)';
  const signo = code - 128;
  const name = signo > 0 ? Object.entries(osConstants.signals).find(([, n]) => n === signo)?.[0] : undefined;
  return name ? `exited with code ${code} (128+${signo}: killed by ${name})` : `exited with code ${code}`;
}

/** The status line is ours, not the command's: it stays out of the caller's log (text before it on the line does not). */
function withoutStatusLine(onLine: (line: string) => void, marker: string): (line: string) => void {
  return (line) => {
    const at = line.indexOf(marker);
    if (at < 0) onLine(line);
    else if (at > 0) onLine(line.slice(0, at));
  };
}

/** What `runExecToStream` is asked to run: one command, or pipeline stages checked one by one. */
export type StreamCommand = string | readonly string[];

/**
 * Runs `command` (or the pipeline of `stages`) and writes its stdout, byte for byte, into `destination`;
 * see `SshSession.execToStream`. On success the destination has been ended and has finished; on any
 * failure it has been destroyed (as `stream.pipeline` does: the partial artifact must not pass for a
 * whole one) and a RemoteCommandError (a PipelineStageError for a failed stage) naming the host is thrown.
 */
export async function runExecToStream(
  host: ExecHost,
  command: StreamCommand,
  destination: Writable,
  opts: StreamExecOptions,
  defaultTimeoutMs: number
): Promise<StreamExecResult> {
  const stages = typeof command === 'string' ? undefined : [...command];
  const text = typeof command === 'string' ? command : command.join(' | ');
  const label = commandLabel(text, opts.label);
  const statusMarker = `a2a-stages-${randomBytes(8).toString('hex')}:`;
  const script = stages ? pipelineCommand(stages, statusMarker) : text;
  if (destination.destroyed || destination.writableEnded) throw new TypeError(`execToStream: the destination of ${label} is already ended or destroyed`);
  let result: ChannelRunResult;
  try {
    result = await runExecToSink(
      host,
      script,
      {
        ...opts,
        tailBytes: opts.tailBytes ?? STREAM_STDERR_TAIL_BYTES,
        ...(opts.onStderr ? { onStderr: stages ? withoutStatusLine(opts.onStderr, statusMarker) : opts.onStderr } : {})
      },
      defaultTimeoutMs,
      destination
    );
  } catch (err) {
    destination.destroy();
    throw err;
  }
  const statuses = stages ? extractStageStatuses(result.stderr, statusMarker, stages) : undefined;
  const stderr = statuses ? statuses.stderr : result.stderr;
  try {
    checkStreamResult(host.hostLabel, label, { ...result, stderr }, stages, statuses?.stages);
  } catch (err) {
    destination.destroy();
    throw err;
  }
  try {
    destination.end();
    await finished(destination, { readable: false });
  } catch (err) {
    throw new RemoteCommandError(host.hostLabel, label, 0, '', `succeeded, but its output could not be completed at the destination: ${(err as Error).message}`);
  }
  return {
    bytes: result.stdoutBytes,
    stderr,
    truncated: result.truncated,
    durationMs: result.durationMs,
    ...(statuses?.stages ? { stages: statuses.stages } : {})
  };
}

/** Throws unless the run, the destination and (when given) every stage succeeded. */
function checkStreamResult(host: string, label: string, result: ChannelRunResult, stages: string[] | undefined, statuses: PipelineStage[] | undefined): void {
  const tail = (): string => scrubSecrets(lastLines(result.stderr, 20, 4000));
  if (result.sinkError) {
    throw new RemoteCommandError(
      host,
      label,
      result.code,
      tail(),
      `could not be written to its destination (${result.sinkError.message}) after ${result.stdoutBytes} bytes; the remote process group was killed`
    );
  }
  if (result.timedOut) assertSucceeded(host, label, result);
  if (stages && statuses) {
    const blamed = blamedStage(statuses);
    if (blamed) {
      const all = statuses.map((s) => `${s.index}=${s.code ?? 'none'}`).join(', ');
      throw new PipelineStageError(
        host,
        label,
        blamed.index,
        blamed.command,
        statuses,
        tail(),
        `failed at stage ${blamed.index} of ${stages.length} (${scrubSecrets(commandLabel(blamed.command))}), which ${describeStageCode(blamed.code)} (stage exit codes: ${all})`
      );
    }
  }
  assertSucceeded(host, label, result);
  if (stages && !statuses) {
    throw new RemoteCommandError(host, label, result.code, tail(), 'ended without reporting the exit status of every stage: outcome unknown');
  }
}
