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

/**
 * The samples of the host that is this droplet: the config host with its name or address, else a host
 * health named by the droplet's name or address itself (a `hosts` input such as `deploy@164.90.161.11`).
 */
export function samplesForDroplet(state: RunState, hosts: readonly HostConfig[], droplet: DoDroplet): HostSamples | undefined {
  const addresses = [droplet.publicIpv4, droplet.privateIpv4].filter((a): a is string => Boolean(a));
  const configured = hosts.find((h) => h.name === droplet.name || addresses.includes(h.address))?.name;
  for (const host of [...(configured ? [configured] : []), droplet.name, ...addresses]) {
    const cpu = state.history[HOST_SERIES.cpu(host)] ?? [];
    const memory = state.history[HOST_SERIES.memory(host)] ?? [];
    if (cpu.length || memory.length) return { host, cpu, memory };
  }
  return undefined;
}

/** True when action-health's state holds any host samples at all. */
export function hasHostHistory(state: RunState): boolean {
  return Object.keys(state.history).some((k) => k.startsWith('cpu:') || k.startsWith('memory:'));
}
