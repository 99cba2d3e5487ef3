// What Docker clean-up would remove on one host, decided from `docker system df -v` (images with their
// unique size, containers' writable layers, build cache) and `docker inspect` of every container:
// - an image goes only when no container (running or stopped) uses it, it is older than the bound, and it
//   is not among the newest `keepPerRepository` tags of its repository (so the image to roll back to
//   stays); an image whose other tags stay is only untagged, which frees nothing;
// - a stopped container goes when it stopped before the bound and no compose project owns it (compose
//   recreates its own; a stopped replica is a fault the health check reports, not garbage);
// - build cache not in use and last used before the bound.
import { COMPOSE_LABELS, type ServiceContainer } from '../../../shared/src/index.js';
import { parseDockerSize } from '../sizes.js';

/** One image tag (or an untagged image) as `docker system df -v` lists it. */
export interface ImageRow {
  /** Full `sha256:` id. */
  id: string;
  repository: string;
  tag: string;
  createdAt: Date;
  /** Bytes no other image shares: what removing the image frees. */
  uniqueSize: number;
}

export interface BuildCacheRow {
  id: string;
  size: number;
  lastUsedAt?: Date;
  inUse: boolean;
}

export interface ContainerSize {
  id: string;
  size: number;
}

/** The parts of `docker system df -v --format '{{json .}}'` the plan reads. */
export interface DockerDisk {
  images: ImageRow[];
  containerSizes: ContainerSize[];
  buildCache: BuildCacheRow[];
}

interface DfJson {
  Images?: Array<Record<string, string>> | null;
  Containers?: Array<Record<string, string>> | null;
  BuildCache?: Array<Record<string, string | boolean>> | null;
}

/** Docker's `2026-12-01 14:24:27 +0000 UTC` (and ISO times) as a Date; invalid → epoch 0 (oldest). */
export function parseDockerTime(text: string | undefined): Date {
  if (!text) return new Date(0);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*([+-]\d{2})(\d{2})/.exec(text);
  const t = m ? Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`) : Date.parse(text);
  return new Date(Number.isFinite(t) ? t : 0);
}

/** Parses `docker system df -v --format '{{json .}}'`. */
export function parseSystemDf(text: string): DockerDisk {
  const json = JSON.parse(text.trim() || '{}') as DfJson;
  return {
    images: (json.Images ?? []).map((i) => ({
      id: i.ID ?? '',
      repository: i.Repository ?? '<none>',
      tag: i.Tag ?? '<none>',
      createdAt: parseDockerTime(i.CreatedAt),
      uniqueSize: parseDockerSize(i.UniqueSize ?? '') ?? parseDockerSize(i.Size ?? '') ?? 0
    })),
    containerSizes: (json.Containers ?? []).map((c) => ({ id: c.ID ?? '', size: parseDockerSize(c.Size ?? '') ?? 0 })),
    buildCache: (json.BuildCache ?? []).map((b) => ({
      id: String(b.ID ?? ''),
      size: parseDockerSize(String(b.Size ?? '')) ?? 0,
      lastUsedAt: b.LastUsedAt ? parseDockerTime(String(b.LastUsedAt)) : undefined,
      inUse: b.InUse === true || b.InUse === 'true'
    }))
  };
}

/** One thing the clean-up removes, or keeps with its reason. */
export interface CleanupItem {
  kind: 'image' | 'untag' | 'container' | 'build-cache';
  /** What `docker rmi` / `docker rm` is given: `repo:tag`, an image id, a container id. */
  ref: string;
  /** As a person reads it. */
  label: string;
  bytes: number;
}

export interface KeptItem {
  label: string;
  reason: string;
}

export interface DockerPlan {
  remove: CleanupItem[];
  /** Candidates by age that stay for a reason (in use, newest tags, compose-owned); for the report. */
  kept: KeptItem[];
}

export interface DockerPolicy {
  /** Images created before this are candidates. */
  imagesBefore: Date;
  /** Tags kept per repository, newest first, whatever their age. */
  keepPerRepository: number;
  /** Stopped containers that finished before this are candidates. */
  containersBefore: Date;
  /** Build cache last used before this is a candidate. */
  buildCacheBefore: Date;
}

const NONE = '<none>';

/** Decides the Docker clean-up of one host (pure). */
export function planDockerCleanup(disk: DockerDisk, containers: readonly ServiceContainer[], policy: DockerPolicy): DockerPlan {
  const remove: CleanupItem[] = [];
  const kept: KeptItem[] = [];
  const usedBy = new Map<string, string[]>();
  for (const c of containers) usedBy.set(c.imageId, [...(usedBy.get(c.imageId) ?? []), c.name]);

  // Newest tags per repository, by image creation time (tag name breaks ties, for a stable order).
  const newest = new Set<ImageRow>();
  const byRepo = new Map<string, ImageRow[]>();
  for (const row of disk.images) if (row.repository !== NONE && row.tag !== NONE) byRepo.set(row.repository, [...(byRepo.get(row.repository) ?? []), row]);
  for (const rows of byRepo.values()) {
    rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.tag.localeCompare(a.tag));
    for (const r of rows.slice(0, policy.keepPerRepository)) newest.add(r);
  }

  const byId = new Map<string, ImageRow[]>();
  for (const row of disk.images) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  for (const [id, rows] of byId) {
    const name = (r: ImageRow): string => (r.repository === NONE || r.tag === NONE ? `${id.replace(/^sha256:/, '').slice(0, 12)} (untagged)` : `${r.repository}:${r.tag}`);
    const users = usedBy.get(id);
    const created = rows[0].createdAt;
    if (created >= policy.imagesBefore) continue; // young: not even a candidate
    if (users) {
      for (const r of rows) kept.push({ label: name(r), reason: `used by ${users.slice(0, 3).join(', ')}${users.length > 3 ? ` and ${users.length - 3} more` : ''}` });
      continue;
    }
    const stay = rows.filter((r) => newest.has(r));
    for (const r of stay) kept.push({ label: name(r), reason: `among the newest ${policy.keepPerRepository} of ${r.repository}` });
    const go = rows.filter((r) => !newest.has(r));
    if (!go.length) continue;
    if (stay.length) {
      for (const r of go) remove.push({ kind: 'untag', ref: `${r.repository}:${r.tag}`, label: `${name(r)} (tag only: the image stays as ${name(stay[0])})`, bytes: 0 });
      continue;
    }
    const tagged = go.filter((r) => r.repository !== NONE && r.tag !== NONE);
    if (tagged.length) {
      // Every tag removed: the last `rmi` removes the image and frees its unique size.
      tagged.forEach((r, i) => remove.push({ kind: i === tagged.length - 1 ? 'image' : 'untag', ref: `${r.repository}:${r.tag}`, label: name(r), bytes: i === tagged.length - 1 ? r.uniqueSize : 0 }));
    } else {
      remove.push({ kind: 'image', ref: id, label: name(go[0]), bytes: go[0].uniqueSize });
    }
  }

  const sizes = new Map(disk.containerSizes.map((c) => [c.id, c.size]));
  for (const c of containers) {
    if (c.running || c.state === 'paused' || c.state === 'restarting' || c.state === 'removing') continue;
    const endedAt = new Date(c.finishedAt ? Date.parse(c.finishedAt) : Date.parse(c.createdAt) || 0);
    if (endedAt >= policy.containersBefore) continue;
    const project = c.labels[COMPOSE_LABELS.project];
    if (project) {
      kept.push({ label: `container ${c.name}`, reason: `stopped, but compose project ${project} owns it` });
      continue;
    }
    remove.push({ kind: 'container', ref: c.id, label: `container ${c.name} (${c.state}, ${c.image})`, bytes: sizes.get(c.id) ?? 0 });
  }

  const cache = disk.buildCache.filter((b) => !b.inUse && (b.lastUsedAt ?? new Date(0)) < policy.buildCacheBefore);
  if (cache.length) remove.push({ kind: 'build-cache', ref: 'build-cache', label: `build cache (${cache.length} entr${cache.length === 1 ? 'y' : 'ies'})`, bytes: cache.reduce((s, b) => s + b.size, 0) });

  // Containers first: an image is removed only after the containers that go with it.
  const order: Record<CleanupItem['kind'], number> = { container: 0, untag: 1, image: 2, 'build-cache': 3 };
  remove.sort((a, b) => order[a.kind] - order[b.kind]);
  return { remove, kept };
}
