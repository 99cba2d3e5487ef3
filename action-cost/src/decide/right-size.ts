// Right-sizing (pure): a droplet whose CPU and memory stayed under the threshold (95th percentile of
// action-health's samples, over at least `minDays` of history) gets the next smaller size that still
// holds that load with headroom, and the saving.
import type { DoDroplet, DoSize, Sample } from '../../../shared/src/index.js';
import { toCents } from '../pricing/price-list.js';

const DAY_MS = 86_400_000;
/** The smaller size must hold the p95 load at no more than this share of its capacity. */
export const HEADROOM = 0.7;

export type RightSizeVerdict = 'downsize' | 'keep' | 'no-history' | 'too-little-history';

export interface RightSizeResult {
  droplet: string;
  size: string;
  verdict: RightSizeVerdict;
  cpuP95?: number;
  memoryP95?: number;
  /** Days the samples span. */
  historyDays?: number;
  to?: DoSize;
  savingCents?: number;
  /** DO cannot shrink a disk: a smaller size with a smaller disk means a rebuild from a snapshot. */
  needsRebuild?: boolean;
  reason: string;
}

/** The nearest-rank 95th percentile; undefined for no values. */
export function p95(values: readonly number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

/** Size family: `s-2vcpu-4gb` → `s`, `s-2vcpu-4gb-amd` → `s…-amd`, `c-2` → `c`. */
function family(slug: string): string {
  const parts = slug.split('-');
  const variant = /-(amd|intel)$/.exec(slug)?.[1] ?? '';
  return `${parts[0]}${variant ? `-${variant}` : ''}`;
}

export function rightSizeDroplet(input: {
  droplet: DoDroplet;
  samples?: { cpu: readonly Sample[]; memory: readonly Sample[] };
  sizes: readonly DoSize[];
  thresholdPercent: number;
  minDays: number;
  now: Date;
}): RightSizeResult {
  const { droplet: d, sizes, thresholdPercent, minDays, now } = input;
  const base = { droplet: d.name, size: d.sizeSlug };
  const within = (s: readonly Sample[]) => s.filter((x) => now.getTime() - Date.parse(x.t) <= 31 * DAY_MS);
  const cpu = within(input.samples?.cpu ?? []);
  const memory = within(input.samples?.memory ?? []);
  if (!cpu.length && !memory.length) return { ...base, verdict: 'no-history', reason: 'no health history for this droplet (action-health has not sampled it)' };
  const times = [...cpu, ...memory].map((s) => Date.parse(s.t));
  const historyDays = Math.round(((Math.max(...times) - Math.min(...times)) / DAY_MS) * 10) / 10;
  const cpuP95 = p95(cpu.map((s) => s.v));
  const memoryP95 = p95(memory.map((s) => s.v));
  const measured = { ...base, historyDays, ...(cpuP95 === undefined ? {} : { cpuP95 }), ...(memoryP95 === undefined ? {} : { memoryP95 }) };
  if (historyDays < minDays || cpuP95 === undefined || memoryP95 === undefined) {
    return { ...measured, verdict: 'too-little-history', reason: `${historyDays} days of CPU and memory samples; a verdict needs ${minDays}` };
  }
  if (cpuP95 >= thresholdPercent || memoryP95 >= thresholdPercent) {
    return { ...measured, verdict: 'keep', reason: `p95 CPU ${cpuP95} %, memory ${memoryP95} %: not both under ${thresholdPercent} %` };
  }
  const price = toCents(d.priceMonthly);
  const smaller = sizes
    .filter((z) => z.available && z.regions.includes(d.region) && family(z.slug) === family(d.sizeSlug) && toCents(z.priceMonthly) < price && z.slug !== d.sizeSlug)
    .sort((a, b) => b.priceMonthly - a.priceMonthly)[0];
  if (!smaller) return { ...measured, verdict: 'keep', reason: `under ${thresholdPercent} %, but ${d.sizeSlug} is already the smallest size of its kind in ${d.region}` };
  const needVcpus = (d.vcpus * cpuP95) / 100 / HEADROOM;
  const needMemoryMb = (d.memoryMb * memoryP95) / 100 / HEADROOM;
  if (smaller.vcpus < needVcpus || smaller.memoryMb < needMemoryMb) {
    return { ...measured, verdict: 'keep', reason: `under ${thresholdPercent} %, but ${smaller.slug} would run the p95 load above ${HEADROOM * 100} %` };
  }
  const needsRebuild = smaller.diskGb < d.diskGb;
  return {
    ...measured,
    verdict: 'downsize',
    to: smaller,
    savingCents: price - toCents(smaller.priceMonthly),
    ...(needsRebuild ? { needsRebuild } : {}),
    reason:
      `p95 CPU ${cpuP95} %, memory ${memoryP95} % over ${historyDays} days (under ${thresholdPercent} %): ${smaller.slug} holds that load under ${HEADROOM * 100} %` +
      (needsRebuild ? `; its ${smaller.diskGb} GB disk is smaller than ${d.diskGb} GB, which DO cannot shrink: rebuild from a snapshot` : '; a CPU-and-RAM-only resize keeps the disk')
  };
}
