// A larger DigitalOcean account for the cost benchmark: A2A World's fixtures with the lists grown so
// that several of them span more than one page of 200 (DO's maximum), as a busy account's would.
import { a2aWorldFixtures, type DigitalOceanFixtures } from './digitalocean-standin/index.js';

export interface AccountScale {
  droplets: number;
  volumes: number;
  snapshots: number;
  repositories: number;
  manifestsPerRepository: number;
}

export const BUSY_ACCOUNT: AccountScale = { droplets: 60, volumes: 40, snapshots: 450, repositories: 12, manifestsPerRepository: 30 };

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** The A2A World account grown to `scale`; ids and names stay unique, shapes stay DO's. */
export function busyAccount(scale: AccountScale = BUSY_ACCOUNT, now = new Date()): DigitalOceanFixtures {
  const data = a2aWorldFixtures(now);
  const [droplet] = data.droplets;
  data.droplets = Array.from({ length: scale.droplets }, (_, i) => ({ ...droplet, id: 4_000_000 + i, name: `worker-${i + 1}`, volume_ids: [] }));
  const [volume] = data.volumes;
  data.volumes = Array.from({ length: scale.volumes }, (_, i) => ({ ...volume, id: `${hex(i, 8)}-e098-11e5-ad9f-000f53306ae1`, name: `data-${i + 1}`, droplet_ids: i % 4 === 0 ? [] : [4_000_000 + (i % scale.droplets)] }));
  const [snapshot] = data.snapshots;
  data.snapshots = Array.from({ length: scale.snapshots }, (_, i) => ({ ...snapshot, id: String(7_000_000 + i), name: `nightly ${i + 1}`, created_at: new Date(now.getTime() - (i + 1) * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z') }));
  const [repo] = data.registryRepositories ?? [];
  data.registryRepositories = Array.from({ length: scale.repositories }, (_, r) => {
    const name = `service-${r + 1}`;
    const manifests = Array.from({ length: scale.manifestsPerRepository }, (_, m) => ({
      ...repo.manifests[0],
      repository: name,
      digest: `sha256:${hex(r, 4)}${hex(m, 4)}${'0'.repeat(56)}`,
      tags: m < 3 ? [`v1.${m}`] : []
    }));
    return { repository: { ...repo.repository, name, latest_manifest: manifests[0], tag_count: 3, manifest_count: manifests.length }, manifests };
  });
  return data;
}
