// Pipelines of programs on the runner (`pg_dump | zstd`, `zstd -dc | pg_restore`) with EVERY stage's
// exit status checked, the last stage's stdout streamed into a Writable with backpressure, and all
// stages killed on the first failure, on abort, or when the destination fails (disk full).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { scrubSecrets } from '../secrets.js';
import { LineSplitter, TailBuffer } from '../ssh/stream.js';

/** One program of a local pipeline. `env` is added to the runner's environment (e.g. PGPASSWORD). */
export interface LocalStage {
  file: string;
  args: string[];
  env?: Record<string, string>;
  /** Short name for messages (`pg_dump`); defaults to `file`. */
  name?: string;
}

/** How a local stage ended. */
export interface LocalStageResult {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last bytes of its stderr, scrubbed of registered secrets. */
  stderr: string;
}

/** A stage of a local pipeline failed (or the destination did); `stages` says how each one ended. */
export class LocalPipelineError extends Error {
  override name = 'LocalPipelineError';
  constructor(
    message: string,
    readonly stages: LocalStageResult[],
    /** The stage blamed, or undefined when the destination or an abort ended the run. */
    readonly blamed?: LocalStageResult
  ) {
    super(message);
  }
}


function describeEnd(r: LocalStageResult): string {
  if (r.signal) return `was killed by ${r.signal}`;
  if (r.code === null) return 'did not report an exit status';
  return `exited with code ${r.code}`;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-3).join(' | ').slice(0, 600);
}

/** Options of `runLocalPipeline`. */
export interface LocalPipelineOptions {
  signal?: AbortSignal;
  /** Whole stderr lines of every stage as they come, prefixed with the stage name, scrubbed. */
  onStderr?: (line: string) => void;
  /** A Readable fed to the first stage's stdin (e.g. a backup file being restored); stdin is closed without it. */
  stdin?: Readable;
  /** The last stage may stop reading early by design (`pg_restore --list` reads only the TOC): when it exits 0, earlier stages that lost their reader are not failures. */
  lastStageMayStopEarly?: boolean;
  /** Streams between the last stage and the destination (a ProgressMeter that counts and hashes). */
  through?: Transform[];
}

/**
 * Runs `stages` as a pipeline (stage i's stdout is stage i+1's stdin, kernel pipes only: the bytes of
 * the middle never pass through Node) and streams the last stage's stdout into `destination`
 * (`undefined`: the output is discarded). Resolves when every stage exited 0 and the destination
 * finished; otherwise kills what still runs and throws LocalPipelineError naming the stage to blame (the
 * first that failed other than by SIGPIPE, since that one only lost its reader) and its stderr.
 * The destination is destroyed on failure, as `stream.pipeline` does.
 */
export async function runLocalPipeline(stages: readonly LocalStage[], destination: Writable | undefined, opts: LocalPipelineOptions = {}): Promise<LocalStageResult[]> {
  if (stages.length === 0) throw new TypeError('runLocalPipeline: give at least one stage');
  const children: ChildProcess[] = [];
  const tails: TailBuffer[] = [];
  const exits: Array<Promise<LocalStageResult>> = [];
  let previous: Readable | undefined;
  // Each stage leads its own process group, so a kill reaches what it started too (a wrapper's children).
  const killAll = (): void => {
    for (const child of children) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  opts.signal?.addEventListener('abort', killAll, { once: true });
  try {
    stages.forEach((stage, i) => {
      const name = stage.name ?? stage.file;
      const first = i === 0;
      const last = i === stages.length - 1;
      const stdin = first ? (opts.stdin ? 'pipe' : 'ignore') : previous!;
      const child = spawn(stage.file, stage.args, {
        env: { ...process.env, ...stage.env },
        stdio: [stdin, last && !destination ? 'ignore' : 'pipe', 'pipe'],
        detached: true
      });
      children.push(child);
      // The child has its copy of the pipe now; ours must close, or the writer would never see its reader go.
      if (!first) previous!.destroy();
      previous = child.stdout ?? undefined;
      const tail = new TailBuffer(16 * 1024);
      tails.push(tail);
      const lines = new LineSplitter((line) => opts.onStderr?.(scrubSecrets(`${name}: ${line}`)));
      child.stderr!.on('data', (chunk: Buffer) => {
        tail.push(chunk);
        lines.push(chunk);
      });
      exits.push(
        new Promise((resolve) => {
          child.on('error', (err) => {
            tail.push(Buffer.from(`${name}: ${err.message}\n`));
            resolve({ name, code: 127, signal: null, stderr: scrubSecrets(tail.text()) });
          });
          // 'close' waits for stderr to close, which a leftover grandchild can hold open: after 'exit', wait a little, not forever.
          let grace: NodeJS.Timeout | undefined;
          const done = (code: number | null, signal: NodeJS.Signals | null): void => {
            clearTimeout(grace);
            lines.end();
            resolve({ name, code, signal, stderr: scrubSecrets(tail.text()) });
          };
          child.on('exit', (code, signal) => {
            grace = setTimeout(() => done(code, signal), 2000);
          });
          child.on('close', done);
        })
      );
    });
    let sinkError: Error | undefined;
    const flows: Array<Promise<void>> = [];
    if (opts.stdin) {
      flows.push(
        pipeline(opts.stdin, children[0].stdin!).catch((err: NodeJS.ErrnoException) => {
          // The first stage stopping early (pg_restore --list read the TOC) closes its stdin: not a failure of ours.
          if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') sinkError ??= err;
        })
      );
    }
    if (destination) {
      flows.push(
        pipeline([children[children.length - 1].stdout!, ...(opts.through ?? []), destination]).catch((err: Error) => {
          sinkError ??= err;
          killAll();
        })
      );
    }
    // A failed stage ends the others by itself (its reader sees EOF, its writer loses the socket).
    const results = await Promise.all(exits);
    await Promise.all(flows);
    if (opts.signal?.aborted) {
      destination?.destroy();
      throw new LocalPipelineError(`${stages.map((s) => s.name ?? s.file).join(' | ')} was cancelled`, results);
    }
    // The destination failing is the root cause when it happened: every stage was stopped because of it.
    const all = results.map((r) => `${r.name}=${r.signal ?? r.code}`).join(', ');
    if (sinkError) {
      destination?.destroy();
      throw new LocalPipelineError(`the output could not be written (${sinkError.message}); every stage was stopped (stage exit codes: ${all})`, results);
    }
    // Node connects the stages with socket pairs: a writer whose reader died fails with "Connection reset
    // by peer" (or SIGPIPE) rather than on its own, and a reader seeing EOF early usually exits 0. So the
    // last failed stage is blamed, and every failed stage's own words are in the message.
    const lastOk = results[results.length - 1].code === 0 && !results[results.length - 1].signal;
    const failed = results.filter((r) => (r.code !== 0 || r.signal) && !(opts.lastStageMayStopEarly && lastOk));
    if (failed.length > 0) {
      destination?.destroy();
      const blamed = failed[failed.length - 1];
      const words = failed.map((r) => `${r.name} ${describeEnd(r)}${lastLine(r.stderr) ? `: ${lastLine(r.stderr)}` : ''}`).reverse().join('; ');
      throw new LocalPipelineError(`${words} (stage exit codes: ${all})`, results, blamed);
    }
    return results;
  } finally {
    opts.signal?.removeEventListener('abort', killAll);
    killAll();
  }
}
