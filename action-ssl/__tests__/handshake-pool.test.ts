// TLS handshakes over worker threads: the plan (pure), and the worker path run for real from a worker
// bundled on the fly, against in-process TLS servers, giving the same verdicts as this thread alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { createTlsScenarios, startHangingServer, startTlsServer, type RunningServer, type TlsScenarioSet } from '../../test-support/tls/index.js';
import { checkEndpoints, endpointCheck, type CheckOptions, type EndpointResult } from '../src/check-endpoints.js';
import { planHandshakes, WORKER_HEAD_START, type HandshakeThreads } from '../src/handshake-pool.js';
import { parseTlsTarget, type TlsTarget } from '../src/targets.js';
import { bundleHandshakeWorker } from '../../test-support/bundle-worker.js';

const WORKER = new URL('file:///opt/action/dist/workers/tls-handshake.js');

describe('planning where the handshakes run', () => {
  const bundle = (cores: number): HandshakeThreads => ({ cores, workerUrl: WORKER });
  it.each([
    [100, 100, '2 cores', 'workers', [70, 30], /^100 handshakes over 2 threads on 2 cores: 70 in this thread, 30 in each of 1 worker$/, bundle(2)],
    [100, 100, '4 cores', 'workers', [55, 15, 15, 15], /over 4 threads on 4 cores: 55 in this thread, 15 in each of 3 workers/, bundle(4)],
    [100, 3, '8 cores', 'workers', [60, 20, 20], /over 3 threads on 8 cores/, bundle(8)],
    [48, 100, '2 cores', 'workers', [44, 4], /over 2 threads/, bundle(2)],
    [47, 100, '2 cores', 'in-thread', undefined, /^47 handshakes in this thread: too few for a worker thread to finish sooner/, bundle(2)],
    [5, 100, '2 cores', 'in-thread', undefined, /too few for a worker thread/, bundle(2)],
    [100, 100, '1 core', 'in-thread', undefined, /1 core, nothing to spread over/, bundle(1)],
    [100, 1, '2 cores', 'in-thread', undefined, /concurrency 1 allows one handshake at a time/, bundle(2)],
    [100, 100, '2 cores but no worker bundle (from source)', 'in-thread', undefined, /running from source, without the worker bundle/, { cores: 2 }]
  ] as Array<[number, number, string, string, number[] | undefined, RegExp, HandshakeThreads]>)(
    '%i handshakes at concurrency %i on %s run %s, shared %j',
    (jobs, concurrency, _, mode, shares, reason, threads) => {
      const plan = planHandshakes(jobs, concurrency, threads);
      expect(plan.mode).toBe(mode);
      expect(plan.mode === 'workers' ? plan.shares : undefined).toEqual(shares);
      expect(plan.reason).toMatch(reason);
    }
  );

  it('gives this thread the head start and never loses or adds a handshake', () => {
    for (let jobs = 0; jobs <= 300; jobs++) {
      for (const cores of [2, 3, 4, 16]) {
        const plan = planHandshakes(jobs, 100, { cores, workerUrl: WORKER });
        if (plan.mode !== 'workers') continue;
        expect(plan.shares.reduce((a, b) => a + b, 0)).toBe(jobs);
        expect(plan.shares[0]).toBeGreaterThanOrEqual(plan.shares[1] + WORKER_HEAD_START);
      }
    }
  });
});

describe('handshakes on worker threads', () => {
  type Case = 'valid' | 'expiring' | 'expired' | 'wrongName' | 'selfSigned' | 'missingIntermediate';
  const CASES: Case[] = ['valid', 'expiring', 'expired', 'wrongName', 'selfSigned', 'missingIntermediate'];
  let dir: string;
  let workerUrl: URL;
  let scenarios: TlsScenarioSet;
  let servers: RunningServer[] = [];
  let targets: TlsTarget[];
  let ca: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'a2a-tls-worker-'));
    workerUrl = await bundleHandshakeWorker(dir);
    scenarios = await createTlsScenarios();
    // 56 endpoints, every certificate case several times, plus one that never answers and one refused port.
    servers = await Promise.all(Array.from({ length: 54 }, (_, i) => startTlsServer(scenarios[CASES[i % CASES.length]])));
    const hanging = await startHangingServer();
    const closed = await startHangingServer();
    await closed.close();
    servers.push(hanging);
    targets = [...servers.map((s) => parseTlsTarget(`localhost:${s.port}=127.0.0.1`, 'test')), parseTlsTarget(`127.0.0.1:${closed.port}`, 'test')];
    ca = [...rootCertificates, scenarios.root.certPem];
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const options = (threads: HandshakeThreads, log?: string[]): CheckOptions => ({
    thresholds: { warnDays: 30, failDays: 7 },
    timeoutMs: 1500,
    ca,
    concurrency: 100,
    threads,
    log: { debug: (line) => log?.push(line) }
  });

  /** What a report shows of a result: everything but the handshake's timing. */
  const shown = (r: EndpointResult): unknown => {
    const { details, ...check } = endpointCheck(r, { warnDays: 30, failDays: 7 });
    return { check, details: details?.replace(/handshake [\d.]+ ms/g, 'handshake N ms') };
  };

  it('spreads the handshakes over this thread and a worker and reports exactly what one thread reports', async () => {
    const log: string[] = [];
    const spread = await checkEndpoints(targets, options({ cores: 2, workerUrl }, log));
    const alone = await checkEndpoints(targets, options({ cores: 1 }));
    expect(log).toEqual([expect.stringMatching(/^TLS 56 handshakes over 2 threads on 2 cores: 48 in this thread, 8 in each of 1 worker$/)]);
    expect(spread.map(shown)).toEqual(alone.map(shown));
    // The worker's share (the last 8) came back with every certificate fact, not just a status.
    const fromWorker = spread.slice(-8).map((r) => endpointCheck(r, { warnDays: 30, failDays: 7 }));
    // Servers 48..53 serve valid, expiring, expired, wrongName, selfSigned, missingIntermediate.
    expect(fromWorker.map((c) => c.status)).toEqual(['ok', 'warn', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
    expect(fromWorker[2].message).toMatch(/^expired 5\.\d days ago/);
    expect(fromWorker[0].details).toContain('CN=localhost ← CN=A2A Test Intermediate CA ← CN=A2A Test Root CA');
    expect(fromWorker[0].details).toContain('DNS:localhost');
    expect(fromWorker.slice(-2).map((c) => c.message)).toEqual(['no TLS handshake within 1500 ms', expect.stringMatching(/^connection refused by 127\.0\.0\.1:\d+/)]);
  }, 30_000);

  it('logs the choice of this thread alone when there are too few handshakes for a worker', async () => {
    const log: string[] = [];
    const results = await checkEndpoints(targets.slice(0, 3), options({ cores: 2, workerUrl }, log));
    expect(results.map((r) => r.status)).toEqual(['ok', 'warn', 'fail']);
    expect(log).toEqual([expect.stringMatching(/^TLS 3 handshakes in this thread: too few/)]);
  });

  it.each([
    ['is missing', (): URL => pathToFileURL(join(dir, 'missing.js')), /the TLS handshake worker .*missing\.js failed: .*; the action's dist\/ is incomplete or damaged/],
    ['throws', (): URL => script('throws.mjs', "throw new Error('broken bundle');"), /throws\.mjs failed: broken bundle/],
    ['exits without answering', (): URL => script('exits.mjs', 'process.exit(3);'), /exits\.mjs exited \(code 3\) before sending its results/],
    ['answers with the wrong number of results', (): URL => script('short.mjs', "import { parentPort } from 'node:worker_threads'; parentPort.postMessage([]);"), /short\.mjs answered with 0 results for 8 handshakes/]
  ])('fails the run, naming the worker, when the worker %s', async (_, url, message) => {
    await expect(checkEndpoints(targets, options({ cores: 2, workerUrl: url() }))).rejects.toThrow(message);
  });

  function script(name: string, code: string): URL {
    writeFileSync(join(dir, name), code);
    return pathToFileURL(join(dir, name));
  }
});
