// Progress lines of long byte streams, as a person watching the log expects: bytes so far, rate, elapsed.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MeteredFile, ProgressMeter, progressLine } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** 10 chunks of 64 KiB, 30 ms apart. */
function slowSource(): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 30));
        yield Buffer.alloc(64 * 1024, i);
      }
    })()
  );
}

describe('progress', () => {
  it.each([
    { bytes: 0, ms: 0, line: 'dump: 0 B so far, 0 B/s, 0 s elapsed' },
    { bytes: 52_428_800, ms: 2000, line: 'dump: 50.0 MB so far, 25.0 MB/s, 2 s elapsed' },
    { bytes: 3 * 1024 ** 3, ms: 90_000, line: 'dump: 3.0 GB so far, 34.1 MB/s, 90 s elapsed' },
    { bytes: 10 * 1024 ** 3, ms: 2 * 3_600_000, line: 'dump: 10.0 GB so far, 1.4 MB/s, 2 h elapsed' }
  ])('formats $bytes bytes after $ms ms', ({ bytes, ms, line }) => {
    expect(progressLine('dump', bytes, ms)).toBe(line);
  });

  it('MeteredFile logs a line every interval while bytes flow, and stops at the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-backup-progress-'));
    dirs.push(dir);
    const lines: string[] = [];
    const sink = new MeteredFile(join(dir, 'out'), 'dump and transfer', (l) => lines.push(l), 50);
    await pipeline(slowSource(), sink);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l).toMatch(/^dump and transfer: [\d.]+ (B|kB|MB) so far, [\d.]+ (B|kB|MB)\/s, \d+ s elapsed$/);
    const count = lines.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(lines.length).toBe(count);
    expect(sink.bytes).toBe(10 * 64 * 1024);
  });

  it('ProgressMeter passes the bytes through unchanged and hashes them', async () => {
    const lines: string[] = [];
    const meter = new ProgressMeter('restore', (l) => lines.push(l), 50);
    const chunks: Buffer[] = [];
    await pipeline(slowSource(), meter, async function* (source) {
      for await (const c of source) chunks.push(c as Buffer);
    });
    expect(Buffer.concat(chunks).length).toBe(10 * 64 * 1024);
    expect(meter.digest()).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.some((l) => l.startsWith('restore: '))).toBe(true);
  });
});
