// Streaming remote output: whole decoded lines, bounded memory on large output, UTF-8 split across chunks.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LineSplitter, TailBuffer, type SshSession } from '../src/index.js';
import { connectToTestServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

/** A full collection, so memory figures show what is retained (gc exposed at run time, not by a flag). */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let server: TestSshServer;
let session: SshSession;

beforeAll(async () => {
  server = await startSshServer();
  session = await connectToTestServer(server);
});
afterAll(async () => {
  await session.close();
  await server.close();
});

describe('LineSplitter', () => {
  it('decodes a multi-byte character split at every possible byte offset', () => {
    const text = 'grüße €100 𝄞 ok\nzweite Zeile ✓\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines: string[] = [];
      const splitter = new LineSplitter((l) => lines.push(l));
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      splitter.end();
      expect(lines).toEqual(['grüße €100 𝄞 ok', 'zweite Zeile ✓']);
    }
  });

  it('delivers an endless line in bounded pieces', () => {
    const pieces: string[] = [];
    const splitter = new LineSplitter((l) => pieces.push(l));
    for (let i = 0; i < 40; i++) splitter.push(Buffer.alloc(8192, 'a'));
    splitter.end();
    expect(pieces.join('')).toHaveLength(40 * 8192);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('TailBuffer', () => {
  it('keeps exactly the last bytes and drops a character cut at the front', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('abc€'));
    tail.push(Buffer.from('xy'));
    // The last 4 bytes are 0x82 0xAC 'x' 'y': the cut '€' is dropped, not turned into replacement characters.
    expect(tail.text()).toBe('xy');
    expect(tail.truncated).toBe(true);
    expect(tail.total).toBe(8);
  });
});

describe('large remote output', () => {
  it('streams 50 MB in whole lines while keeping only the tail in memory', async () => {
    const lineText = 'a2a-world log line with some text';
    const totalBytes = 50 * 1024 * 1024;
    let lines = 0;
    let badLines = 0;
    let peak = 0;
    collectGarbage();
    const base = process.memoryUsage();
    const r = await session.exec(`yes '${lineText}' | head -c ${totalBytes}`, {
      tailBytes: 64 * 1024,
      onStdout: (line) => {
        lines++;
        if (line !== lineText && !lineText.startsWith(line)) badLines++;
        if (lines % 50_000 === 0) {
          // What is retained, not garbage not yet collected: a loaded machine collects late (1 run in 5 failed).
          collectGarbage();
          const m = process.memoryUsage();
          peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
        }
      }
    });
    expect(r.code).toBe(0);
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(64 * 1024);
    expect(r.stdout.endsWith(`${lineText}\n`) || lineText.startsWith(r.stdout.split('\n').pop() ?? '')).toBe(true);
    expect(lines).toBe(Math.ceil(totalBytes / (lineText.length + 1)));
    expect(badLines).toBe(0);
    // Holding the whole output would need more than its size (Buffers plus strings); the bounded path
    // retains only its tail.
    expect(peak).toBeLessThan(totalBytes);
    // A correctness test, not a timed one: on a loaded 2-core machine the 50 MB take over 30 s.
  }, 120_000);

  it('decodes a line of 3-byte characters that SSH packet boundaries split', async () => {
    const lines: string[] = [];
    // 'x' first so the 3-byte characters straddle the (even-sized) packet boundaries.
    const r = await session.exec(`printf x; i=0; while [ $i -lt 100 ]; do head -c 3000 /dev/zero | tr '\\0' '@' | sed 's/@/€/g'; i=$((i+1)); done; echo`, {
      onStdout: (l) => lines.push(l)
    });
    expect(r.code).toBe(0);
    const joined = lines.join('');
    expect(joined).toBe(`x${'€'.repeat(300_000)}`);
    expect(joined.includes('\ufffd')).toBe(false);
    expect(r.stdout).toBe(`x${'€'.repeat(300_000)}\n`);
  });
});
