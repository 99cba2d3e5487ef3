// The clean-up's decision code: which Docker images, containers and build cache go (and why the others
// stay), read from `docker system df -v` and `docker inspect`; local backups beyond retention through the
// backup core; the df, journal and size parsers.
import { describe, expect, it } from '@jest/globals';
import { toServiceContainer, type ServiceContainer } from '../../shared/src/index.js';
import { listMetadataCommand, planBackupCleanup } from '../src/cleanup/backups.js';
import { parseDf, parseJournalUse } from '../src/cleanup/inventory.js';
import { parseDockerTime, parseSystemDf, planDockerCleanup, type DockerDisk, type ImageRow } from '../src/cleanup/plan-docker.js';
import { formatSize, parseDockerSize, parseSize } from '../src/sizes.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY);
const image = (id: string, repository: string, tag: string, ageDays: number, mb = 10): ImageRow => ({ id: `sha256:${id}`, repository, tag, createdAt: daysAgo(ageDays), uniqueSize: mb * 1e6 });
function container(name: string, imageId: string, opts: { state?: string; finishedDaysAgo?: number; project?: string } = {}): ServiceContainer {
  const state = opts.state ?? 'running';
  return toServiceContainer({
    Id: `id-${name}`,
    Name: `/${name}`,
    Image: `sha256:${imageId}`,
    Created: daysAgo(60).toISOString(),
    State: { Status: state, Running: state === 'running', FinishedAt: opts.finishedDaysAgo === undefined ? '0001-01-01T00:00:00Z' : daysAgo(opts.finishedDaysAgo).toISOString() },
    Config: { Image: 'x', Labels: opts.project ? { 'com.docker.compose.project': opts.project, 'com.docker.compose.service': 'api' } : {} }
  });
}
const policy = { imagesBefore: daysAgo(7), keepPerRepository: 2, containersBefore: daysAgo(1), buildCacheBefore: daysAgo(7) };
const plan = (images: ImageRow[], containers: ServiceContainer[] = [], extra: Partial<DockerDisk> = {}) =>
  planDockerCleanup({ images, containerSizes: [], buildCache: [], ...extra }, containers, policy);
const removed = (p: ReturnType<typeof plan>): string[] => p.remove.map((i) => `${i.kind} ${i.ref}`);

describe('planDockerCleanup: images', () => {
  it.each([
    { name: 'an old unused tag beyond the newest two goes', images: [image('a', 'api', 'v1', 30), image('b', 'api', 'v2', 20), image('c', 'api', 'v3', 10)], want: ['image api:v1'] },
    { name: 'the newest two tags stay however old', images: [image('a', 'api', 'v1', 300), image('b', 'api', 'v2', 200)], want: [] },
    { name: 'a young image is no candidate', images: [image('a', 'api', 'v1', 3), image('b', 'api', 'v2', 2), image('c', 'api', 'v3', 1)], want: [] },
    { name: 'an old untagged image goes by id', images: [image('d', '<none>', '<none>', 30)], want: ['image sha256:d'] },
    { name: 'a young untagged image stays', images: [image('d', '<none>', '<none>', 1)], want: [] },
    {
      name: 'two tags of one image count as two of the newest tags',
      images: [image('a', 'api', 'v1', 30), image('b', 'api', 'v2', 20), image('c', 'api', 'v3', 10), image('c', 'api', 'latest', 10)],
      want: ['image api:v1', 'image api:v2']
    },
    {
      name: 'an image another repository keeps is only untagged (it frees nothing)',
      images: [image('a', 'api', 'v1', 30), image('a', 'mirror/api', 'v1', 30), image('b', 'api', 'v2', 20), image('c', 'api', 'v3', 10)],
      want: ['untag api:v1']
    }
  ])('$name', ({ images, want }) => {
    expect(removed(plan(images))).toEqual(want);
  });

  it('never removes an image a container uses, running or stopped', () => {
    const images = [image('a', 'api', 'v1', 30), image('b', 'api', 'v2', 20), image('c', 'api', 'v3', 10), image('d', 'api', 'v0', 40)];
    const p = plan(images, [container('a2a_api_1', 'a'), container('old', 'd', { state: 'exited', finishedDaysAgo: 0 })]);
    expect(removed(p)).toEqual([]);
    expect(p.kept).toEqual(expect.arrayContaining([{ label: 'api:v1', reason: 'used by a2a_api_1' }, { label: 'api:v0', reason: 'used by old' }]));
  });

  it('counts the unique size once, on the removal that deletes the image', () => {
    const p = plan([image('a', 'x', 'one', 30, 12), image('a', 'x', 'two', 30, 12), image('b', 'x', 'n1', 2), image('c', 'x', 'n2', 1)]);
    expect(p.remove.map((i) => [i.kind, i.ref, i.bytes])).toEqual([
      ['untag', 'x:one', 0],
      ['image', 'x:two', 12e6]
    ]);
  });
});

describe('planDockerCleanup: containers and build cache', () => {
  it.each([
    { name: 'a container stopped two days ago goes', c: container('job', 'z', { state: 'exited', finishedDaysAgo: 2 }), want: ['container id-job'] },
    { name: 'one stopped an hour ago stays', c: container('job', 'z', { state: 'exited', finishedDaysAgo: 1 / 24 }), want: [] },
    { name: 'a running one stays', c: container('web', 'z'), want: [] },
    { name: 'a paused one stays', c: container('web', 'z', { state: 'paused' }), want: [] },
    { name: 'a stopped compose replica stays (compose owns it)', c: container('a2a_api_2', 'z', { state: 'exited', finishedDaysAgo: 5, project: 'a2a' }), want: [] },
    { name: 'a created, never started one goes by its creation time', c: container('made', 'z', { state: 'created' }), want: ['container id-made'] }
  ])('$name', ({ c, want }) => {
    expect(removed(plan([], [c]))).toEqual(want);
  });

  it('removes containers before images, and prunes only build cache that is old and not in use', () => {
    const p = plan([image('d', '<none>', '<none>', 30)], [container('job', 'z', { state: 'exited', finishedDaysAgo: 3 })], {
      buildCache: [
        { id: 'b1', size: 5e6, lastUsedAt: daysAgo(30), inUse: false },
        { id: 'b2', size: 7e6, lastUsedAt: daysAgo(30), inUse: true },
        { id: 'b3', size: 9e6, lastUsedAt: daysAgo(1), inUse: false }
      ]
    });
    expect(p.remove.map((i) => `${i.kind} ${i.bytes}`)).toEqual(['container 0', 'image 10000000', 'build-cache 5000000']);
  });
});

describe('parseSystemDf', () => {
  it('reads images, container sizes and build cache from docker 20.10', () => {
    const disk = parseSystemDf(
      JSON.stringify({
        Images: [{ Containers: '0', CreatedAt: '2020-01-01 00:00:00 +0000 UTC', ID: 'sha256:e4', Repository: 'a2a-host-test/app', SharedSize: '0B', Size: '12MB', Tag: 't1', UniqueSize: '12MB' }],
        Containers: [{ ID: 'c1', Size: '11B', State: 'exited' }],
        BuildCache: [{ ID: 'b', Size: '1.5GB', LastUsedAt: '2026-11-01T10:00:00Z', InUse: false }]
      })
    );
    expect(disk.images[0]).toMatchObject({ id: 'sha256:e4', repository: 'a2a-host-test/app', tag: 't1', uniqueSize: 12e6 });
    expect(disk.images[0].createdAt.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(disk.containerSizes).toEqual([{ id: 'c1', size: 11 }]);
    expect(disk.buildCache[0]).toMatchObject({ size: 1.5e9, inUse: false });
  });

  it.each([
    ['2026-12-01 14:24:30 +0000 UTC', '2026-12-01T14:24:30.000Z'],
    ['2026-12-01 16:24:30 +0200 CEST', '2026-12-01T14:24:30.000Z'],
    ['2026-12-01T14:24:30Z', '2026-12-01T14:24:30.000Z'],
    ['garbage', '1970-01-01T00:00:00.000Z']
  ])('reads the time %s', (text, iso) => {
    expect(parseDockerTime(text).toISOString()).toBe(iso);
  });
});

describe('sizes', () => {
  it.each([
    ['500M', 500 * 1024 ** 2],
    ['1G', 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['100MB', 100 * 1024 ** 2],
    ['64k', 65536],
    ['0', 0]
  ])('parseSize(%s)', (raw, bytes) => {
    expect(parseSize(raw, "Input 'journal-max-size'")).toBe(bytes);
  });

  it.each([
    ['500', "Input 'journal-max-size' must be a size with its unit, such as '500M', '2G' or '100MiB', got '500' (write '500M' for megabytes)."],
    ['lots', "Input 'journal-max-size' must be a size with its unit, such as '500M', '2G' or '100MiB', got 'lots'."],
    ['-1G', "Input 'journal-max-size' must be a size with its unit"]
  ])('parseSize refuses %s', (raw, error) => {
    expect(() => parseSize(raw, "Input 'journal-max-size'")).toThrow(error);
  });

  it.each([
    ['1.98MB', 1_980_000],
    ['512kB', 512_000],
    ['0B', 0],
    ['11B', 11],
    ['2.5GB', 2.5e9],
    ['0B (virtual 1.98MB)', 0],
    ['N/A', undefined]
  ])('parseDockerSize(%s)', (text, bytes) => {
    expect(parseDockerSize(text)).toBe(bytes);
  });

  it.each([
    [512, '512 B'],
    [12e6, '11.4 MiB'],
    [3e6, '2.86 MiB'],
    [1.5 * 1024 ** 3, '1.50 GiB'],
    [-2048, '-2.00 KiB']
  ])('formatSize(%d)', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('df and the journal', () => {
  it('reads df -P -B1', () => {
    const out = 'Filesystem     1-blocks        Used   Available Capacity Mounted on\n/dev/vda 270582939648 27917287424 82577453056      26% /\n';
    expect(parseDf(out, '/var/lib/docker')).toEqual({ path: '/var/lib/docker', sizeBytes: 270582939648, usedBytes: 27917287424, availableBytes: 82577453056, percent: 26 });
  });

  it('refuses df output it cannot read', () => {
    expect(() => parseDf('df: /nope: No such file or directory\n', '/nope')).toThrow("could not read df's output for /nope");
  });

  it.each([
    { out: 'none\n', want: { systemd: false } },
    { out: 'systemd\nArchived and active journals take up 1.2G in the file system.\n', want: { systemd: true, bytes: Math.round(1.2 * 1024 ** 3) } },
    { out: 'systemd\nArchived and active journals take up 56.0M in the file system.\n', want: { systemd: true, bytes: 56 * 1024 ** 2 } },
    { out: 'systemd\nNo journal files were found.\n', want: { systemd: true, bytes: undefined } }
  ])('reads the journal use from $out', ({ out, want }) => {
    expect(parseJournalUse(out)).toEqual(want);
  });
});

describe('planBackupCleanup (through the backup core)', () => {
  const meta = (file: string, label: string, createdAt: string, status: 'checked' | 'failed'): string =>
    JSON.stringify({
      format: 'a2a-ops-backup/1',
      kind: 'database',
      file,
      label,
      createdAt,
      sizeBytes: 1000,
      sha256: 'b'.repeat(64),
      durationMs: 1,
      content: 'pg_dump-custom',
      compression: 'zstd',
      encryption: 'none',
      restoreCommand: 'x',
      source: 'y',
      verification: { status, at: createdAt, detail: 'd' }
    });
  const listing = (entries: Array<[string, string]>): string => entries.map(([path, text]) => `\n--a2a-host-meta ${path}\n${text}`).join('');

  it('keeps the newest verified backup of each label, removes the rest beyond retention, and never touches unreadable ones', () => {
    const text = listing([
      ['/b/db_1.dump.zst.meta.json', meta('db_1.dump.zst', 'db', '2026-11-27T00:00:00Z', 'checked')],
      ['/b/db_2.dump.zst.meta.json', meta('db_2.dump.zst', 'db', '2026-11-28T00:00:00Z', 'checked')],
      ['/b/db_3.dump.zst.meta.json', meta('db_3.dump.zst', 'db', '2026-11-29T00:00:00Z', 'failed')],
      ['/b/other_1.dump.zst.meta.json', meta('other_1.dump.zst', 'other', '2026-11-01T00:00:00Z', 'checked')],
      ['/b/broken.dump.zst.meta.json', '{"format":"nope"}']
    ]);
    const p = planBackupCleanup(text, '/b/', { keepLast: 1, daily: 0, weekly: 0, monthly: 0 }, NOW);
    expect(p.remove.map((r) => [r.path, r.metadataPath])).toEqual([['/b/db_1.dump.zst', '/b/db_1.dump.zst.meta.json']]);
    expect(p.keep).toBe(3);
    expect(p.unreadable.map((u) => u.path)).toEqual(['/b/broken.dump.zst.meta.json']);
  });

  it('removes nothing when no backup of a label is verified', () => {
    const text = listing([['/b/db_1.meta.json', meta('db_1', 'db', '2026-11-01T00:00:00Z', 'failed')]]);
    expect(planBackupCleanup(text, '/b', { keepLast: 1, daily: 0, weekly: 0, monthly: 0 }, NOW).remove).toEqual([]);
  });

  it('lists metadata files with a quoted directory', () => {
    expect(listMetadataCommand("/srv/my backups/")).toContain("for f in '/srv/my backups'/*.meta.json;");
  });
});
