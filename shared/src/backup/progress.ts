// Progress of long byte streams (a dump, a transfer, a restore) as a person watching the log expects:
// bytes so far, rate and elapsed time every few seconds, plus the SHA-256 of what passed.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { formatBytes } from '../health/database/format.js';
import { formatDuration } from '../report/markdown-text.js';

/** Default seconds between progress lines. */
export const PROGRESS_INTERVAL_MS = 5000;

/** One progress line: `dump: 120.5 MB so far, 40.2 MB/s, 3 s elapsed`. */
export function progressLine(what: string, bytes: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0;
  return `${what}: ${formatBytes(bytes)} so far, ${formatBytes(rate)}/s, ${formatDuration(elapsedMs)} elapsed`;
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
