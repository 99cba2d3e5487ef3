// What each resource costs a month, in integer cents. Droplet sizes and the registry tier are priced
// by the API itself; volumes, snapshots, images, managed databases and load balancers are not, so
// their prices come from DigitalOcean's public price list below. A resource without a price is
// reported as unpriced, never as $0.
import type { DoDatabase, DoDroplet, DoImage, DoLoadBalancer, DoRegistry, DoSnapshot, DoVolume } from '../../../shared/src/index.js';

/** DigitalOcean's list prices (pricing page, 2026): cents per GiB-month and per month. */
export const LIST_PRICES = {
  volumeCentsPerGib: 10,
  snapshotCentsPerGib: 6,
  /** Weekly Droplet backups: 20 % of the Droplet's price. */
  backupsPercent: 20,
  /** Regional load balancer, per node (`size_unit`); the older named sizes below. */
  loadBalancerCentsPerUnit: 1200,
  loadBalancerBySize: { 'lb-small': 1200, 'lb-medium': 3600, 'lb-large': 7200 } as Record<string, number>,
  /** Managed database clusters, per node. */
  databaseBySize: {
    'db-s-1vcpu-1gb': 1500,
    'db-s-1vcpu-2gb': 3000,
    'db-s-2vcpu-4gb': 6000,
    'db-s-4vcpu-8gb': 12000,
    'db-s-6vcpu-16gb': 24000,
    'db-s-8vcpu-32gb': 48000,
    'db-s-16vcpu-64gb': 96000
  } as Record<string, number>
} as const;

export const CATEGORIES = ['Droplets', 'Droplet backups', 'Databases', 'Volumes', 'Snapshots', 'Images', 'Load balancers', 'Container registry'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One resource with its monthly price. */
export interface PricedItem {
  category: Category;
  name: string;
  /** Size, engine, GiB: what the price depends on. */
  detail: string;
  region?: string;
  status?: string;
  /** Undefined: no price known (shown as "unpriced", left out of totals and said so). */
  monthlyCents?: number;
  source: 'API' | 'list price';
}

/** Dollars (as DO sends them) to cents, rounded to the nearest cent. */
export function toCents(dollars: number): number {
  return Math.round(dollars * 100);
}

/** Cents as `1234.50`. */
export function usd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export const dropletCents = (d: DoDroplet): number => toCents(d.priceMonthly);
export const backupsCents = (d: DoDroplet): number => Math.round((dropletCents(d) * LIST_PRICES.backupsPercent) / 100);
export const volumeCents = (v: Pick<DoVolume, 'sizeGigabytes'>): number => Math.round(v.sizeGigabytes * LIST_PRICES.volumeCentsPerGib);
export const snapshotCents = (s: Pick<DoSnapshot, 'sizeGigabytes'>): number => Math.round(s.sizeGigabytes * LIST_PRICES.snapshotCentsPerGib);

export function databaseCents(d: DoDatabase): number | undefined {
  const per = LIST_PRICES.databaseBySize[d.sizeSlug];
  return per === undefined ? undefined : per * Math.max(1, d.numNodes);
}

export function loadBalancerCents(lb: DoLoadBalancer): number | undefined {
  if (lb.sizeUnit && lb.sizeUnit > 0) return lb.sizeUnit * LIST_PRICES.loadBalancerCentsPerUnit;
  return lb.size ? LIST_PRICES.loadBalancerBySize[lb.size] : undefined;
}

/** The registry: its tier's price plus storage beyond what the tier includes, per started GiB. */
export function registryCents(r: DoRegistry): number {
  const over = Math.max(0, r.storageUsageBytes - r.tier.includedStorageBytes);
  const overGib = r.tier.allowStorageOverage ? Math.ceil(over / 2 ** 30) : 0;
  return r.tier.monthlyPriceCents + overGib * r.tier.storageOveragePriceCents;
}

export interface Inventory {
  droplets: DoDroplet[];
  databases: DoDatabase[];
  volumes: DoVolume[];
  snapshots: DoSnapshot[];
  /** The account's custom images (snapshot-type images are the snapshots above). */
  images: DoImage[];
  loadBalancers: DoLoadBalancer[];
  registry?: DoRegistry;
}

/** Every resource priced, in category order. */
export function priceInventory(inv: Inventory): PricedItem[] {
  const items: PricedItem[] = [];
  for (const d of inv.droplets) {
    items.push({ category: 'Droplets', name: d.name, detail: `${d.sizeSlug} · ${d.vcpus} vCPU · ${d.memoryMb / 1024} GiB`, region: d.region, status: d.status, monthlyCents: dropletCents(d), source: 'API' });
  }
  for (const d of inv.droplets.filter((x) => x.backupsEnabled)) {
    items.push({ category: 'Droplet backups', name: d.name, detail: `weekly, ${LIST_PRICES.backupsPercent} % of ${d.sizeSlug}`, region: d.region, monthlyCents: backupsCents(d), source: 'list price' });
  }
  for (const d of inv.databases) {
    items.push({ category: 'Databases', name: d.name, detail: `${d.engine} ${d.version ?? ''} · ${d.sizeSlug} × ${d.numNodes}`.replace('  ', ' '), region: d.region, status: d.status, monthlyCents: databaseCents(d), source: 'list price' });
  }
  for (const v of inv.volumes) {
    items.push({ category: 'Volumes', name: v.name, detail: `${v.sizeGigabytes} GiB${v.dropletIds.length ? '' : ' · unattached'}`, region: v.region, monthlyCents: volumeCents(v), source: 'list price' });
  }
  for (const s of inv.snapshots) {
    items.push({ category: 'Snapshots', name: s.name, detail: `${s.resourceType} · ${s.sizeGigabytes} GiB · ${s.createdAt.slice(0, 10)}`, region: s.regions.join(', '), monthlyCents: snapshotCents(s), source: 'list price' });
  }
  for (const i of inv.images) {
    items.push({ category: 'Images', name: i.name, detail: `${i.type} · ${i.sizeGigabytes} GiB · ${i.createdAt.slice(0, 10)}`, region: i.regions.join(', '), monthlyCents: snapshotCents(i), source: 'list price' });
  }
  for (const lb of inv.loadBalancers) {
    items.push({ category: 'Load balancers', name: lb.name, detail: lb.sizeUnit ? `${lb.sizeUnit} node${lb.sizeUnit === 1 ? '' : 's'}` : (lb.size ?? ''), region: lb.region, status: lb.status, monthlyCents: loadBalancerCents(lb), source: 'list price' });
  }
  if (inv.registry) {
    const r = inv.registry;
    items.push({ category: 'Container registry', name: r.name, detail: `${r.tier.name} tier · ${(r.storageUsageBytes / 2 ** 30).toFixed(2)} GiB stored`, region: r.region, monthlyCents: registryCents(r), source: 'API' });
  }
  return items;
}

/** Monthly cents per category (priced items only), in category order, empty categories left out. */
export function totalsByCategory(items: readonly PricedItem[]): Array<{ category: Category; cents: number; count: number; unpriced: number }> {
  return CATEGORIES.map((category) => {
    const of = items.filter((i) => i.category === category);
    return { category, cents: of.reduce((n, i) => n + (i.monthlyCents ?? 0), 0), count: of.length, unpriced: of.filter((i) => i.monthlyCents === undefined).length };
  }).filter((c) => c.count > 0);
}
