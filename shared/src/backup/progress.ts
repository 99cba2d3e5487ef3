// Progress of long byte streams (a dump, a transfer, a restore) as a person watching the log expects:
// bytes so far, rate and elapsed time every few seconds, plus the SHA-256 of what passed.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { formatBytes, formatDuration } from '../report/markdown-text.js';

/** Default seconds between progress lines. */
export const PROGRESS_INTERVAL_MS = 5000;

/** One progress line: `dump: 120.5 MB so far, 40.2 MB/s, 3 s elapsed`. */
export function progressLine(what: string, bytes: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0;
  // Whole seconds up to an hour: a line every few seconds must show the clock moving (the report format rounds to minutes).
  const elapsed = elapsedMs < 3_600_000 ? `${Math.round(elapsedMs / 1000)} s` : formatDuration(elapsedMs);
  return `${what}: ${formatBytes(bytes)} so far, ${formatBytes(rate)}/s, ${elapsed} elapsed`;
}

/**
 * A pass-through stream that counts and hashes the bytes flowing through it and logs a progress line
 * every `intervalMs`. Call `stop()` when done (the timer is also cleared on end and destroy).
 */
export class ProgressMeter extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly what: string,
    private readonly log: (line: string) => void,
    intervalMs = PROGRESS_INTERVAL_MS
  ) {
    super();
    this.timer = setInterval(() => this.log(progressLine(this.what, this.bytes, this.elapsedMs)), intervalMs);
    this.timer.unref();
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.stop();
    done();
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    this.stop();
    done(err);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The SHA-256 (hex) of every byte that passed; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Logs a progress line every `intervalMs` for work whose byte count another party knows (`read()`); returns the stop function. */
export function startProgressTicker(what: string, read: () => number, log: (line: string) => void, intervalMs = PROGRESS_INTERVAL_MS): () => void {
  const started = performance.now();
  const timer = setInterval(() => log(progressLine(what, read(), performance.now() - started)), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A Writable that writes a new file (`wx`, mode 0600: never over an existing one) while counting and
 * hashing the bytes and logging progress. It finishes only once the file is closed, so "finished" means
 * every byte reached the file (or the error, e.g. ENOSPC, is this stream's error).
 */
export class MeteredFile extends Writable {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly file: WriteStream;
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly path: string,
    what: string,
    log: (line: string) => void,
    intervalMs = PROGRESS_INTERVAL_MS
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.file.on('error', (err) => this.destroy(err));
    this.timer = setInterval(() => log(progressLine(what, this.bytes, this.elapsedMs)), intervalMs);
    this.timer.unref();
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.file.write(chunk)) done();
    else this.file.once('drain', () => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    clearInterval(this.timer);
    this.file.end((err?: Error | null) => done(err));
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    clearInterval(this.timer);
    if (this.file.closed) done(err);
    else {
      this.file.once('close', () => done(err));
      this.file.destroy();
    }
  }

  /** The SHA-256 (hex) of every byte written; call once, after the stream finished. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
