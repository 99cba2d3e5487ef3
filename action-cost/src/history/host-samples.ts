// action-health's stored host samples, read for right-sizing: health keeps CPU and memory percentages
// per host in its own state (`createStateStore('health')`, series `cpu:<host>` and `memory:<host>`;
// a test pins these keys to action-health's SERIES). Droplets are matched to the ops config's hosts by
// name or by address.
import { createStateStore, type DoDroplet, type HostConfig, type RunState, type Sample } from '../../../shared/src/index.js';

/** The name action-health's state is stored under. */
export const HEALTH_STATE_NAME = 'health';
export const HOST_SERIES = { cpu: (host: string) => `cpu:${host}`, memory: (host: string) => `memory:${host}` } as const;

export interface HostSamples {
  host: string;
  cpu: Sample[];
  memory: Sample[];
}

/** Loads action-health's state; an empty one (and a warning) when it cannot be read. */
export async function loadHealthState(warn: (m: string) => void): Promise<RunState> {
  const store = await createStateStore(HEALTH_STATE_NAME, warn);
  return store.load();
}

/** The samples of the config host that is this droplet (same name, or its public or private address). */
export function samplesForDroplet(state: RunState, hosts: readonly HostConfig[], droplet: DoDroplet): HostSamples | undefined {
  const host = hosts.find((h) => h.name === droplet.name || h.address === droplet.publicIpv4 || h.address === droplet.privateIpv4)?.name ?? droplet.name;
  const cpu = state.history[HOST_SERIES.cpu(host)] ?? [];
  const memory = state.history[HOST_SERIES.memory(host)] ?? [];
  return cpu.length || memory.length ? { host, cpu, memory } : undefined;
}

/** True when action-health's state holds any host samples at all. */
export function hasHostHistory(state: RunState): boolean {
  return Object.keys(state.history).some((k) => k.startsWith('cpu:') || k.startsWith('memory:'));
}
