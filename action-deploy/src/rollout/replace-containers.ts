// The docker-rollout method, the way to replace a service's containers without dropping a request:
// start new containers beside the running ones (`up --no-recreate --scale`), wait until every new one
// is healthy, then stop the old ones with their grace period and remove them. If a new container never
// gets healthy, the new ones are removed and the old ones, never touched, go on serving.
import { setTimeout as sleep } from 'node:timers/promises';
import { composeCommand, listServiceContainers, readContainerLogs, shellJoin, type ServiceContainer } from '../../../shared/src/index.js';
import { batchHealth, newContainers, servingContainers } from './decide.js';
import { sessionForUndo, type HostContext } from './host-context.js';

/** How often new containers' health is read while waiting (Docker's own probe interval is often 1 s or more). */
const POLL_MS = 500;

/** How to tell that a new container is ready, for images without a Docker HEALTHCHECK. */
export interface ReadinessProbe {
  /** Path of the service's health URL (`/health`), requested from the host at the container's own address. */
  path: string;
  timeoutMs: number;
}

export interface ReplaceOptions {
  service: string;
  /** Env overrides for the compose command (the version variable during a rollout). */
  env?: Record<string, string>;
  /** New containers started per batch: all replicas at once (rollout) or one at a time (restart). */
  batch: number;
  /** Replicas the service ends with. */
  replicas: number;
  healthTimeoutMs: number;
  probe?: ReadinessProbe;
  /** Start new containers and retire none (scaling up). */
  keepOld?: boolean;
  /** Every container of the service as the caller just listed it (saves a round trip). */
  snapshot?: ServiceContainer[];
  /** The image the new containers must run (a version change); checked before any old one goes. */
  image?: string;
}

/** How a replacement ended. */
export interface ReplaceResult {
  started: ServiceContainer[];
  removed: ServiceContainer[];
  durationMs: number;
  /** Replicas without a Docker health check were judged by the HTTP probe (or by running alone). */
  judgedBy: 'docker health' | 'http probe' | 'running';
}

/** A new container never got healthy: the new ones were removed; the old ones still serve. */
export class UnhealthyReleaseError extends Error {
  override name = 'UnhealthyReleaseError';
  constructor(
    message: string,
    /** The failing container's health-check log and last log lines, for the summary. */
    readonly evidence: string
  ) {
    super(message);
  }
}

/**
 * Replaces every running container of `service` on the host: in batches of `batch` new containers, each
 * batch healthy before old ones go. Ends with `replicas` running containers of the new definition.
 */
export async function replaceContainers(h: HostContext, opts: ReplaceOptions): Promise<ReplaceResult> {
  const started = Date.now();
  const listAll = (): Promise<ServiceContainer[]> => listServiceContainers(h.session, { project: h.project.name, service: opts.service });
  let next: ServiceContainer[] | undefined = opts.snapshot ?? (await listAll());
  const old = servingContainers(next);
  const result: ReplaceResult = { started: [], removed: [], durationMs: 0, judgedBy: 'docker health' };
  // Old containers to retire, oldest first; each batch retires as many as it started (the last retires the rest).
  let toRetire = opts.keepOld ? [] : [...old];
  let running = old.length;
  let made = 0;
  while (made < opts.replicas) {
    const size = Math.min(opts.batch, opts.replicas - made);
    // Every container of the service before `up`, stopped ones too: the undo removes whatever is not
    // among them, so a batch whose `up` was cut off (connection lost, run cancelled) is removed as well.
    const snapshot = next ?? (await listAll());
    next = undefined;
    let fresh: ServiceContainer[] = [];
    const undo = (): Promise<void> => removeBatch(h, opts.service, snapshot, fresh);
    const drop = h.cleanups.add(`remove the new ${opts.service} containers on ${h.label}`, undo);
    try {
      await scale(h, opts, running + size);
      // Every state: a new container that exited at once is new too (and fails the health wait).
      const after = await listAll();
      fresh = newContainers(snapshot, after);
      if (fresh.length === 0) throw new Error(`${h.label}: compose started no new container of '${opts.service}' (is the service defined in the compose file?)`);
      const wrong = opts.image ? fresh.find((c) => c.image !== opts.image) : undefined;
      if (wrong) {
        throw new Error(`${h.label}: compose started ${wrong.name} on ${wrong.image}, not ${opts.image} (does the host's environment set the version variable, overriding the env file?)`);
      }
      result.judgedBy = await waitHealthy(h, fresh, opts, after);
    } catch (e) {
      // Removed now; should that fail too, the pending cleanup tries again at the end of the run, and
      // the error that stopped the batch is the one reported.
      await undo().then(drop, () => undefined);
      throw e;
    }
    drop();
    result.started.push(...fresh);
    made += fresh.length;
    running += fresh.length;
    const last = made >= opts.replicas;
    const retire = last ? toRetire : toRetire.slice(0, size);
    toRetire = last ? [] : toRetire.slice(size);
    if (retire.length) {
      h.log.info(`${h.label}: ${fresh.map((c) => c.name).join(', ')} healthy; stopping ${retire.map((c) => c.name).join(', ')}.`);
      await removeContainers(h, retire);
      result.removed.push(...retire);
      running -= retire.length;
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** `up -d --no-deps --no-recreate --scale S=N S`: adds containers, never recreates the running ones. */
async function scale(h: HostContext, opts: ReplaceOptions, count: number): Promise<void> {
  const args = ['up', '-d', '--no-deps', '--no-recreate', '--scale', `${opts.service}=${count}`, opts.service];
  await h.session.execChecked(composeCommand(h.project, args, { env: opts.env }), { label: `compose up --scale ${opts.service}=${count}`, timeoutMs: 5 * 60_000 });
}

/** Waits until the batch is healthy, or throws UnhealthyReleaseError with the evidence. */
async function waitHealthy(h: HostContext, fresh: ServiceContainer[], opts: ReplaceOptions, first?: ServiceContainer[]): Promise<ReplaceResult['judgedBy']> {
  const deadline = Date.now() + opts.healthTimeoutMs;
  const probed = new Set<string>();
  let last = 'not checked yet';
  let seen = first;
  for (;;) {
    const listed = seen ?? (await listServiceContainers(h.session, { project: h.project.name, service: opts.service }));
    seen = undefined;
    const now = listed.filter((c) => fresh.some((f) => f.id === c.id));
    if (now.length < fresh.length) {
      const gone = fresh.find((f) => !now.some((c) => c.id === f.id)) as ServiceContainer;
      throw new UnhealthyReleaseError(`${h.label}: the new container ${gone.name} disappeared before it was healthy`, '');
    }
    for (const c of now.filter((x) => x.running && x.health === null && !probed.has(x.id))) {
      if (!opts.probe) {
        // Neither a HEALTHCHECK nor a health URL: the best to be had is "still running a few seconds on".
        if (c.startedAt && Date.now() - Date.parse(c.startedAt) >= 5000) probed.add(c.id);
      } else if (await probeContainer(h, c, opts.probe)) {
        probed.add(c.id);
      }
    }
    const state = batchHealth(now, probed);
    if (state.state === 'healthy') return now.some((c) => c.health !== null) ? 'docker health' : opts.probe ? 'http probe' : 'running';
    if (state.state === 'failed') {
      throw new UnhealthyReleaseError(`${h.label}: the new container ${state.container.name} ${state.why}`, await evidence(h, state.container));
    }
    last = state.why;
    if (h.signal.aborted) throw new Error(`${h.label}: cancelled while waiting for the new containers (${last})`);
    if (Date.now() >= deadline) {
      throw new UnhealthyReleaseError(`${h.label}: the new containers were not healthy within ${Math.round(opts.healthTimeoutMs / 1000)} s (${last})`, await evidence(h, now[0] ?? fresh[0]));
    }
    await sleep(POLL_MS, undefined, { signal: h.signal }).catch(() => undefined);
  }
}

/** GETs the probe path at the container's own address from the host (the load balancer cannot tell new from old). */
async function probeContainer(h: HostContext, c: ServiceContainer, probe: ReadinessProbe): Promise<boolean> {
  const address = c.networks.find((n) => n.ipAddress)?.ipAddress;
  const port = c.ports.find((p) => p.protocol === 'tcp')?.containerPort;
  if (!address || !port) return false;
  const url = `http://${address}:${port}${probe.path}`;
  const seconds = String(Math.max(1, Math.ceil(probe.timeoutMs / 1000)));
  const cmd = `if command -v curl >/dev/null 2>&1; then ${shellJoin(['curl', '-fsS', '-o', '/dev/null', '-m', seconds, url])}; else ${shellJoin(['wget', '-q', '-O', '/dev/null', '-T', seconds, url])}; fi`;
  const r = await h.session.exec(cmd, { label: `probe ${c.name}`, timeoutMs: probe.timeoutMs + 5000 });
  return r.code === 0;
}

/** Stops (with each container's own grace period) and removes containers; tolerates ones already gone. */
export async function removeContainers(h: HostContext, containers: readonly ServiceContainer[]): Promise<void> {
  if (containers.length === 0) return;
  const ids = containers.map((c) => c.id);
  await h.session.execChecked(`${shellJoin(['docker', 'stop', ...ids])} >/dev/null 2>&1; ${shellJoin(['docker', 'rm', '-f', ...ids])} >/dev/null 2>&1 || true`, {
    label: 'docker stop/rm',
    timeoutMs: 5 * 60_000
  });
}

/** Removes a batch: the containers it started, and any of the service that was not there before it. */
async function removeBatch(h: HostContext, service: string, snapshot: readonly ServiceContainer[], fresh: readonly ServiceContainer[]): Promise<void> {
  const session = await sessionForUndo(h);
  const known = new Set(snapshot.map((c) => c.id));
  const unknown = (await listServiceContainers(session, { project: h.project.name, service })).filter((c) => !known.has(c.id));
  const batch = [...fresh, ...unknown.filter((c) => !fresh.some((f) => f.id === c.id))];
  await removeContainers({ ...h, session }, batch);
}

/** The failing container's health-check log and last log lines. */
async function evidence(h: HostContext, c: ServiceContainer): Promise<string> {
  const health = await h.session.exec(shellJoin(['docker', 'inspect', '--format', '{{json .State.Health}}', c.id]), { label: 'docker inspect health', timeoutMs: 30_000 });
  let healthLog = '';
  try {
    const parsed = JSON.parse(health.stdout) as { Log?: Array<{ ExitCode?: number; Output?: string; End?: string }> } | null;
    healthLog = (parsed?.Log ?? []).map((l) => `${l.End ?? ''} exit ${l.ExitCode}: ${(l.Output ?? '').trim()}`).join('\n');
  } catch {
    healthLog = '';
  }
  const logs = await readContainerLogs(h.session, [c.id], { lines: 30 }).catch(() => ({}) as Record<string, string>);
  return [healthLog ? `Health checks of ${c.name}:\n${healthLog}` : `${c.name} has no health-check log.`, `Last log lines of ${c.name}:\n${logs[c.id] ?? '(none)'}`].join('\n\n');
}
