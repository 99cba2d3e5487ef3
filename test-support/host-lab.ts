// Lab-test helpers for action-host against the lab's two hosts: the ops config and inputs a workflow
// would give (the deploy suites' config: both hosts, api at 2 replicas), the bundle run as a runner runs
// it, and each host's private apt world (lab/parts/apt.sh): installed versions, a hook planted in one
// host's apt config, and the reset to version 1 that every suite starts from.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDeployLab, type DeployLab } from './deploy-lab.js';
import { readLabPart } from './lab.js';
import { inputEnvName, parseOutputFile, runBundle, type BundleRun } from './run-bundle.js';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** `$A2A_LAB_DIR/apt.json`, written by lab/parts/apt.sh. */
export interface AptLab {
  packages: { ordinary: string; security: string };
  installedVersion: string;
  repoVersion: string;
  debs: string;
  sudoers: string;
  hosts: Array<{ name: string; aptConfig: string; dpkgRoot: string; admindir: string }>;
}

export interface HostLab extends DeployLab {
  apt: AptLab;
}

export function openHostLab(): HostLab {
  return { ...openDeployLab(), apt: readLabPart<AptLab>('apt') };
}

/** The inputs of a host step against both lab hosts; `extra` adds or overrides (an empty value removes). */
export function hostInputs(lab: HostLab, extra: Record<string, string>): Record<string, string> {
  const inputs: Record<string, string> = {
    config: lab.configPath,
    'ssh-private-key': lab.privateKey,
    'ssh-fingerprint': lab.hosts.map((h) => h.ssh.fingerprint).join(','),
    issue: 'off',
    // Other suites deploy to the same lab hosts: wait for their host lock as a scheduled run would.
    'lock-wait': '3m',
    ...extra
  };
  for (const [k, v] of Object.entries(inputs)) if (v === '') delete inputs[k];
  return inputs;
}

export interface HostRun extends Omit<BundleRun, 'report'> {
  report?: { status: string; outcome: string; checks: Array<{ id: string; kind: string; target: string; status: string; value?: unknown; message: string; details?: string }> };
}

/** Runs the action-host bundle to its end (killed after `timeoutMs`). */
export async function runHost(lab: HostLab, extra: Record<string, string>, opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<HostRun> {
  return (await runBundle('host', hostInputs(lab, extra), opts.env ?? {}, opts.timeoutMs ?? 240_000)) as HostRun;
}

/** The version of `pkg` in a lab host's private dpkg database ('' when not installed). */
export function installedVersion(lab: HostLab, host: string, pkg: string): string {
  const h = aptHost(lab, host);
  try {
    return execFileSync('dpkg-query', [`--admindir=${h.admindir}`, '-W', '-f', '${Version}', pkg], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Puts both dummy packages back at version 1 on every lab host (what apt.sh up installs). */
export function resetAptWorld(lab: HostLab): void {
  for (const h of lab.apt.hosts) {
    const debs = [lab.apt.packages.ordinary, lab.apt.packages.security].map((p) => join(lab.apt.debs, `${p}_${lab.apt.installedVersion}_all.deb`));
    execFileSync('dpkg', [`--root=${h.dpkgRoot}`, '-i', ...debs], { stdio: 'ignore' });
  }
}

/**
 * Plants an apt.conf.d snippet in one lab host's private apt config (read through its APT_CONFIG, as
 * /etc/apt/apt.conf.d is on a real host): e.g. a `DPkg::Post-Invoke` hook that breaks a service the way a
 * bad package upgrade does. Returns the undo.
 */
export function plantAptConf(lab: HostLab, host: string, name: string, text: string): () => void {
  const h = aptHost(lab, host);
  const file = join(h.aptConfig.replace(/\/apt\.conf$/, ''), 'etc', 'parts', name);
  writeFileSync(file, text);
  return () => rmSync(file, { force: true });
}

function aptHost(lab: HostLab, host: string): AptLab['hosts'][number] {
  const h = lab.apt.hosts.find((x) => x.name === host);
  if (!h) throw new Error(`lab host ${host} has no apt world in apt.json (bash lab/lab.sh up apt)`);
  return h;
}

/** A fresh state directory (the file state store), so a suite's runs share history with each other only. */
export function stateDir(lab: HostLab): string {
  return mkdtempSync(join(lab.dir, 'host-state-'));
}

/** A run of the bundle in the background (to kill it mid-run), or of its post step with that run's state. */
export interface HostProcess {
  child: ChildProcess;
  stateFile: string;
  output(): string;
  /** Resolves once the output contains `marker` (rejects after `timeoutMs` with what was printed). */
  printed(marker: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/**
 * Starts `action-host/dist/index.js` (or `dist/post/index.js` with `post`, given the main run's state
 * file, as a runner passes it: `STATE_<name>`) without waiting. Killed after `timeoutMs`.
 */
export function startHost(lab: HostLab, extra: Record<string, string>, opts: { post?: { stateFile: string }; timeoutMs?: number } = {}): HostProcess {
  const dir = mkdtempSync(join(lab.dir, 'run-'));
  const stateFile = opts.post?.stateFile ?? join(dir, 'state');
  for (const f of ['output', 'summary.md']) writeFileSync(join(dir, f), '');
  if (!opts.post) writeFileSync(stateFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_WORKSPACE: dir,
    A2A_OPS_STATE_DIR: join(dir, 'ops-state'),
    ...(opts.post ? {} : { GITHUB_STATE: stateFile })
  };
  if (opts.post) for (const [name, value] of Object.entries(parseOutputFile(readFileSync(stateFile, 'utf8')))) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(hostInputs(lab, extra))) env[inputEnvName(name)] = value;
  const child = spawn(process.execPath, [join(ROOT, 'action-host', 'dist', ...(opts.post ? ['post', 'index.js'] : ['index.js']))], { env, cwd: dir });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of [...waiters]) w();
      resolve({ code, signal, output: out });
    })
  );
  const printed = (marker: string, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`'${marker}' not printed within ${timeoutMs} ms; printed:\n${out.slice(-3000)}`)), timeoutMs);
      const check = (): void => {
        if (out.includes(marker)) {
          clearTimeout(t);
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });
  return { child, stateFile, output: () => out, printed, exited };
}
