// Bounded stream collection: whole-line callbacks with correct UTF-8 decoding, and a tail of the last N bytes.
import { StringDecoder } from 'node:string_decoder';

/** Default bytes of each stream kept in an ExecResult. */
export const DEFAULT_TAIL_BYTES = 1024 * 1024;
/** A "line" longer than this is delivered in pieces, so one endless line cannot grow memory without bound. */
export const MAX_LINE_CHARS = 64 * 1024;

/** Keeps the last `limit` bytes of everything pushed; memory stays below about 2 × limit. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Every byte ever pushed. */
  total = 0;

  constructor(readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.limit <= 0) return;
    this.chunks.push(chunk);
    this.held += chunk.length;
    if (this.held > this.limit * 2) this.compact();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks, this.held);
    const kept = Buffer.from(all.subarray(all.length - this.limit));
    this.chunks = [kept];
    this.held = kept.length;
  }

  /** True when bytes were dropped from the front. */
  get truncated(): boolean {
    return this.total > this.limit;
  }

  /** The kept tail decoded as UTF-8; a character cut in half at the front is dropped, not mangled. */
  text(): string {
    if (this.held > this.limit) this.compact();
    let buf = Buffer.concat(this.chunks, this.held);
    if (this.truncated) {
      // Skip UTF-8 continuation bytes (10xxxxxx) left over from a character whose start was dropped.
      let i = 0;
      while (i < buf.length && i < 4 && (buf[i] & 0xc0) === 0x80) i++;
      buf = buf.subarray(i);
    }
    return buf.toString('utf8');
  }
}

/** Splits a byte stream into decoded lines; multi-byte characters split across chunks are joined first. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    while (this.partial.length > MAX_LINE_CHARS) {
      this.onLine(this.partial.slice(0, MAX_LINE_CHARS));
      this.partial = this.partial.slice(MAX_LINE_CHARS);
    }
  }

  /** Delivers what is left (a last line without newline). */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest) this.onLine(rest);
  }
}
