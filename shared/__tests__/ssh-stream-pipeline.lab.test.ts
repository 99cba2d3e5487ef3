// execToStream on real OpenSSH (lab part `hosts`): every pipeline stage's exit status, 200 MB binary-exact
// with bounded memory, backpressure from a slow destination, zstd on the host, the group kill on timeout.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HostKeyPolicy, PipelineStageError, SshSession, type HostTarget, type SshConnectParams } from '../src/index.js';
import { pidsWithMarker, readHostsLab } from '../../test-support/lab-faults.js';
import { measuringSink } from '../../test-support/ssh-server.js';

const MB = 1024 * 1024;
let session: SshSession;

beforeAll(async () => {
  const lab = readHostsLab();
  const host = lab.hosts[1];
  const target: HostTarget = { name: host.name, address: host.address, port: host.port, user: lab.user };
  const params: SshConnectParams = {
    auth: { privateKey: readFileSync(lab.privateKeyPath, 'utf8') },
    hostKeys: HostKeyPolicy.fromInputs({ fingerprint: host.fingerprint }),
    options: { connectTimeoutMs: 5000, commandTimeoutMs: 120_000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 1, connectRetryDelayMs: 200, parallel: 1 }
  };
  session = await SshSession.connect(target, params);
});
afterAll(async () => {
  await session?.close();
});

/** SHA-256 of `n` zero bytes, computed locally a megabyte at a time. */
function zerosDigest(n: number): string {
  const hash = createHash('sha256');
  const block = Buffer.alloc(MB);
  for (let left = n; left > 0; left -= MB) hash.update(left >= MB ? block : block.subarray(0, left));
  return hash.digest('hex');
}

describe('execToStream on real sshd', () => {
  it("fails `sh -c 'printf abc; exit 3' | cat` at stage 1 with code 3, although cat exits 0", async () => {
    const out = measuringSink({ keep: true });
    const error = await session.execToStream(["sh -c 'printf abc; exit 3'", 'cat'], out.sink, { label: 'dump' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineStageError);
    expect(error).toMatchObject({ stage: 1, code: 3, host: session.label });
    expect((error as PipelineStageError).stages.map((s) => s.code)).toEqual([3, 0]);
    expect((error as Error).message).toMatch(/^dump on app2 \(.*\) failed at stage 1 of 2 \('sh -c 'printf abc; exit 3''\), which exited with code 3/);
    // The bytes did flow (cat passed them on), yet the destination was destroyed, not finished.
    expect(out.received().toString()).toBe('abc');
    expect(out.sink.destroyed).toBe(true);
  });

  it('streams 200 MB binary-exact while the runner’s memory stays bounded', async () => {
    const total = 200_000_000;
    const out = measuringSink({ highWaterMark: 64 * 1024 });
    const base = process.memoryUsage();
    const peak = { rss: 0, heap: 0 };
    const sample = (): void => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss - base.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    };
    const sampler = setInterval(sample, 20);
    const started = Date.now();
    try {
      const r = await session.execToStream([`head -c ${total} /dev/zero`, 'cat'], out.sink, { timeoutMs: 120_000 });
      sample();
      const ms = Date.now() - started;
      expect(r.bytes).toBe(total);
      expect(r.stages?.map((s) => s.code)).toEqual([0, 0]);
      expect(out.digest()).toBe(zerosDigest(total));
      // The measured figures, for the record (printed with A2A_TEST_STDOUT=show).
      console.log(
        `execToStream 200 MB: ${total} bytes in ${ms} ms (${Math.round(total / MB / (ms / 1000))} MiB/s); ` +
          `peak growth rss ${(peak.rss / MB).toFixed(1)} MiB, heap+buffers ${(peak.heap / MB).toFixed(1)} MiB`
      );
      // Keeping the stream would need 200 MB; garbage not yet collected stays far below that.
      expect(peak.rss).toBeLessThan(100 * MB);
      expect(peak.heap).toBeLessThan(100 * MB);
    } finally {
      clearInterval(sampler);
    }
  });

  it('gets every byte into a slow destination, holding no more than its buffer (backpressure)', async () => {
    const data = randomBytes(16 * MB);
    const highWaterMark = 16 * 1024;
    const out = measuringSink({ highWaterMark, delayMs: 2 });
    const r = await session.execToStream(['cat', 'cat'], out.sink, { stdin: data, timeoutMs: 120_000 });
    expect(r.bytes).toBe(data.length);
    expect(out.digest()).toBe(createHash('sha256').update(data).digest('hex'));
    expect(out.peakBuffered).toBeLessThanOrEqual(highWaterMark + 64 * 1024);
  });

  it('compresses with zstd on the host; the runner decompresses exactly the bytes produced', async () => {
    const data = Buffer.concat([randomBytes(4 * MB), Buffer.alloc(12 * MB, 'a2a-world ')]);
    const unzstd = spawn('zstd', ['-dc'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const plain = createHash('sha256');
    let plainBytes = 0;
    unzstd.stdout.on('data', (c: Buffer) => ((plainBytes += c.length), plain.update(c)));
    const exited = new Promise<number | null>((resolve) => unzstd.on('close', resolve));
    const r = await session.execToStream(['cat', 'zstd -1 -c'], unzstd.stdin, { stdin: data, timeoutMs: 120_000 });
    expect(await exited).toBe(0);
    expect(r.bytes).toBeLessThan(data.length);
    expect(plainBytes).toBe(data.length);
    expect(plain.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it("kills every stage's process on timeout, leaving no orphan on the host", async () => {
    const marker = `sleep 300 0.${process.pid}${Date.now() % 1_000_000}`;
    const out = measuringSink();
    try {
      const running = session.execToStream([`${marker}1`, `${marker}2; cat`], out.sink, { timeoutMs: 1500, label: 'dump' });
      await new Promise((r) => setTimeout(r, 800));
      expect(pidsWithMarker(marker).length).toBeGreaterThanOrEqual(2);
      await expect(running).rejects.toThrow(/^dump on app2 .* timed out after \d+ ms; the remote process group was killed/);
      expect(pidsWithMarker(marker)).toEqual([]);
      expect(out.sink.destroyed).toBe(true);
    } finally {
      for (const pid of pidsWithMarker(marker)) process.kill(pid, 'SIGKILL');
    }
  });
});
