// Benchmark: action-health vs the runbook's morning check done by hand, all on 127.0.0.1.
//  1. 100 HTTP endpoints answering in 200 ms each: our concurrent check vs `curl -f` one by one.
//     Targets: within 1.3× of the slowest single endpoint, at least 20× faster than the curl loop; the
//     whole run end to end (a fresh `node action-health/dist/index.js`, start-up, report and summary
//     included) at least 40× faster than the curl loop.
//  2. Host metrics on 2 real sshd hosts: our one batched command per host (in parallel) vs the same on
//     one host (target ≤ 1.5×), and vs `ssh host "uptime && free -h && df -h"` per host, in sequence.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, HostKeyPolicy, SshPool, type RunState, type SshSettings } from '../shared/src/index.js';
import { checkHosts } from '../action-health/src/hosts/check-hosts.js';
import { checkEndpoints } from '../action-health/src/http/check-endpoints.js';
import type { HttpTarget } from '../action-health/src/http/targets.js';
import { timeMedian, type BenchResult } from './types.js';
import { freePort } from '../test-support/free-port.js';
import { runBundle } from '../test-support/run-bundle.js';

const N = 100;
const DELAY_MS = 200;
const REPO = new URL('..', import.meta.url).pathname;

function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
  });
}


async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
}

/** The endpoint server in its own process, so it does not share the client's event loop. */
async function startEndpointServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'lab/servers/http-endpoints.ts'), String(port)], { cwd: REPO, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/healthy`)).ok, 'the endpoint server');
  return { url, child };
}

async function benchHttp(): Promise<BenchResult> {
  const server = await startEndpointServer();
  try {
    const urls = Array.from({ length: N }, (_, i) => `${server.url}/slow?ms=${DELAY_MS}&i=${i}`);
    const targets: HttpTarget[] = urls.map((url) => ({ name: url, url, method: 'GET', expectStatus: [], expectHeaders: {}, headers: {} }));
    const opts = { timeoutMs: 10_000, retries: 2, retryDelaysMs: [2000, 10_000], maxRedirects: 5, limits: { warnMs: 500, failMs: 2000 } };
    let statuses: string[] = [];
    const ours = await timeMedian(async () => {
      const results = await checkEndpoints(targets, opts, 100);
      statuses = results.map((r) => r.final.status);
    }, 5);
    if (statuses.some((s) => s !== 'ok')) throw new Error(`not every endpoint was ok: ${statuses.filter((s) => s !== 'ok').length} were not`);
    const single = await timeMedian(() => checkEndpoints(targets.slice(0, 1), opts, 1), 5);
    const curlLoop = await timeMedian(async () => {
      for (const url of urls) await run('curl', ['-fsS', '-o', '/dev/null', '--max-time', '10', url]);
    }, 1);
    const endToEnd = await timeMedian(() => runBundleOnce(urls), 5);
    return {
      name: `health: ${N} HTTP endpoints of ${DELAY_MS} ms`,
      ours: { label: `a2a-ops health, ${N} endpoints concurrently`, ms: ours },
      baseline: { label: `runbook: curl -f one by one (${N} calls)`, ms: curlLoop },
      ratio: curlLoop / ours,
      notes: [
        `one endpoint alone: ${single.toFixed(0)} ms; all ${N}: ${(ours / single).toFixed(2)}× of it (target ≤ 1.3×), ${(ours / DELAY_MS).toFixed(2)}× the ${DELAY_MS} ms endpoint delay`,
        `speed-up over the curl loop: ${(curlLoop / ours).toFixed(1)}× (target ≥ 20×)`,
        `end to end (node action-health/dist/index.js, ${N} urls, start-up to exit): ${endToEnd.toFixed(0)} ms = ${(curlLoop / endToEnd).toFixed(1)}× faster than the curl loop (target ≥ 40×)`
      ]
    };
  } finally {
    server.child.kill('SIGTERM');
  }
}

/** One run of the committed bundle as a runner starts it; rejects unless every endpoint was ok. */
async function runBundleOnce(urls: string[]): Promise<void> {
  const r = await runBundle('health', { urls: urls.join('\n'), issue: 'off' }, {}, 60_000);
  if (r.outputs.status !== 'ok') throw new Error(`the health bundle reported status '${r.outputs.status}', not ok: ${r.stdout.slice(-2000)}`);
}

interface Sshd {
  port: number;
  child: ChildProcess;
}

/** Two real OpenSSH daemons on loopback, one shared host key, root's login with a generated key. */
async function startSshds(dir: string, count: number): Promise<{ hosts: Sshd[]; key: string; keyFile: string; fingerprint: string; knownHosts: string }> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const fingerprint = (await run('ssh-keygen', ['-lf', join(dir, 'host_key.pub')])).split(/\s+/)[1];
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  await run('mkdir', ['-p', '/run/sshd']);
  const hosts: Sshd[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const cfg = join(dir, `sshd_${i}.conf`);
    writeFileSync(
      cfg,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, `sshd_${i}.pid`)}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'Subsystem sftp internal-sftp',
        ''
      ].join('\n')
    );
    // -D: stay in the foreground so the child handle owns it and kill() stops it.
    const child = spawn('/usr/sbin/sshd', ['-D', '-f', cfg, '-E', join(dir, `sshd_${i}.log`)], { stdio: 'ignore' });
    hosts.push({ port, child });
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const s = createServer();
          s.once('error', () => resolve(true));
          s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
        }),
      `sshd on port ${port}`
    );
  }
  const knownHosts = hosts.map((h) => `[127.0.0.1]:${h.port} ${hostPub}`).join('\n');
  return { hosts, key: readFileSync(join(dir, 'client_key'), 'utf8'), keyFile: join(dir, 'client_key'), fingerprint, knownHosts };
}

async function benchHosts(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-health-bench-'));
  const sshd = await startSshds(dir, 2);
  try {
    const user = process.env.USER ?? 'root';
    const settings = (n: number): SshSettings => ({
      targets: sshd.hosts.slice(0, n).map((h, i) => ({ name: `bench-${i + 1}`, address: '127.0.0.1', port: h.port, user })),
      auth: { privateKey: sshd.key },
      hostKeys: HostKeyPolicy.fromInputs({ fingerprint: sshd.fingerprint }),
      options: { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000, keepaliveIntervalMs: 5000, keepaliveCountMax: 3, connectRetries: 0, connectRetryDelayMs: 500, parallel: 4 }
    });
    const thresholds = defaultConfig().thresholds;
    // One CPU sample 200 ms wide: the least that yields a CPU % (the runbook's commands give none).
    const opts = { project: '', samples: 1, intervalMs: 200, logLines: 20, mounts: [], timeoutMs: 30_000, thresholds, parallel: 4, replicas: {} };
    const state = (): RunState => ({ version: 1, checks: {}, history: {} });
    const ours = async (n: number): Promise<void> => {
      // A fresh pool per run: every measurement pays for its connections, as a real run does.
      const ssh = settings(n);
      const pool = new SshPool(ssh);
      const { checks } = await checkHosts(ssh, pool, opts, state(), () => undefined).finally(() => pool.closeAll());
      if (checks.some((c) => c.value === 'unreachable')) throw new Error('a bench host was unreachable');
      if (checks.filter((c) => c.id.endsWith(':memory')).length !== n) throw new Error(`expected memory for ${n} host(s): ${JSON.stringify(checks.map((c) => c.message))}`);
    };
    const oneHost = await timeMedian(() => ours(1), 3);
    const twoHosts = await timeMedian(() => ours(2), 3);
    const sshArgs = (port: number): string[] => [
      '-i', sshd.keyFile, '-p', String(port), '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes',
      `${user}@127.0.0.1`, 'uptime && free -h && df -h'
    ];
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHosts + '\n');
    const runbook = await timeMedian(async () => {
      for (const h of sshd.hosts) await run('ssh', sshArgs(h.port));
    }, 3);
    return [
      {
        name: 'health: host metrics on 2 hosts vs 1 host',
        ours: { label: 'a2a-ops health, 2 hosts in parallel (one connection + one batched command each)', ms: twoHosts },
        baseline: { label: 'a2a-ops health, 1 host', ms: oneHost },
        ratio: oneHost / twoHosts,
        notes: [`2 hosts take ${(twoHosts / oneHost).toFixed(2)}× one host's time (target ≤ 1.5×)`]
      },
      {
        name: 'health: host metrics on 2 hosts vs the runbook',
        ours: { label: 'a2a-ops health, 2 hosts (CPU % over 200 ms, memory, disks, load, uptime)', ms: twoHosts },
        baseline: { label: 'runbook: ssh host "uptime && free -h && df -h" per host, in sequence', ms: runbook },
        ratio: runbook / twoHosts,
        notes: ['ours includes a 200 ms CPU sample window (the runbook commands report no CPU %) and parsing/evaluation']
      }
    ];
  } finally {
    for (const h of sshd.hosts) h.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both comparisons. */
export default async function bench(): Promise<BenchResult[]> {
  return [await benchHttp(), ...(await benchHosts())];
}
