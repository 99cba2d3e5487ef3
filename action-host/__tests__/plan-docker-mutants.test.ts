// The Docker clean-up plan at each edge its decisions have (issue 14's mutation testing): docker's time and
// size fields as `docker system df -v` prints them or leaves them out, an image exactly at the age bound, tag
// ties within a repository, untagged and half-tagged images, how many users a kept image names, each
// container state, the container and build-cache bounds, and the order items are removed in.
import { describe, expect, it } from '@jest/globals';
import type { ServiceContainer } from '../../shared/src/index.js';
import { parseDockerTime, parseSystemDf, planDockerCleanup, type BuildCacheRow, type DockerPolicy, type ImageRow } from '../src/cleanup/plan-docker.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number): Date => new Date(NOW - days * DAY);
const POLICY: DockerPolicy = { imagesBefore: ago(7), keepPerRepository: 2, containersBefore: ago(1), buildCacheBefore: ago(7) };

const img = (id: string, repository: string, tag: string, createdAt: Date, uniqueSize = 1000): ImageRow => ({ id, repository, tag, createdAt, uniqueSize });
function ctr(name: string, o: Partial<ServiceContainer> = {}): ServiceContainer {
  return {
    id: `id-${name}`,
    name,
    project: '',
    service: '',
    containerNumber: null,
    oneOff: false,
    image: 'repo/app:v1',
    imageId: 'sha256:z',
    state: 'exited',
    running: false,
    health: null,
    healthFailingStreak: 0,
    exitCode: 0,
    restartCount: 0,
    createdAt: ago(60).toISOString(),
    startedAt: null,
    finishedAt: ago(5).toISOString(),
    composeVersion: null,
    networkMode: '',
    networks: [],
    ports: [],
    labels: {},
    ...o
  };
}
const plan = (images: ImageRow[], containers: ServiceContainer[] = [], more: { containerSizes?: Array<{ id: string; size: number }>; buildCache?: BuildCacheRow[] } = {}, policy = POLICY) =>
  planDockerCleanup({ images, containerSizes: more.containerSizes ?? [], buildCache: more.buildCache ?? [] }, containers, policy);

describe('parseDockerTime', () => {
  it.each([
    { text: undefined, iso: '1970-01-01T00:00:00.000Z' },
    { text: '', iso: '1970-01-01T00:00:00.000Z' },
    { text: '2026-12-01 14:24:30 -0500 EST', iso: '2026-12-01T19:24:30.000Z' },
    { text: '2026-12-01 14:24:30.123456789 +0000 UTC', iso: '2026-12-01T14:24:30.123Z' },
    { text: '2026-12-01T14:24:30+0130', iso: '2026-12-01T12:54:30.000Z' },
    { text: '2026-12-01T14:24:30.5Z', iso: '2026-12-01T14:24:30.500Z' },
    { text: 'x2026-12-01 14:24:30 +0500 EST', iso: '1970-01-01T00:00:00.000Z' },
    { text: '2026-12-01 14:24:30 +00 UTC', iso: '2026-12-01T14:24:30.000Z' },
    // Forms only the pattern reads (Date.parse alone gives up on them):
    { text: '2026-12-01 14:24:30.25 +0100 CET', iso: '2026-12-01T13:24:30.250Z' },
    { text: '2026-12-01 14:24:30+0100 CET', iso: '2026-12-01T13:24:30.000Z' }
  ])('reads $text as $iso', ({ text, iso }) => {
    expect(parseDockerTime(text).toISOString()).toBe(iso);
  });
});

describe('parseSystemDf', () => {
  it.each([
    { name: 'an empty output', text: '' },
    { name: 'an output of only white space', text: '  \n' },
    { name: 'null lists', text: JSON.stringify({ Images: null, Containers: null, BuildCache: null }) },
    { name: 'no lists at all', text: '{}' }
  ])('reads $name as nothing to clean', ({ text }) => {
    expect(parseSystemDf(text)).toEqual({ images: [], containerSizes: [], buildCache: [] });
  });

  it('fills in what docker left out: no id, repository, tag, time or size', () => {
    const disk = parseSystemDf(JSON.stringify({ Images: [{}], Containers: [{}], BuildCache: [{}] }));
    expect(disk).toEqual({
      images: [{ id: '', repository: '<none>', tag: '<none>', createdAt: new Date(0), uniqueSize: 0 }],
      containerSizes: [{ id: '', size: 0 }],
      buildCache: [{ id: '', size: 0, lastUsedAt: undefined, inUse: false }]
    });
  });

  it.each([
    { name: 'the unique size when docker prints it', fields: { UniqueSize: '3MB', Size: '9MB' }, bytes: 3e6 },
    { name: 'the size when the unique size is unreadable', fields: { UniqueSize: 'N/A', Size: '9MB' }, bytes: 9e6 },
    { name: 'the size when there is no unique size', fields: { Size: '9MB' }, bytes: 9e6 },
    { name: '0 when neither is readable', fields: { UniqueSize: 'N/A', Size: 'N/A' }, bytes: 0 }
  ])('counts an image as $name', ({ fields, bytes }) => {
    expect(parseSystemDf(JSON.stringify({ Images: [{ ID: 'sha256:a', ...fields }] })).images[0].uniqueSize).toBe(bytes);
  });

  it.each([
    { InUse: true, inUse: true },
    { InUse: 'true', inUse: true },
    { InUse: false, inUse: false },
    { InUse: 'false', inUse: false }
  ])('reads a build-cache entry with InUse $InUse as in use: $inUse', ({ InUse, inUse }) => {
    expect(parseSystemDf(JSON.stringify({ BuildCache: [{ ID: 'b', Size: '2kB', LastUsedAt: '2026-11-01 10:00:00 +0000 UTC', InUse }] })).buildCache).toEqual([
      { id: 'b', size: 2000, lastUsedAt: new Date('2026-11-01T10:00:00Z'), inUse }
    ]);
  });
});

describe('planDockerCleanup: images', () => {
  it.each([
    { name: 'an image created exactly at the bound is not a candidate, even beyond the newest tags', images: [img('a', 'api', 'v1', ago(7)), img('b', 'api', 'v2', ago(2)), img('c', 'api', 'v3', ago(1))], remove: [] },
    { name: 'one created a moment before the bound is', images: [img('a', 'api', 'v1', new Date(ago(7).getTime() - 1)), img('b', 'api', 'v2', ago(3)), img('c', 'api', 'v3', ago(2))], remove: ['image api:v1 1000'] },
    { name: 'tags created at the same time keep the last names (z before a)', images: [img('b', 'api', 'b', ago(30)), img('a', 'api', 'a', ago(30)), img('c', 'api', 'c', ago(30))], remove: ['image api:a 1000'] },
    { name: 'a dangling tag of a repository takes no place among its newest', images: [img('a', 'api', 'v1', ago(30)), img('b', 'api', 'v2', ago(20)), img('x', 'api', '<none>', ago(10), 5)], remove: ['image x 5'] },
    { name: 'a repository without a name takes no place either', images: [img('e', '<none>', 'v9', ago(30), 7)], remove: ['image e 7'] },
    { name: 'with one tag kept per repository only the newest stays', images: [img('a', 'api', 'v1', ago(30)), img('b', 'api', 'v2', ago(20))], remove: ['image api:v1 1000'], keep: 1 }
  ])('$name', ({ images, remove, keep }) => {
    const p = plan(images, [], {}, { ...POLICY, keepPerRepository: keep ?? POLICY.keepPerRepository });
    expect(p.remove.map((i) => `${i.kind} ${i.ref} ${i.bytes}`)).toEqual(remove);
  });

  it.each([
    { users: ['a'], reason: 'used by a' },
    { users: ['a', 'b', 'c'], reason: 'used by a, b, c' },
    { users: ['a', 'b', 'c', 'd'], reason: 'used by a, b, c and 1 more' },
    { users: ['a', 'b', 'c', 'd', 'e'], reason: 'used by a, b, c and 2 more' }
  ])('keeps an image $users.length containers use, each tag with the reason "$reason"', ({ users, reason }) => {
    const p = plan([img('sha256:u', 'api', 'v1', ago(30)), img('sha256:u', 'mirror', 'v1', ago(30))], users.map((n) => ctr(n, { imageId: 'sha256:u', state: 'running', running: true })));
    expect(p).toEqual({ remove: [], kept: [{ label: 'api:v1', reason }, { label: 'mirror:v1', reason }] });
  });

  it('names an untagged image by the first 12 characters of its id, without the sha256: prefix', () => {
    const p = plan([img('sha256:0123456789abcdef0123', '<none>', '<none>', ago(30), 42)]);
    expect(p.remove).toEqual([{ kind: 'image', ref: 'sha256:0123456789abcdef0123', label: '0123456789ab (untagged)', bytes: 42 }]);
  });

  it.each([
    { name: 'a tag of a repository without a name', row: img('sha256:abcdef0123456789', '<none>', 'v9', ago(30), 7), label: 'abcdef012345 (untagged)' },
    { name: 'an id without the sha256: prefix, shown as it is', row: img('local-sha256:abcdef', '<none>', '<none>', ago(30), 7), label: 'local-sha256 (untagged)' }
  ])('names $name by its id', ({ row, label }) => {
    expect(plan([row]).remove).toEqual([{ kind: 'image', ref: row.id, label, bytes: 7 }]);
  });

  it('names a dangling tag untagged too, and removes it by id', () => {
    const p = plan([img('sha256:fedcba9876543210', 'api', '<none>', ago(30), 9)]);
    expect(p.remove).toEqual([{ kind: 'image', ref: 'sha256:fedcba9876543210', label: 'fedcba987654 (untagged)', bytes: 9 }]);
  });

  it('only untags a tag whose image another repository keeps, and says which tag it stays as', () => {
    const p = plan([img('sha256:s', 'old', 'v1', ago(30)), img('sha256:s', 'old', 'v0', ago(30)), img('sha256:s', 'kept', 'v1', ago(30))], [], {}, { ...POLICY, keepPerRepository: 1 });
    expect(p).toEqual({
      remove: [{ kind: 'untag', ref: 'old:v0', label: 'old:v0 (tag only: the image stays as old:v1)', bytes: 0 }],
      kept: [
        { label: 'old:v1', reason: 'among the newest 1 of old' },
        { label: 'kept:v1', reason: 'among the newest 1 of kept' }
      ]
    });
  });

  it('untags every tag of an image but the last, which removes it and frees its size', () => {
    const p = plan([img('sha256:t', 'a', '1', ago(30), 8), img('sha256:t', 'b', '1', ago(30), 8), img('sha256:t', 'c', '1', ago(30), 8), img('n1', 'a', 'n', ago(1)), img('n2', 'a', 'm', ago(1)), img('n3', 'b', 'n', ago(1)), img('n4', 'b', 'm', ago(1)), img('n5', 'c', 'n', ago(1)), img('n6', 'c', 'm', ago(1))]);
    expect(p.remove).toEqual([
      { kind: 'untag', ref: 'a:1', label: 'a:1', bytes: 0 },
      { kind: 'untag', ref: 'b:1', label: 'b:1', bytes: 0 },
      { kind: 'image', ref: 'c:1', label: 'c:1', bytes: 8 }
    ]);
    expect(p.kept).toEqual([]);
  });
});

describe('planDockerCleanup: containers', () => {
  it.each([
    { name: 'an exited one', c: ctr('job'), goes: true },
    { name: 'a dead one', c: ctr('job', { state: 'dead' }), goes: true },
    { name: 'a running one', c: ctr('job', { state: 'running', running: true }), goes: false },
    { name: 'a paused one', c: ctr('job', { state: 'paused' }), goes: false },
    { name: 'a restarting one', c: ctr('job', { state: 'restarting' }), goes: false },
    { name: 'one being removed', c: ctr('job', { state: 'removing' }), goes: false },
    { name: 'one that finished exactly at the bound', c: ctr('job', { finishedAt: ago(1).toISOString() }), goes: false },
    { name: 'one that finished a moment before the bound', c: ctr('job', { finishedAt: new Date(ago(1).getTime() - 1).toISOString() }), goes: true },
    { name: 'a never-started one created before the bound', c: ctr('job', { state: 'created', finishedAt: null, createdAt: ago(2).toISOString() }), goes: true },
    { name: 'a never-started one created since the bound', c: ctr('job', { state: 'created', finishedAt: null, createdAt: ago(0.5).toISOString() }), goes: false },
    { name: 'one that finished since the bound, created long ago', c: ctr('job', { finishedAt: ago(0.5).toISOString(), createdAt: ago(60).toISOString() }), goes: false },
    { name: 'a never-started one without a creation time', c: ctr('job', { state: 'created', finishedAt: null, createdAt: '' }), goes: true }
  ])('$name goes: $goes', ({ c, goes }) => {
    expect(plan([], [c]).remove.map((i) => i.ref)).toEqual(goes ? ['id-job'] : []);
  });

  it('keeps a stopped container a compose project owns, and says which', () => {
    expect(plan([], [ctr('a2a_api_2', { labels: { 'com.docker.compose.project': 'a2a' } })])).toEqual({ remove: [], kept: [{ label: 'container a2a_api_2', reason: 'stopped, but compose project a2a owns it' }] });
  });

  it('removes a stopped container with its state, its image and its writable layer size (0 when df has none)', () => {
    const p = plan([], [ctr('one', { state: 'dead', image: 'x/y:1' }), ctr('two')], { containerSizes: [{ id: 'id-one', size: 77 }] });
    expect(p).toEqual({
      remove: [
        { kind: 'container', ref: 'id-one', label: 'container one (dead, x/y:1)', bytes: 77 },
        { kind: 'container', ref: 'id-two', label: 'container two (exited, repo/app:v1)', bytes: 0 }
      ],
      kept: []
    });
  });
});

describe('planDockerCleanup: build cache and order', () => {
  it.each([
    { name: 'one old entry', cache: [{ id: 'a', size: 5, lastUsedAt: ago(30), inUse: false }], item: { label: 'build cache (1 entry)', bytes: 5 } },
    { name: 'two old entries, sizes summed', cache: [{ id: 'a', size: 5, lastUsedAt: ago(30), inUse: false }, { id: 'b', size: 6, inUse: false }], item: { label: 'build cache (2 entries)', bytes: 11 } },
    { name: 'an entry used exactly at the bound', cache: [{ id: 'a', size: 5, lastUsedAt: ago(7), inUse: false }], item: undefined },
    { name: 'an entry never used', cache: [{ id: 'a', size: 5, inUse: false }], item: { label: 'build cache (1 entry)', bytes: 5 } },
    { name: 'an old entry in use', cache: [{ id: 'a', size: 5, lastUsedAt: ago(30), inUse: true }], item: undefined },
    { name: 'no entries', cache: [], item: undefined }
  ])('prunes $name', ({ cache, item }) => {
    expect(plan([], [], { buildCache: cache }).remove).toEqual(item ? [{ kind: 'build-cache', ref: 'build-cache', ...item }] : []);
  });

  it('removes containers, then tags, then images, then build cache', () => {
    const p = plan(
      [img('sha256:d', '<none>', '<none>', ago(30)), img('sha256:k', 'k', 'old', ago(30)), img('sha256:k', 'k', 'new', ago(30)), img('n', 'k', 'newest', ago(1))],
      [ctr('job')],
      { buildCache: [{ id: 'b', size: 1, inUse: false }] },
      { ...POLICY, keepPerRepository: 2 }
    );
    expect(p.remove.map((i) => `${i.kind} ${i.ref}`)).toEqual(['container id-job', 'untag k:new', 'image sha256:d', 'build-cache build-cache']);
  });
});
