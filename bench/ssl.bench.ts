// Benchmark: action-ssl checking 100 TLS endpoints at once vs the runbook's sequential
// `echo | openssl s_client | openssl x509 -noout -dates` loop. The endpoints live in a child process behind
// latency proxies (default 40 ms one way = 80 ms RTT, a typical internet path), all on 127.0.0.1; the same
// endpoints are also measured directly on loopback. Target: 100 endpoints within 1.5× of one handshake.
//   npm run bench -- ssl                     (80 ms RTT and loopback)
//   SSL_BENCH_DELAY_MS=0 npm run bench -- ssl   or   npm run bench -- ssl --delay 0   (loopback only)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { defaultConfig } from '../shared/src/index.js';
import { checkEndpoints, type CheckOptions } from '../action-ssl/src/check-endpoints.js';
import { readSslInputs } from '../action-ssl/src/inputs.js';
import type { TlsTarget } from '../action-ssl/src/targets.js';
import type { EndpointStats } from './support/serve-tls-behind-latency.js';
import { timeMedian, type BenchResult } from './types.js';

const N = 100;
/** The runbook loop is timed over this many endpoints and scaled to N, to keep the bench short. */
const BASELINE_SAMPLE = 20;
const SINGLE_RUNS = 7;
const OURS_RUNS = 3;

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
      const timer = setTimeout(() => reject(new Error(`ssl bench: the endpoint process gave no ${what} within 20 s`)), 20_000);
      pending.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.once('exit', (code) => reject(new Error(`ssl bench: the endpoint process exited (${code}) before its ${what}`)));
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

/** Every figure for one path (through the proxies, or direct). */
interface PathFigures {
  single: number;
  ours: number;
  baseline: number;
  /** Per run of N: CPU of this process (the checker) and of the endpoint process. */
  clientCpu: number;
  serverCpu: number;
  /** Share of the runs of N this process's event loop was busy (0..1). */
  clientBusy: number;
  /** Handshake times (connect → handshake done) inside the runs of N: median and slowest. */
  handshakeMedian: number;
  handshakeMax: number;
  /** What the proxies saw during the runs of N (zero counts on the direct path). */
  endpoint: EndpointStats;
}

async function measurePath(ports: number[], caFile: string, endpoints: Endpoints): Promise<PathFigures> {
  const { targets, opts } = actionOptions(ports, caFile);
  await checkEndpoints(targets.slice(0, 5), opts); // warm-up: JIT, the trust-store context
  let i = 0;
  const single = await timeMedian(() => checkEndpoints([targets[i++ % N]], opts), SINGLE_RUNS);

  const server0 = await endpoints.stats();
  const client0 = cpuMs();
  const elu0 = performance.eventLoopUtilization();
  const handshakes: number[] = [];
  const ours = await timeMedian(async () => {
    const results = await checkEndpoints(targets, opts);
    const bad = results.filter((r) => r.status !== 'ok');
    if (bad.length) throw new Error(`ssl bench: ${bad.length} endpoints not ok: ${bad[0].verdicts[0]?.message ?? bad[0].resolveError}`);
    handshakes.push(...results.map((r) => r.verdicts[0].probe.elapsedMs));
  }, OURS_RUNS);
  const clientBusy = performance.eventLoopUtilization(elu0).utilization;
  const clientCpu = (cpuMs() - client0) / OURS_RUNS;
  const endpoint = await endpoints.stats();

  const t = performance.now();
  for (const p of ports.slice(0, BASELINE_SAMPLE)) await runbookCheck(p);
  const baseline = ((performance.now() - t) * N) / BASELINE_SAMPLE;
  return {
    single,
    ours,
    baseline,
    clientCpu,
    serverCpu: (endpoint.cpuMs - server0.cpuMs) / OURS_RUNS,
    clientBusy,
    handshakeMedian: median(handshakes),
    handshakeMax: Math.max(...handshakes),
    endpoint
  };
}

const fixed = (n: number, d = 1): string => n.toFixed(d);

function result(name: string, f: PathFigures, extra: string[]): BenchResult {
  const x = f.ours / f.single;
  const proxied = f.endpoint.replies > 0;
  return {
    name,
    ours: { label: `action-ssl checkEndpoints with the action's own options (concurrency 100), ${N} endpoints (median of ${OURS_RUNS})`, ms: Math.round(f.ours) },
    baseline: {
      label: `runbook loop: echo | openssl s_client | openssl x509 -noout -dates, one after another (${BASELINE_SAMPLE} timed, ×${N / BASELINE_SAMPLE})`,
      ms: Math.round(f.baseline)
    },
    ratio: Number((f.baseline / f.ours).toFixed(2)),
    notes: [
      `one endpoint alone: ${fixed(f.single)} ms (median of ${SINGLE_RUNS}); ${N} endpoints: ${fixed(x, 2)}× of it — target ≤ 1.5×: ${x <= 1.5 ? 'met' : 'MISSED'}`,
      `inside the runs of ${N}: handshakes took ${fixed(f.handshakeMedian)} ms median, ${fixed(f.handshakeMax)} ms the slowest; ` +
        `checker CPU ${fixed(f.clientCpu, 0)} ms per run (${fixed(f.clientCpu / N, 2)} ms per endpoint, event loop busy ${fixed(f.clientBusy * 100, 0)}% of the time)`,
      `endpoint process: CPU ${fixed(f.serverCpu, 0)} ms per run` +
        (proxied
          ? `; servers answered a ClientHello in ${fixed(f.endpoint.replyMedianMs)} ms median, ${fixed(f.endpoint.replyMaxMs)} ms the slowest (one event loop serving all ${N}, where real endpoints each have their own CPU); proxy deliveries up to ${fixed(f.endpoint.lateMaxMs)} ms late`
          : ''),
      ...(proxied
        ? [
            `${N} endpoints − one endpoint = ${fixed(f.ours - f.single, 0)} ms, beside ${fixed(f.clientCpu, 0)} ms of checker CPU: the waits overlap and what is left is ` +
              `the checker's CPU on one event loop; ≤ 1.5× would need ≤ ${fixed((0.5 * f.single) / N, 2)} ms CPU per endpoint`
          ]
        : []),
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
    const loop = await measurePath(endpoints.direct, caFile, endpoints);
    const loopNote = `loopback (no proxy): one endpoint ${fixed(loop.single)} ms, ${N} endpoints ${fixed(loop.ours, 0)} ms = ${fixed(loop.ours / loop.single, 1)}× (CPU-bound: nothing to overlap), runbook loop ${fixed(loop.baseline / 1000, 2)} s, ratio ${fixed(loop.baseline / loop.ours, 1)}`;
    const setting = `${cpus().length} cores, all on 127.0.0.1, endpoints in a separate process; load average (1/5/15 min) at start: ${load}`;
    const loopResult = result(`ssl: ${N} TLS endpoints on loopback (no added latency)`, loop, [setting]);
    if (delayMs === 0) return [loopResult];

    const wan = await measurePath(endpoints.proxied, caFile, endpoints);
    return [
      result(`ssl: ${N} TLS endpoints, ${delayMs * 2} ms RTT (latency proxy, ${delayMs} ms each way)`, wan, [
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
