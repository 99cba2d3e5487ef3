// Clean-up candidates with their monthly saving (pure): old snapshots and custom images, unattached
// volumes, powered-off droplets (DO bills them as if running), registry images no tag points to.
import type { DoDroplet, DoImage, DoRegistry, DoRegistryManifest, DoSnapshot, DoVolume } from '../../../shared/src/index.js';
import { backupsCents, dropletCents, snapshotCents, volumeCents } from '../pricing/price-list.js';

const DAY_MS = 86_400_000;

export type CandidateKind = 'snapshot' | 'image' | 'volume' | 'droplet' | 'registry-image';

export interface CleanupCandidate {
  kind: CandidateKind;
  name: string;
  reason: string;
  monthlySavingCents: number;
}

export interface CleanupInput {
  snapshots: readonly DoSnapshot[];
  images: readonly DoImage[];
  volumes: readonly DoVolume[];
  droplets: readonly DoDroplet[];
  registry?: DoRegistry;
  /** Manifests by repository. */
  manifests: ReadonlyArray<{ repository: string; manifests: readonly DoRegistryManifest[] }>;
  snapshotAgeDays: number;
  now: Date;
}

/** Whole days between `createdAt` and `now`. */
export function ageDays(createdAt: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(createdAt)) / DAY_MS);
}

/** Strictly older than `days`: a snapshot exactly `days` old is not yet a candidate. */
export function isOlderThan(createdAt: string, days: number, now: Date): boolean {
  return now.getTime() - Date.parse(createdAt) > days * DAY_MS;
}

export function findCleanupCandidates(input: CleanupInput): CleanupCandidate[] {
  const { now, snapshotAgeDays: days } = input;
  const out: CleanupCandidate[] = [];
  for (const s of input.snapshots) {
    if (isOlderThan(s.createdAt, days, now)) {
      out.push({ kind: 'snapshot', name: s.name, reason: `${s.resourceType} snapshot, ${ageDays(s.createdAt, now)} days old (over ${days}), ${s.sizeGigabytes} GiB`, monthlySavingCents: snapshotCents(s) });
    }
  }
  for (const i of input.images) {
    if (isOlderThan(i.createdAt, days, now)) {
      out.push({ kind: 'image', name: i.name, reason: `${i.type} image, ${ageDays(i.createdAt, now)} days old (over ${days}), ${i.sizeGigabytes} GiB`, monthlySavingCents: snapshotCents(i) });
    }
  }
  for (const v of input.volumes) {
    if (v.dropletIds.length === 0) out.push({ kind: 'volume', name: v.name, reason: `unattached, ${v.sizeGigabytes} GiB`, monthlySavingCents: volumeCents(v) });
  }
  for (const d of input.droplets) {
    if (d.status === 'off') {
      out.push({
        kind: 'droplet',
        name: d.name,
        reason: `powered off but still billed (${d.sizeSlug}); snapshot and destroy it if it is not coming back`,
        monthlySavingCents: dropletCents(d) + (d.backupsEnabled ? backupsCents(d) : 0)
      });
    }
  }
  if (input.registry) out.push(...untaggedImages(input.registry, input.manifests));
  return out;
}

/**
 * Manifests no tag points to. Deleting them (then a garbage collection) frees their storage; that saves
 * money only for the part of the registry's storage above what its tier includes.
 */
function untaggedImages(registry: DoRegistry, repos: CleanupInput['manifests']): CleanupCandidate[] {
  const tier = registry.tier;
  let overBytes = tier.allowStorageOverage ? Math.max(0, registry.storageUsageBytes - tier.includedStorageBytes) : 0;
  const out: CleanupCandidate[] = [];
  for (const { repository, manifests } of repos) {
    for (const m of manifests.filter((x) => x.tags.length === 0)) {
      const bytes = m.compressedSizeBytes;
      // Storage over the tier is billed per started GiB: count the GiB this image takes out of the overage.
      const before = Math.ceil(overBytes / 2 ** 30);
      overBytes = Math.max(0, overBytes - bytes);
      const savedGib = before - Math.ceil(overBytes / 2 ** 30);
      out.push({
        kind: 'registry-image',
        name: `${repository}@${m.digest.slice(0, 19)}`,
        reason: `no tag points to it, ${(bytes / 1e6).toFixed(0)} MB, pushed ${m.updatedAt.slice(0, 10)}`,
        monthlySavingCents: savedGib * tier.storageOveragePriceCents
      });
    }
  }
  return out;
}
