// Benchmark: action-ssl checking 100 TLS endpoints at once vs the runbook's sequential
// `echo | openssl s_client | openssl x509 -noout -dates` loop. The endpoints live in a child process behind
// latency proxies (default 40 ms one way = 80 ms RTT, a typical internet path), all on 127.0.0.1; the same
// endpoints are also measured directly on loopback. Target: 100 endpoints within 1.5× of one handshake.
// "Ours" is the action as bundled: handshakes spread over worker threads (the worker is bundled on the fly
// from source, as scripts/build.mjs would); the same run on this thread alone is measured beside it.
//   npm run bench -- ssl                     (80 ms RTT and loopback)
//   SSL_BENCH_DELAY_MS=0 npm run bench -- ssl   or   npm run bench -- ssl --delay 0   (loopback only)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { defaultConfig } from '../shared/src/index.js';
import { checkEndpoints, type CheckOptions } from '../action-ssl/src/check-endpoints.js';
import { planHandshakes, type HandshakeThreads } from '../action-ssl/src/handshake-pool.js';
import { readSslInputs } from '../action-ssl/src/inputs.js';
import type { TlsTarget } from '../action-ssl/src/targets.js';
import type { EndpointStats } from './support/serve-tls-behind-latency.js';
import { bundleHandshakeWorker } from '../test-support/bundle-worker.js';
import { timeMedian, type BenchResult } from './types.js';

const N = 100;
/** The runbook loop is timed over this many endpoints and scaled to N, to keep the bench short. */
const BASELINE_SAMPLE = 20;
const SINGLE_RUNS = 7;
const OURS_RUNS = 7;

/** One-way delay from `--delay N` or SSL_BENCH_DELAY_MS, default 40 ms; bounded to 0..500. */
function delayFromArgs(): number {
  const i = process.argv.indexOf('--delay');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.SSL_BENCH_DELAY_MS;
  if (raw === undefined || raw === '') return 40;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0 || ms > 500) throw new Error(`ssl bench: the one-way delay must be 0..500 ms, got '${raw}'`);
  return ms;
}

/** The far side: a child process serving the endpoints, and a way to ask it what it saw. */
interface Endpoints {
  child: ChildProcess;
  direct: number[];
  proxied: number[];
  caPem: string;
  stats(): Promise<EndpointStats>;
}

async function startEndpoints(delayMs: number): Promise<Endpoints> {
  const script = new URL('./support/serve-tls-behind-latency.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(N), String(delayMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout! });
  const pending: Array<(line: string) => void> = [];
  lines.on('line', (line) => pending.shift()?.(line));
  const nextLine = (what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`ssl bench: the endpoint process exited (${code}) before its ${what}`));
      const timer = setTimeout(() => reject(new Error(`ssl bench: the endpoint process gave no ${what} within 20 s`)), 20_000);
      pending.push((line) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(line);
      });
      child.once('exit', onExit);
    });
  const { direct, proxied, caPem } = JSON.parse(await nextLine('port list')) as { direct: number[]; proxied: number[]; caPem: string };
  return {
    child,
    direct,
    proxied,
    caPem,
    stats: async () => {
      const answer = nextLine('stats');
      child.stdin!.write('stats\n');
      return JSON.parse(await answer) as EndpointStats;
    }
  };
}

/**
 * The options and targets exactly as the action builds them: its own input reader over `hosts` and
 * `ca-file` (the test CA is private, as a user's would be with ca-file), every other input at its default.
 */
function actionOptions(ports: number[], caFile: string): { targets: TlsTarget[]; opts: CheckOptions } {
  const env = { INPUT_HOSTS: ports.map((p) => `localhost:${p}=127.0.0.1`).join('\n'), 'INPUT_CA-FILE': caFile };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const inputs = readSslInputs({ config: defaultConfig(), common: { issue: 'auto', failOn: 'fail' }, eventName: 'local' });
    return {
      targets: inputs.targets,
      opts: { thresholds: inputs.thresholds, timeoutMs: inputs.timeoutMs, ca: inputs.ca, concurrency: inputs.concurrency }
    };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function runbookCheck(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'sh',
      ['-c', `echo | openssl s_client -connect 127.0.0.1:${port} -servername localhost 2>/dev/null | openssl x509 -noout -dates`],
      { timeout: 10_000 },
      (err, stdout) => {
        if (err || !/notAfter=/.test(stdout)) reject(err ?? new Error(`ssl bench: no dates from port ${port}`));
        else resolve();
      }
    );
  });
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What the runs of N showed for one way of running the handshakes. */
interface RunFigures {
  /** Median wall time of a run of N. */
  ms: number;
  /** Per run of N: CPU of this process, every thread (the checker), and of the endpoint process. */
  clientCpu: number;
  serverCpu: number;
  /** Share of the runs of N this process's main event loop was busy (0..1). */
  clientBusy: number;
  /** Handshake times (connect → handshake done) inside the runs of N: median and slowest. */
  handshakeMedian: number;
  handshakeMax: number;
  /** What the proxies saw during the runs of N (zero counts on the direct path). */
  endpoint: EndpointStats;
}

/** Every figure for one path (through the proxies, or direct). */
interface PathFigures {
  single: number;
  /** As the bundled action runs: over worker threads. */
  ours: RunFigures;
  /** Every handshake on this thread, the way it was before worker threads. */
  oneThread: RunFigures;
  baseline: number;
  /** The planner's decision for the run of N, as the action logs it at debug. */
  plan: string;
}

/**
 * Times runs of N for each option set, alternating between them run by run, so that whatever else the
 * machine does at the time falls on every variant alike.
 */
async function timeInterleaved(targets: TlsTarget[], variants: CheckOptions[], endpoints: Endpoints): Promise<RunFigures[]> {
  const acc = variants.map(() => ({ ms: [] as number[], cpu: 0, server: 0, active: 0, wall: 0, handshakes: [] as number[], stats: [] as EndpointStats[] }));
  for (const opts of variants) await checkEndpoints(targets, opts); // warm-up: JIT, the trust-store context, the workers' code in the OS cache
  for (let run = 0; run < OURS_RUNS; run++) {
    for (const [v, opts] of variants.entries()) {
      const a = acc[v];
      const server0 = await endpoints.stats();
      const client0 = cpuMs();
      const elu0 = performance.eventLoopUtilization();
      const t = performance.now();
      const results = await checkEndpoints(targets, opts);
      a.ms.push(performance.now() - t);
      const elu = performance.eventLoopUtilization(elu0);
      a.cpu += cpuMs() - client0;
      a.active += elu.active;
      a.wall += elu.active + elu.idle;
      const stats = await endpoints.stats();
      a.server += stats.cpuMs - server0.cpuMs;
      a.stats.push(stats);
      const bad = results.filter((r) => r.status !== 'ok');
      if (bad.length) throw new Error(`ssl bench: ${bad.length} endpoints not ok: ${bad[0].verdicts[0]?.message ?? bad[0].resolveError}`);
      a.handshakes.push(...results.map((r) => r.verdicts[0].probe.elapsedMs));
    }
  }
  return acc.map((a) => ({
    ms: median(a.ms),
    clientCpu: a.cpu / OURS_RUNS,
    serverCpu: a.server / OURS_RUNS,
    clientBusy: a.active / a.wall,
    handshakeMedian: median(a.handshakes),
    handshakeMax: Math.max(...a.handshakes),
    endpoint: {
      cpuMs: a.stats[a.stats.length - 1].cpuMs,
      replies: a.stats.reduce((n, x) => n + x.replies, 0),
      replyMedianMs: median(a.stats.map((x) => x.replyMedianMs)),
      replyMaxMs: Math.max(...a.stats.map((x) => x.replyMaxMs)),
      lateMaxMs: Math.max(...a.stats.map((x) => x.lateMaxMs))
    }
  }));
}

async function measurePath(ports: number[], caFile: string, endpoints: Endpoints, threads: HandshakeThreads): Promise<PathFigures> {
  const { targets, opts } = actionOptions(ports, caFile);
  const action: CheckOptions = { ...opts, threads };
  await checkEndpoints(targets.slice(0, 5), action); // warm-up: JIT, the trust-store context
  let i = 0;
  const single = await timeMedian(() => checkEndpoints([targets[i++ % N]], action), SINGLE_RUNS);
  const [ours, oneThread] = await timeInterleaved(targets, [action, { ...opts, threads: { cores: 1 } }], endpoints);

  const t = performance.now();
  for (const p of ports.slice(0, BASELINE_SAMPLE)) await runbookCheck(p);
  const baseline = ((performance.now() - t) * N) / BASELINE_SAMPLE;
  return { single, ours, oneThread, baseline, plan: planHandshakes(targets.length, opts.concurrency, threads).reason };
}

const fixed = (n: number, d = 1): string => n.toFixed(d);

function describeRun(what: string, r: RunFigures): string {
  return (
    `${what}: handshakes took ${fixed(r.handshakeMedian)} ms median, ${fixed(r.handshakeMax)} ms the slowest; ` +
    `checker CPU ${fixed(r.clientCpu, 0)} ms per run (${fixed(r.clientCpu / N, 2)} ms per endpoint, main event loop busy ${fixed(r.clientBusy * 100, 0)}% of the time)`
  );
}

function result(name: string, f: PathFigures, cores: number, extra: string[]): BenchResult {
  const x = f.ours.ms / f.single;
  const proxied = f.ours.endpoint.replies > 0;
  // With no overhead at all, N handshakes' CPU spread evenly over the cores, after one check's own time.
  const bound = f.oneThread.clientCpu / cores + f.single;
  // This bench's endpoints run on the same cores, so their CPU is not free for the checker's threads.
  const shared = (f.oneThread.clientCpu + f.oneThread.serverCpu) / cores + f.single;
  return {
    name,
    ours: { label: `action-ssl checkEndpoints with the action's own options (concurrency 100, worker threads as bundled), ${N} endpoints (median of ${OURS_RUNS}, alternating with one thread)`, ms: Math.round(f.ours.ms) },
    baseline: {
      label: `runbook loop: echo | openssl s_client | openssl x509 -noout -dates, one after another (${BASELINE_SAMPLE} timed, ×${N / BASELINE_SAMPLE})`,
      ms: Math.round(f.baseline)
    },
    ratio: Number((f.baseline / f.ours.ms).toFixed(2)),
    notes: [
      `one endpoint alone: ${fixed(f.single)} ms (median of ${SINGLE_RUNS}); ${N} endpoints: ${fixed(x, 2)}× of it — target ≤ 1.5×: ${x <= 1.5 ? 'met' : 'MISSED'}`,
      `all on one thread instead: ${fixed(f.oneThread.ms, 0)} ms = ${fixed(f.oneThread.ms / f.single, 2)}× of one endpoint`,
      `bound on ${cores} cores: ${N} × ${fixed(f.oneThread.clientCpu / N, 2)} ms CPU per handshake / ${cores} + one endpoint = ${fixed(bound, 0)} ms = ${fixed(bound / f.single, 2)}× of one endpoint; ` +
        `with the endpoint process's own ${fixed(f.oneThread.serverCpu, 0)} ms of CPU on the same cores: ${fixed(shared, 0)} ms = ${fixed(shared / f.single, 2)}×`,
      `plan: ${f.plan}`,
      describeRun(`inside the runs of ${N} (worker threads)`, f.ours),
      describeRun(`inside the runs of ${N} (one thread)`, f.oneThread),
      `endpoint process: CPU ${fixed(f.ours.serverCpu, 0)} ms per run` +
        (proxied
          ? `; servers answered a ClientHello in ${fixed(f.ours.endpoint.replyMedianMs)} ms median, ${fixed(f.ours.endpoint.replyMaxMs)} ms the slowest (one event loop serving all ${N}, where real endpoints each have their own CPU); proxy deliveries up to ${fixed(f.ours.endpoint.lateMaxMs)} ms late`
          : ''),
      ...extra
    ]
  };
}

/** Runs the comparison over the latency proxies and directly on loopback; stops everything it started. */
export default async function bench(): Promise<BenchResult[]> {
  const delayMs = delayFromArgs();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const endpoints = await startEndpoints(delayMs);
  const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-'));
  try {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, endpoints.caPem);
    const cores = availableParallelism();
    const threads: HandshakeThreads = { cores, workerUrl: await bundleHandshakeWorker(dir) };
    const loop = await measurePath(endpoints.direct, caFile, endpoints, threads);
    const loopNote = `loopback (no proxy): one endpoint ${fixed(loop.single)} ms, ${N} endpoints ${fixed(loop.ours.ms, 0)} ms = ${fixed(loop.ours.ms / loop.single, 1)}× (CPU-bound: nothing to overlap; one thread ${fixed(loop.oneThread.ms, 0)} ms), runbook loop ${fixed(loop.baseline / 1000, 2)} s, ratio ${fixed(loop.baseline / loop.ours.ms, 1)}`;
    const setting = `${cores} cores, all on 127.0.0.1, endpoints in a separate process; load average (1/5/15 min) at start: ${load}`;
    const loopResult = result(`ssl: ${N} TLS endpoints on loopback (no added latency)`, loop, cores, [setting]);
    if (delayMs === 0) return [loopResult];

    const wan = await measurePath(endpoints.proxied, caFile, endpoints, threads);
    return [
      result(`ssl: ${N} TLS endpoints, ${delayMs * 2} ms RTT (latency proxy, ${delayMs} ms each way)`, wan, cores, [
        `the proxy delays every chunk ${delayMs} ms each way and holds the client's first bytes one RTT more (the TCP handshake), so a TLS 1.3 check costs 2 RTT = ${delayMs * 4} ms of waiting`,
        loopNote,
        setting
      ]),
      loopResult
    ];
  } finally {
    endpoints.child.stdin?.end();
    endpoints.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
