// Per host, what the runbook's "Log Analysis" and "Troubleshooting Guide" look at by hand: every
// service's containers with state, health and restarts (`docker-compose ps`), their last log lines
// (`docker-compose logs --tail=100 api`), the top processes by memory in each app container
// (`docker-compose exec api ps aux --sort=-%mem | head`) and the Docker daemon's log. Read-only. Each
// host, and each step on a host, fails alone: what the others found is still reported.
import {
  composeExec,
  composeProjectName,
  describeTarget,
  escapeHtml,
  fence,
  listServiceContainers,
  mapLimit,
  markdownTable,
  oneLine,
  readContainerLogs,
  resolveComposeProject,
  scrubSecrets,
  SshPool,
  toError,
  type ComposeConfig,
  type ComposeProject,
  type HostTarget,
  type OpsConfig,
  type ServiceContainer,
  type SshSession,
  type SshSettings
} from '../../../shared/src/index.js';
import type { ContainerLog } from '../error-patterns/group.js';
import { diagnosis, type Diagnosis, type Fault } from '../incident/diagnosis.js';
import { daemonLogScript, noSystemdNote, parseDaemonLog } from './daemon-log.js';
import { parsePsOutput, PS_SCRIPT } from './processes.js';

const FAMILY = 'services';
/** Bound on each remote command of this family. */
const STEP_TIMEOUT_MS = 20_000;
/** `compose exec ps` commands at once on one host (channels over its one SSH connection). */
const PS_PARALLEL = 4;

export interface HostsOptions {
  ssh: SshSettings;
  config: OpsConfig;
  /** Last log lines shown per container. */
  logLines: number;
  /** Log lines read per container for the error patterns. */
  patternLines: number;
  processLines: number;
  daemonLogLines: number;
  skipProcessServices: readonly string[];
}

/** What the hosts family found, and the logs the error-pattern review reads. */
export interface HostsFindings {
  diagnosis: Diagnosis;
  logs: ContainerLog[];
}

/** The faults in one host's container list: stopped or unhealthy containers, configured services missing. */
export function judgeContainers(host: string, containers: readonly ServiceContainer[], configured: OpsConfig['services']): Fault[] {
  const faults: Fault[] = [];
  for (const c of containers) {
    const target = `${host}: ${c.service} (${c.name})`;
    if (c.state === 'restarting') faults.push({ family: FAMILY, target, severity: 'fail', message: `restarting (${c.restartCount} restarts, last exit code ${c.exitCode})` });
    else if (!c.running) faults.push({ family: FAMILY, target, severity: 'fail', message: `${c.state} (exit code ${c.exitCode}${c.finishedAt ? `, since ${c.finishedAt}` : ''})` });
    else if (c.health === 'unhealthy') faults.push({ family: FAMILY, target, severity: 'fail', message: `unhealthy (${c.healthFailingStreak} failed health checks in a row)` });
    else if (c.health === 'starting') faults.push({ family: FAMILY, target, severity: 'warn', message: 'health check still starting' });
  }
  for (const s of configured) {
    if (s.replicas === 0) continue;
    const running = containers.filter((c) => c.service === s.name && c.running).length;
    if (!containers.some((c) => c.service === s.name)) {
      faults.push({ family: FAMILY, target: `${host}: ${s.name}`, severity: 'fail', message: `no container of the configured service (${s.replicas} expected)` });
    } else if (running < s.replicas) {
      faults.push({ family: FAMILY, target: `${host}: ${s.name}`, severity: 'warn', message: `${running} of ${s.replicas} configured replicas running` });
    }
  }
  return faults;
}

/** Runs the hosts family over every host, a few at once. */
export async function diagnoseHosts(opts: HostsOptions, signal: AbortSignal): Promise<HostsFindings> {
  const d = diagnosis(FAMILY);
  const logs: ContainerLog[] = [];
  const pool = new SshPool(opts.ssh);
  const abort = (): void => void pool.closeAll().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  // Per host, then joined in the hosts' order: the hosts run in parallel, the summary reads in order.
  const perHost = opts.ssh.targets.map(() => ({ serviceRows: [] as Array<Array<string | number>>, logBlocks: [] as string[], psBlocks: [] as string[], daemonBlocks: [] as string[] }));
  try {
    await mapLimit(opts.ssh.targets, opts.ssh.options.parallel, async (target, index) => {
      const host = target.name;
      const { serviceRows, logBlocks, psBlocks, daemonBlocks } = perHost[index];
      let session: SshSession;
      try {
        session = await pool.get(target);
      } catch (error) {
        d.faults.push({ family: FAMILY, target: describeTarget(target), severity: 'fail', message: `not reachable over SSH: ${scrubSecrets(toError(error).message)}` });
        return;
      }
      const compose = composeFor(opts.config, target);
      const projectName = composeProjectName(compose.projectDir, compose.projectName);
      const step = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await fn();
        } catch (error) {
          d.faults.push({ family: FAMILY, target: host, severity: 'warn', message: `could not ${what}: ${scrubSecrets(toError(error).message)}` });
          return undefined;
        }
      };

      const containers = await step('list the containers', () => listServiceContainers(session, { project: projectName }, { timeoutMs: STEP_TIMEOUT_MS }));
      if (containers) {
        d.faults.push(...judgeContainers(host, containers, opts.config.services));
        for (const c of containers) {
          serviceRows.push([host, c.service, c.name, c.state, c.health ?? '—', c.restartCount, c.running ? since(c.startedAt) : `exit ${c.exitCode}`]);
        }
        const texts = await step('read the container logs', () =>
          readContainerLogs(session, containers.map((c) => c.id), { lines: opts.patternLines, timeoutMs: STEP_TIMEOUT_MS, timestamps: true })
        );
        for (const c of containers) {
          const text = texts?.[c.id] ?? '';
          logs.push({ host, service: c.service, container: c.name, text });
          const tail = text.split('\n').slice(-opts.logLines).join('\n');
          logBlocks.push(`<details><summary>${escapeHtml(`${host}: ${c.name} (${c.state})`)}</summary>\n\n${fence(tail || '(no log lines)')}\n\n</details>`);
        }
        const running = containers.filter((c) => c.running && !opts.skipProcessServices.includes(c.service));
        if (running.length) {
          const project = await step('detect the compose CLI (for compose exec)', () => resolveComposeProject(session, compose, { timeoutMs: STEP_TIMEOUT_MS }));
          // A few at once: each `compose exec` starts the compose CLI (a second or more for compose v1).
          if (project) psBlocks.push(...(await mapLimit(running, PS_PARALLEL, (c) => topProcesses(session, project, host, c, opts.processLines, d))));
        }
      }

      const daemon = await step("read the Docker daemon's log", () => session.exec(daemonLogScript(opts.daemonLogLines), { timeoutMs: STEP_TIMEOUT_MS, label: 'journalctl -u docker' }));
      if (daemon) {
        const parsed = parseDaemonLog(daemon.stdout);
        if (parsed.kind === 'journal') daemonBlocks.push(`<details><summary>${escapeHtml(host)}: journalctl -u docker</summary>\n\n${fence(scrubSecrets(parsed.text) || '(empty)')}\n\n</details>`);
        else d.notes.push(noSystemdNote(host));
      }
    });
  } finally {
    signal.removeEventListener('abort', abort);
    await pool.closeAll().catch(() => undefined);
  }

  const serviceRows = perHost.flatMap((h) => h.serviceRows);
  const logBlocks = perHost.flatMap((h) => h.logBlocks);
  const psBlocks = perHost.flatMap((h) => h.psBlocks);
  const daemonBlocks = perHost.flatMap((h) => h.daemonBlocks);
  if (serviceRows.length) {
    d.sections.push({
      title: 'Services per host (docker-compose ps)',
      markdown: markdownTable(['Host', 'Service', 'Container', 'State', 'Health', { title: 'Restarts', align: 'right' }, 'Up since / exit'], serviceRows)
    });
  }
  if (logBlocks.length) d.sections.push({ title: `Last ${opts.logLines} log lines per container`, markdown: logBlocks.join('\n\n') });
  if (psBlocks.length) d.sections.push({ title: 'Top processes by memory (ps aux --sort=-%mem)', markdown: psBlocks.join('\n\n') });
  if (daemonBlocks.length) d.sections.push({ title: 'Docker daemon log (journalctl -u docker)', markdown: daemonBlocks.join('\n\n') });
  return { diagnosis: d, logs };
}

async function topProcesses(session: SshSession, project: ComposeProject, host: string, c: ServiceContainer, limit: number, d: Diagnosis): Promise<string> {
  const title = escapeHtml(`${host}: ${c.name}`);
  try {
    const r = await composeExec(session, project, c.service, ['sh', '-c', PS_SCRIPT], {
      ...(c.containerNumber !== null ? { index: c.containerNumber } : {}),
      timeoutMs: STEP_TIMEOUT_MS,
      tailBytes: 64 * 1024
    });
    if (r.code !== 0) throw new Error(r.timedOut ? `timed out after ${STEP_TIMEOUT_MS} ms` : oneLine(r.stderr || `exit code ${String(r.code)}`, 300));
    const top = parsePsOutput(r.stdout, limit);
    const note = top.note ? `\n\n_${top.note}._` : '';
    return `<details><summary>${title}</summary>\n\n${fence(scrubSecrets(top.lines.join('\n')))}${note}\n\n</details>`;
  } catch (error) {
    d.notes.push(`${title}: no process list (${scrubSecrets(toError(error).message)}).`);
    return `<details><summary>${title}</summary>\n\nno process list: ${oneLine(scrubSecrets(toError(error).message), 300)}\n\n</details>`;
  }
}

/** The host's compose settings: the config's, then that host's own. */
function composeFor(config: OpsConfig, target: HostTarget): ComposeConfig {
  const host = config.hosts.find((h) => h.name === target.name);
  return { ...config.compose, ...(host?.compose ?? {}) };
}

function since(startedAt: string | null): string {
  return startedAt ?? '—';
}
