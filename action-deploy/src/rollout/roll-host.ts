// One host's turn of a version change (rollout or rollback): the image first (present or pulled, or
// refuse with nothing changed), then the env file's version written atomically, then the rolling
// replacement. Any failure puts the old env file back; the old containers were never stopped.
import { shellJoin, shellQuote, listServiceContainers, type ServiceContainer } from '../../../shared/src/index.js';
import { envFilePath, readEnvFile, readEnvValue, setEnvValue, writeEnvFile } from './env-file.js';
import { sessionForUndo, type HostContext } from './host-context.js';
import { ensureImage, imageFor, versionVariable, type ImageAvailability } from './image.js';
import { replaceContainers, type ReadinessProbe, type ReplaceResult } from './replace-containers.js';
import { targetReplicas, servingContainers } from './decide.js';

export interface VersionChange {
  service: string;
  version: string;
  /** Replicas to end with (default: as many as run now, at least 1). */
  replicas?: number;
  healthTimeoutMs: number;
  probe?: ReadinessProbe;
  /** Pull a missing image (rollout); a rollback only uses what the host has. */
  pull: boolean;
}

/** What the host reads before anything changes. */
export interface HostPlan {
  variable: string;
  previous: string | undefined;
  image: string;
  /** The image of any version of the service on this host (a roll back after the public check needs the old one's). */
  imageAt: (version: string) => string;
  envPath: string;
  envContent: string;
}

/** Everything that can be checked on a host without changing it: the variable, current version, image. */
export async function planHost(h: HostContext, change: VersionChange): Promise<HostPlan & { availability: ImageAvailability }> {
  const composeFile = h.project.file ?? 'docker-compose.yml';
  const composeText = (await h.session.execChecked(`cat -- ${shellQuote(envFilePath(h.project.dir, composeFile))}`, { label: 'read the compose file', timeoutMs: 30_000 })).stdout;
  const variable = versionVariable(composeText, change.service);
  const envPath = envFilePath(h.project.dir, h.project.envFile ?? '.env');
  const envContent = await readEnvFile(h.session, envPath);
  const imageAt = (version: string): string => imageFor(composeText, envContent, change.service, variable, version);
  const image = imageAt(change.version);
  const availability = await ensureImage(h.session, image, change.pull);
  return { variable, previous: readEnvValue(envContent, variable), image, imageAt, envPath, envContent, availability };
}

/** The version change on one planned host. */
export async function changeVersion(h: HostContext, change: VersionChange, plan: HostPlan): Promise<ReplaceResult> {
  const snapshot = await removeStopped(h, change.service);
  const replicas = targetReplicas(change.replicas, servingContainers(snapshot).length);
  const restore = async (): Promise<void> => writeEnvFile(await sessionForUndo(h), plan.envPath, plan.envContent);
  // Registered before the write: a write cut off by a lost connection may still have replaced the file.
  const dropRestore = h.cleanups.add(`put ${plan.envPath} back to ${plan.variable}=${plan.previous ?? '(unset)'} on ${h.label}`, restore);
  try {
    await writeEnvFile(h.session, plan.envPath, setEnvValue(plan.envContent, plan.variable, change.version));
    const result = await replaceContainers(h, { service: change.service, batch: replicas, replicas, healthTimeoutMs: change.healthTimeoutMs, probe: change.probe, snapshot, image: plan.imageAt(change.version) });
    dropRestore();
    return result;
  } catch (e) {
    // Put back now; should that fail too, the pending cleanup tries again at the end of the run, and
    // the error that stopped the change is the one reported.
    await restore().then(dropRestore, () => undefined);
    throw e;
  }
}

/** Stopped containers of the service would be restarted by `--scale` as if new: remove them first. Returns the rest. */
async function removeStopped(h: HostContext, service: string): Promise<ServiceContainer[]> {
  const all = await listServiceContainers(h.session, { project: h.project.name, service });
  const stopped = all.filter((c) => !c.running);
  if (stopped.length === 0) return all;
  h.log.info(`${h.label}: removing ${stopped.length} stopped ${service} container(s) first: ${stopped.map((c) => c.name).join(', ')}.`);
  await h.session.execChecked(shellJoin(['docker', 'rm', '-f', ...stopped.map((c) => c.id)]), { label: 'docker rm', timeoutMs: 60_000 });
  return all.filter((c) => c.running);
}
