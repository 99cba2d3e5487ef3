// Lab-test helpers for action-deploy against the lab's two hosts: the ops config and inputs a workflow
// would give, the bundle run as a runner runs it (also started in the background, to signal it or break
// its SSH sessions mid-run, and its post step), each host's state as Docker and the files show it, and
// the reset to the state every other lab suite expects (api v1, replicas api_1 and api_2, no lock).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readHostsLab, type LabHost } from './lab-faults.js';
import { docker, listProjectContainers, probeLoadBalancer, readLabPlatform, runOnLabHost, type LabPlatformHost, type ProbeResult, type ProjectContainer } from './lab-platform.js';
import { inputEnvName, parseOutputFile, runBundle, type BundleRun } from './run-bundle.js';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** The api version every lab suite starts from (what `lab/parts/docker.sh up` deploys). */
export const BASELINE_VERSION = 'v1';
/** Replicas of the api per host in the lab's compose file (`deploy.replicas`). */
export const BASELINE_REPLICAS = 2;

/** One lab host as a deploy test needs it: SSH (hosts.json) and compose (docker.json) joined. */
export interface DeployLabHost {
  name: string;
  ssh: LabHost;
  compose: LabPlatformHost;
  /** `<composeDir>/.a2a-ops/deploy.lock`. */
  lockDir: string;
  /** `<composeDir>/.a2a-ops/audit.log`. */
  auditLog: string;
}

/** The lab as the deploy suites use it. */
export interface DeployLab {
  hosts: DeployLabHost[];
  user: string;
  privateKey: string;
  lbUrl: string;
  /** `127.0.0.1:5000/a2a-world/api`. */
  apiRepository: string;
  /** A temp dir for this suite (the ops config lives there). */
  dir: string;
  /** The ops config describing both hosts, by absolute path. */
  configPath: string;
}

/** Reads hosts.json and docker.json (failing loudly when a part is down) and writes the ops config. */
export function openDeployLab(): DeployLab {
  const hostsLab = readHostsLab();
  const platform = readLabPlatform();
  const hosts = hostsLab.hosts.map((ssh): DeployLabHost => {
    const compose = platform.hosts.find((p) => p.name === ssh.name);
    if (!compose) throw new Error(`lab host ${ssh.name} has no compose project in docker.json`);
    return { name: ssh.name, ssh, compose, lockDir: `${compose.composeDir}/.a2a-ops/deploy.lock`, auditLog: `${compose.composeDir}/.a2a-ops/audit.log` };
  });
  const dir = mkdtempSync(join(tmpdir(), 'a2a-deploy-lab-'));
  const lab: DeployLab = {
    hosts,
    user: hostsLab.user,
    privateKey: readFileSync(hostsLab.privateKeyPath, 'utf8'),
    lbUrl: platform.lbUrl,
    apiRepository: platform.images.api.repository,
    dir,
    configPath: join(dir, 'ops.yml')
  };
  writeFileSync(lab.configPath, opsConfig(lab));
  return lab;
}

/** The ops config a workflow of this repository would commit, for the lab's hosts. */
export function opsConfig(lab: Pick<DeployLab, 'hosts' | 'user' | 'lbUrl'>, opts: { healthUrl?: string } = {}): string {
  const hosts = lab.hosts.map(
    (h) =>
      `  - { name: ${h.name}, address: ${h.ssh.address}, port: ${h.ssh.port}, user: ${lab.user}, compose: { project-dir: ${h.compose.composeDir}, project-name: ${h.compose.projectName} } }`
  );
  return [
    'hosts:',
    ...hosts,
    'compose: { file: docker-compose.production.yml, env-file: .env.production }',
    'services:',
    `  api: { replicas: ${BASELINE_REPLICAS}, health-url: "${opts.healthUrl ?? `${lab.lbUrl}/health`}" }`,
    ''
  ].join('\n');
}

/** The inputs of a deploy step against both lab hosts; `extra` adds or overrides (an empty value removes). */
export function deployInputs(lab: DeployLab, extra: Record<string, string> = {}): Record<string, string> {
  const inputs: Record<string, string> = {
    config: lab.configPath,
    'ssh-private-key': lab.privateKey,
    'ssh-fingerprint': lab.hosts.map((h) => h.ssh.fingerprint).join(','),
    issue: 'off',
    service: 'api',
    'health-timeout': '20s',
    ...extra
  };
  for (const [k, v] of Object.entries(inputs)) if (v === '') delete inputs[k];
  return inputs;
}

/** The `report` output of a deploy run, as far as the tests read it. */
export interface DeployReport {
  status: string;
  /** `finished`, `stopped` or `cancelled`. */
  outcome: string;
  checks: Array<{ id: string; kind: string; target: string; status: string; value?: unknown; message: string; details?: string }>;
}

/** A finished deploy run, with how long it took and the step state a runner hands the post step. */
export interface DeployRun extends Omit<BundleRun, 'report'> {
  report?: DeployReport;
  ms: number;
  stateFile: string;
}

/** Runs the deploy bundle to its end (killed after `timeoutMs`, so a hang fails the test). */
export async function runDeploy(lab: DeployLab, extra: Record<string, string>, opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<DeployRun> {
  const stateFile = join(mkdtempSync(join(lab.dir, 'state-')), 'state');
  writeFileSync(stateFile, '');
  const started = Date.now();
  const run = await runBundle('deploy', deployInputs(lab, extra), { GITHUB_STATE: stateFile, ...opts.env }, opts.timeoutMs ?? 100_000);
  // The same JSON, read with its `outcome` (run-bundle's type leaves it out).
  return { ...run, report: run.outputs.report ? (JSON.parse(run.outputs.report) as DeployReport) : undefined, ms: Date.now() - started, stateFile };
}

/** A deploy run in the background. */
export interface DeployProcess {
  child: ChildProcess;
  stateFile: string;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the output contains `marker` (rejects after `timeoutMs` with what was printed). */
  printed(marker: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<DeployRun & { signal: NodeJS.Signals | null }>;
}

/**
 * Starts `action-deploy/dist/index.js` (or `dist/post/index.js` with `post`) as a runner does, without
 * waiting: for tests that signal it or break its connections mid-run. Killed after `timeoutMs`.
 */
export function startDeploy(
  lab: DeployLab,
  extra: Record<string, string>,
  opts: { post?: { stateFile: string }; env?: Record<string, string>; timeoutMs?: number } = {}
): DeployProcess {
  const dir = mkdtempSync(join(lab.dir, 'run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  const stateFile = opts.post?.stateFile ?? join(dir, 'state');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  if (!opts.post) writeFileSync(stateFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_WORKSPACE: dir,
    A2A_OPS_STATE_DIR: join(dir, 'ops-state'),
    ...(opts.post ? {} : { GITHUB_STATE: stateFile }),
    ...opts.env
  };
  // The post step gets the main step's saved state as STATE_<name>, as the runner passes it.
  if (opts.post) for (const [name, value] of Object.entries(parseOutputFile(readFileSync(stateFile, 'utf8')))) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(deployInputs(lab, extra))) env[inputEnvName(name)] = value;
  const entry = join(ROOT, 'action-deploy', 'dist', ...(opts.post ? ['post', 'index.js'] : ['index.js']));
  const started = Date.now();
  const child = spawn(process.execPath, [entry], { env, cwd: dir });
  let out = '';
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    out += d.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    out += d.toString();
    for (const w of [...waiters]) w();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 100_000);
  const exited = new Promise<DeployRun & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of [...waiters]) w();
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
      resolve({
        exitCode: code,
        signal,
        stdout,
        stderr,
        outputs,
        summary: readFileSync(summaryFile, 'utf8'),
        report: outputs.report ? JSON.parse(outputs.report) : undefined,
        ms: Date.now() - started,
        stateFile
      });
    })
  );
  let closed = false;
  void exited.then(() => (closed = true));
  const printed = (marker: string | RegExp, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const seen = (): boolean => (typeof marker === 'string' ? out.includes(marker) : marker.test(out));
      const timer = setTimeout(() => done(new Error(`the deploy run did not print ${String(marker)} within ${timeoutMs} ms; it printed:\n${out}`)), timeoutMs);
      const check = (): void => {
        if (seen()) done();
        else if (closed) done(new Error(`the deploy run ended without printing ${String(marker)}; it printed:\n${out}`));
      };
      const done = (err?: Error): void => {
        clearTimeout(timer);
        waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      waiters.add(check);
      check();
    });
  return { child, stateFile, output: () => out, printed, exited };
}

/** One line of a host's audit log. */
export interface AuditLine {
  operation: string;
  service?: string;
  from?: string;
  to?: string;
  result: string;
  message: string;
}

/** A host as Docker and its files show it. */
export interface HostState {
  /** `VERSION` in the host's `.env.production`. */
  version: string | undefined;
  /** Every container of the project's api service (running or not). */
  api: ProjectContainer[];
  /** Whether `<composeDir>/.a2a-ops/deploy.lock` exists. */
  locked: boolean;
  audit: AuditLine[];
}

/** Reads one host's state. */
export async function readHostState(host: DeployLabHost): Promise<HostState> {
  const env = readFileSync(host.compose.envFile, 'utf8');
  const version = /^VERSION=(.*)$/m.exec(env)?.[1]?.trim();
  const api = (await listProjectContainers(host.compose.projectName)).filter((c) => c.service === 'api').sort((a, b) => a.name.localeCompare(b.name));
  return { version, api, locked: existsSync(host.lockDir), audit: readAuditLog(host) };
}

/** The audit log's entries, oldest first. */
export function readAuditLog(host: DeployLabHost): AuditLine[] {
  if (!existsSync(host.auditLog)) return [];
  return readFileSync(host.auditLog, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as AuditLine);
}

/** The api image of a version, as compose names it on the lab hosts. */
export function apiImage(lab: Pick<DeployLab, 'apiRepository'>, version: string): string {
  return `${lab.apiRepository}:${version}`;
}

/**
 * The short facts a test compares a host with: its env VERSION, how many api containers run healthy on
 * which image, and whether any other api container (stopped, unhealthy, starting) exists.
 */
export function summarize(state: HostState): { version: string | undefined; healthy: number; images: string[]; others: string[]; locked: boolean } {
  const healthy = state.api.filter((c) => c.status === 'running' && c.health === 'healthy');
  return {
    version: state.version,
    healthy: healthy.length,
    images: [...new Set(healthy.map((c) => c.image))].sort(),
    others: state.api.filter((c) => !healthy.includes(c)).map((c) => `${c.name} ${c.status}/${c.health}`),
    locked: state.locked
  };
}

/** True when the host is as every lab suite expects it: v1, two healthy api replicas, nothing else, no lock. */
export function atBaseline(lab: Pick<DeployLab, 'apiRepository'>, host: DeployLabHost, state: HostState, opts: { names?: boolean } = {}): boolean {
  const s = summarize(state);
  const names = state.api.map((c) => c.name).join(',');
  return (
    s.version === BASELINE_VERSION &&
    s.healthy === BASELINE_REPLICAS &&
    s.others.length === 0 &&
    s.images.join() === apiImage(lab, BASELINE_VERSION) &&
    !s.locked &&
    (!opts.names || names === `${host.compose.projectName}_api_1,${host.compose.projectName}_api_2`)
  );
}

/** Polls `probe` until it returns a value `done` accepts, or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await sleep(intervalMs);
    last = await probe();
  }
  return last;
}

/**
 * Puts the lab's api back as `lab/parts/docker.sh up` left it on every host not already there: the env
 * file's VERSION=v1, the api containers removed and started afresh by compose (so they are
 * `<project>_api_1` and `_api_2` again, names other lab suites use), the deploy lock gone. With `names`
 * false, a host on v1 with two healthy replicas under other names counts as reset (faster between
 * tests). Throws when a host is not back within 40 s. Returns the hosts it had to reset.
 */
export async function resetLabApi(lab: DeployLab, opts: { names?: boolean } = {}): Promise<string[]> {
  const reset: string[] = [];
  await Promise.all(
    lab.hosts.map(async (h) => {
      if (atBaseline(lab, h, await readHostState(h), opts)) return;
      reset.push(h.name);
      rmSync(h.lockDir, { recursive: true, force: true });
      const env = readFileSync(h.compose.envFile, 'utf8');
      if (!/^VERSION=v1$/m.test(env)) writeFileSync(h.compose.envFile, env.replace(/^VERSION=.*$/m, `VERSION=${BASELINE_VERSION}`));
      const compose = `docker-compose -f ${h.compose.composeFile}`;
      const r = await runOnLabHost(h.compose, `${compose} rm -s -f api >/dev/null 2>&1; ${compose} up -d --no-deps api 2>&1`, 90_000);
      if (r.code !== 0) throw new Error(`resetting the api on ${h.name} failed: ${r.stdout}${r.stderr}`);
    })
  );
  for (const h of lab.hosts) {
    const state = await waitFor(() => readHostState(h), (s) => atBaseline(lab, h, s, opts), 40_000, 250);
    if (!atBaseline(lab, h, state, opts)) throw new Error(`${h.name} is not back at the baseline after a reset: ${JSON.stringify(summarize(state))}`);
  }
  if (reset.length) await waitForLoadBalancer(lab);
  return reset;
}

/** Waits until the load balancer answers /health with 200 a few times in a row (nginx parks dead ports for 1 s). */
async function waitForLoadBalancer(lab: DeployLab): Promise<void> {
  let streak = 0;
  for (let i = 0; i < 100 && streak < 5; i++) {
    const ok = await fetch(`${lab.lbUrl}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false
    );
    streak = ok ? streak + 1 : 0;
    if (!ok) await sleep(200);
  }
  if (streak < 5) throw new Error(`the load balancer ${lab.lbUrl} does not answer /health after the reset`);
}

/** Removes the suite's temp dir. */
export function closeDeployLab(lab: DeployLab): void {
  rmSync(lab.dir, { recursive: true, force: true });
}

/**
 * Builds a local-only api image `<repository>:<tag>` from `from` whose server starts listening only
 * after `delaySeconds` (health check "starting" until then, never unhealthy): a rollout to it spends
 * that long waiting for new containers, a window to signal the run or kill its SSH sessions. Not pushed:
 * the registry stays as the lab made it. Returns the image; remove it with {@link removeImage}.
 */
export async function buildSlowApiImage(lab: DeployLab, tag: string, from: string, delaySeconds: number): Promise<string> {
  const image = apiImage(lab, tag);
  const dockerfile = [
    `FROM ${from}`,
    `HEALTHCHECK --interval=1s --timeout=2s --start-period=60s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1/health || exit 1`,
    // A trap, so `docker stop` during the delay ends it at once (PID 1 ignores an untrapped SIGTERM).
    `CMD ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep ${delaySeconds} & wait $!; exec /app/entrypoint.sh"]`,
    ''
  ].join('\n');
  const dir = mkdtempSync(join(lab.dir, 'image-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  await docker(['build', '-q', '-t', image, dir], 120_000);
  return image;
}

/** Removes a local image (tolerates one already gone). */
export async function removeImage(image: string): Promise<void> {
  await docker(['image', 'rm', '-f', image]).catch(() => undefined);
}

/** Runs `work` while {@link probeLoadBalancer} sends `path` requests from `clients` clients; stops the probe when it ends. */
export async function underLoad<T>(lab: DeployLab, work: () => Promise<T>, opts: { path?: string; clients?: number } = {}): Promise<{ result: T; load: ProbeResult }> {
  const stop = new AbortController();
  const probe = probeLoadBalancer({ url: `${lab.lbUrl}${opts.path ?? '/health'}`, clients: opts.clients ?? 8, durationMs: 110_000, signal: stop.signal });
  try {
    const result = await work();
    stop.abort();
    return { result, load: await probe };
  } finally {
    // On a throw too: no request is sent after this returns.
    stop.abort();
    await probe.catch(() => undefined);
  }
}

/**
 * Appends one JSON line of figures (requests, durations) to the file named by `A2A_LAB_FIGURES`, when
 * set, for reports on what the lab tier measured; does nothing otherwise.
 */
export function recordFigures(test: string, figures: Record<string, unknown>): void {
  const file = process.env.A2A_LAB_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ test, ...figures })}\n`);
}

/** The load figures worth keeping: counts and versions, not the per-replica map. */
export function loadFigures(load: ProbeResult): Record<string, unknown> {
  return { requests: load.total, non2xx: load.non2xx, errors: load.errors, versions: load.versions, rps: load.requestsPerSecond };
}

/** The cleanups a run handed its post step (the last value it saved), as the runner would pass them on. */
export function pendingPostCleanups(stateFile: string): Array<{ label: string; kind: string }> {
  const raw = parseOutputFile(readFileSync(stateFile, 'utf8'))['a2a-ops-pending-cleanups'];
  return raw ? (JSON.parse(raw) as Array<{ label: string; kind: string }>) : [];
}

/** The part of a running `docker-compose ... up` command line that names the host's project. */
export function composeUpMarker(host: DeployLabHost): string {
  return `-p ${host.compose.projectName} -f docker-compose.production.yml --env-file .env.production up`;
}
