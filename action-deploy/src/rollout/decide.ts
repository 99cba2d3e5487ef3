// The decisions of a rolling replacement, as pure functions of what Docker reports: is a batch of new
// containers healthy yet, did it fail, and which containers are new.
import type { ServiceContainer } from '../../../shared/src/index.js';

/** Where a set of new containers stands. */
export type BatchHealth =
  | { state: 'healthy' }
  | { state: 'waiting'; why: string }
  | { state: 'failed'; container: ServiceContainer; why: string };

/**
 * Healthy when every container is running and healthy (or, without a Docker health check, answered the
 * HTTP probe: `probed`). Failed as soon as one is unhealthy, exited, dead, or restarting: waiting longer
 * would not make it healthy, and the old containers are still serving.
 */
export function batchHealth(containers: readonly ServiceContainer[], probed: ReadonlySet<string> = new Set()): BatchHealth {
  // Never "healthy" for nothing: that verdict retires the old containers.
  if (containers.length === 0) return { state: 'waiting', why: 'no new container yet' };
  for (const c of containers) {
    if (c.state === 'exited' || c.state === 'dead') return { state: 'failed', container: c, why: `exited with code ${c.exitCode}` };
    if (c.state === 'restarting' || c.restartCount > 0) return { state: 'failed', container: c, why: `is restarting (restarted ${c.restartCount} time(s))` };
    if (c.health === 'unhealthy') return { state: 'failed', container: c, why: `failed its health check ${c.healthFailingStreak} time(s) in a row` };
  }
  const waiting = containers.filter((c) => !(c.running && (c.health === 'healthy' || (c.health === null && probed.has(c.id)))));
  if (waiting.length === 0) return { state: 'healthy' };
  const first = waiting[0];
  return { state: 'waiting', why: `${first.name} is ${first.running ? (first.health ?? 'running, not yet answering its probe') : first.state}` };
}

/** The containers in `after` that were not in `before` (the ones a scale-up created). */
export function newContainers(before: readonly ServiceContainer[], after: readonly ServiceContainer[]): ServiceContainer[] {
  const old = new Set(before.map((c) => c.id));
  return after.filter((c) => !old.has(c.id));
}

/** Running service containers, oldest first (the order a rolling restart replaces them in). */
export function servingContainers(all: readonly ServiceContainer[]): ServiceContainer[] {
  return all.filter((c) => c.running && !c.oneOff).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** How many replicas to end with: the asked-for count, else what runs now, and never 0 for a rollout. */
export function targetReplicas(asked: number | undefined, running: number): number {
  return asked ?? Math.max(1, running);
}
