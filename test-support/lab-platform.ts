// Lab-test helpers for the container platform started by `lab/parts/docker.sh up`: its description,
// commands on a lab host through its network namespace, Docker state, and a bounded load probe.
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { readLabPart } from './lab.js';

/** One lab host's compose project, as `$A2A_LAB_DIR/docker.json` lists it. */
export interface LabPlatformHost {
  name: string;
  /** The network namespace the host's sshd runs in. */
  namespace: string;
  /** The host's deploy user (owns `composeDir`, is in group `docker`). */
  user: string;
  composeDir: string;
  /** Compose project name; distinct per host because one dockerd serves them all. */
  projectName: string;
  composeFile: string;
  envFile: string;
}

/** `$A2A_LAB_DIR/docker.json`. */
export interface LabPlatform {
  /** `127.0.0.1:5000`, the registry images are pushed to and pulled from. */
  registry: string;
  registryUrl: string;
  /** Keyed by short name (`api`, `frontend`, `agent-pattern-discovery`). */
  images: Record<string, { repository: string; tags: string[] }>;
  /** The api tag whose /health answers 500, so its Docker health check fails. */
  brokenApiTag: string;
  /** nginx in front of every host's api replicas. */
  lbUrl: string;
  /** nginx in front of every host's frontend. */
  frontendUrl: string;
  hosts: LabPlatformHost[];
  composeCommand: string;
  composePluginCommand: string;
  dockerSocket: string;
  nats: { host: string; port: number; fromNatsPart: boolean };
  /** Inclusive host-port range each host's api replicas publish on. */
  apiPortRanges: Record<string, [number, number]>;
  /** The compose `postgres` service on every host (runbook: `docker-compose exec -T postgres pg_dump ...`). */
  postgres: { service: string; image: string; database: string; user: string; password: string; port: number; volume: string; seededTable: string };
}

/** Reads `$A2A_LAB_DIR/docker.json`; throws (the test fails) when the docker part is not up. */
export function readLabPlatform(): LabPlatform {
  return readLabPart<LabPlatform>('docker');
}

/** What a local command did. `code` is null when it was killed (timeout or signal). */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** Runs a program locally with a hard timeout; never throws for a non-zero exit. */
export function runCommand(file: string, args: string[], timeoutMs = 60_000): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      const timedOut = Boolean(err?.killed) && Date.now() - started >= timeoutMs;
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === null ? err.message : ''), durationMs: Date.now() - started, timedOut });
    });
  });
}

/**
 * Runs a shell command on a lab host as its deploy user, inside the host's network namespace and
 * compose directory — what an SSH session there runs, without SSH (use the sshd for that path).
 */
export function runOnLabHost(host: LabPlatformHost, command: string, timeoutMs = 60_000): Promise<CommandResult> {
  const script = `cd ${shellQuote(host.composeDir)} && ${command}`;
  return runCommand('ip', ['netns', 'exec', host.namespace, 'su', '-s', '/bin/sh', host.user, '-c', script], timeoutMs);
}

/** Runs the docker CLI on this machine (the lab's one dockerd); throws when it exits non-zero. */
export async function docker(args: string[], timeoutMs = 60_000): Promise<string> {
  const result = await runCommand('docker', args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (code ${String(result.code)}${result.timedOut ? ', timed out' : ''}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** One container of a compose project, from `docker ps` labels (compose v1 has no `ps --format json`). */
export interface ProjectContainer {
  id: string;
  name: string;
  service: string;
  image: string;
  /** Docker's status text, e.g. `Up 5 seconds (healthy)`. */
  status: string;
  /** `healthy`, `unhealthy`, `starting` or `none` (no health check). */
  health: string;
}

/** Lists a compose project's containers (running and stopped) with their Docker health. */
export async function listProjectContainers(projectName: string): Promise<ProjectContainer[]> {
  const out = await docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${projectName}`, '--format', '{{.ID}}']);
  const ids = out.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const format = '{{json .}}';
  const inspected = await docker(['inspect', '--format', format, ...ids]);
  return inspected
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const c = JSON.parse(line) as {
        Id: string;
        Name: string;
        Config: { Image: string; Labels: Record<string, string> };
        State: { Status: string; Health?: { Status: string } };
      };
      return {
        id: c.Id.slice(0, 12),
        name: c.Name.replace(/^\//, ''),
        service: c.Config.Labels['com.docker.compose.service'] ?? '',
        image: c.Config.Image,
        status: c.State.Status,
        health: c.State.Health?.Status ?? 'none',
      };
    });
}

/**
 * Polls a container's Docker health until it equals `want` or `timeoutMs` passes; returns the last
 * status seen (the caller asserts on it, so a timeout shows what the container was doing).
 */
export async function waitForContainerHealth(container: string, want: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (let i = 0; i < 600 && Date.now() < deadline; i++) {
    last = (await docker(['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', container])).trim();
    if (last === want) return last;
    await sleep(250);
  }
  return last;
}

/** Options of {@link probeLoadBalancer}. Every bound has a ceiling so a probe can never run away. */
export interface ProbeOptions {
  /** Loopback URL only (127.0.0.1, ::1, localhost). */
  url: string;
  /** Concurrent clients, 1..64. */
  clients: number;
  /** How long to keep sending, 1..120 000 ms. */
  durationMs: number;
  /** Stop after this many requests in total; default and ceiling 500 000. */
  maxRequests?: number;
  /** Per-request timeout; default 5 000 ms. A timeout counts as an error. */
  requestTimeoutMs?: number;
  /** Stop issuing requests once aborted (requests in flight finish); for "probe while X happens". */
  signal?: AbortSignal;
}

/** What a probe saw. `non2xx` counts HTTP answers outside 200–299; `errors` counts no answer at all. */
export interface ProbeResult {
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Count per HTTP status code, plus `error` for failed requests. */
  statuses: Record<string, number>;
  /** Count per `version` field of JSON bodies (the api's /health names its release). */
  versions: Record<string, number>;
  /** Count per replica, keyed `labHost/container` from JSON bodies that carry them. */
  replicas: Record<string, number>;
  /** Up to 10 failures (status or error message) with when they happened, for diagnosis. */
  failureSamples: Array<{ atMs: number; status: number | 'error'; detail: string }>;
  durationMs: number;
  requestsPerSecond: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

/**
 * Sends GET requests to a loopback URL from `clients` concurrent clients for `durationMs` (or until
 * `maxRequests`), and counts what came back. Throws before sending anything when the URL is not
 * loopback or a bound is out of range — the lab's traffic rule.
 */
export async function probeLoadBalancer(options: ProbeOptions): Promise<ProbeResult> {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`probeLoadBalancer: ${options.url} is not an http:// loopback URL; lab traffic stays on 127.0.0.1/::1`);
  }
  checkRange('clients', options.clients, 1, 64);
  checkRange('durationMs', options.durationMs, 1, 120_000);
  const maxRequests = options.maxRequests ?? 500_000;
  checkRange('maxRequests', maxRequests, 1, 500_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  checkRange('requestTimeoutMs', requestTimeoutMs, 1, 30_000);

  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const result: ProbeResult = { total: 0, ok: 0, non2xx: 0, errors: 0, statuses: {}, versions: {}, replicas: {}, failureSamples: [], durationMs: 0, requestsPerSecond: 0 };
  const started = Date.now();
  const deadline = started + options.durationMs;
  let issued = 0;

  const record = (status: number | 'error', body: string): void => {
    result.total++;
    result.statuses[String(status)] = (result.statuses[String(status)] ?? 0) + 1;
    if (status === 'error') result.errors++;
    else if (status >= 200 && status < 300) result.ok++;
    else result.non2xx++;
    if ((status === 'error' || status < 200 || status >= 300) && result.failureSamples.length < 10) {
      result.failureSamples.push({ atMs: Date.now() - started, status, detail: body.slice(0, 200) });
    }
    if (status !== 'error') {
      try {
        const json = JSON.parse(body) as { version?: unknown; host?: unknown; labHost?: unknown };
        if (typeof json.version === 'string') result.versions[json.version] = (result.versions[json.version] ?? 0) + 1;
        if (typeof json.host === 'string') {
          const key = `${typeof json.labHost === 'string' ? json.labHost : '?'}/${json.host}`;
          result.replicas[key] = (result.replicas[key] ?? 0) + 1;
        }
      } catch {
        // Not JSON (an nginx error page): counted by status only.
      }
    }
  };

  const client = async (): Promise<void> => {
    while (Date.now() < deadline && issued < maxRequests && !options.signal?.aborted) {
      issued++;
      const { status, body } = await getOnce(url, agent, requestTimeoutMs);
      record(status, body);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, () => client()));
  } finally {
    agent.destroy();
  }
  result.durationMs = Date.now() - started;
  result.requestsPerSecond = Math.round((result.total * 1000) / Math.max(1, result.durationMs));
  return result;
}

function getOnce(url: URL, agent: http.Agent, timeoutMs: number): Promise<{ status: number | 'error'; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ status: 'error', body: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: 'error', body: error.message }));
  });
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`probeLoadBalancer: ${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
}

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
