// The pure decisions of a rolling replacement (rollout/decide.ts), every boundary pinned: when a batch
// of new containers is healthy, still waiting, or failed; which containers are new; which serve, in
// what order; how many replicas a rollout ends with. Real `docker inspect` captures where they exist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseDockerInspect, type ServiceContainer } from '../../shared/src/index.js';
import { batchHealth, newContainers, servingContainers, targetReplicas } from '../src/rollout/decide.js';

const capture = (name: string): ServiceContainer[] => parseDockerInspect(readFileSync(new URL(`../../shared/__tests__/fixtures/${name}`, import.meta.url), 'utf8'));
const LAB = capture('docker-inspect-lab-app1.json');
const BROKEN = capture('docker-inspect-broken.json');

let serial = 0;
/** A running, healthy api replica; each field overridable. */
function container(overrides: Partial<ServiceContainer> = {}): ServiceContainer {
  serial++;
  return {
    id: serial.toString(16).padStart(64, '0'),
    name: `a2a_api_${serial}`,
    project: 'a2a',
    service: 'api',
    containerNumber: serial,
    oneOff: false,
    image: 'registry/a2a-world/api:v2',
    imageId: 'sha256:2',
    state: 'running',
    running: true,
    health: 'healthy',
    healthFailingStreak: 0,
    exitCode: 0,
    restartCount: 0,
    createdAt: '2026-12-01T12:00:00.000000001Z',
    startedAt: '2026-12-01T12:00:01Z',
    finishedAt: null,
    composeVersion: '2.29.1',
    networkMode: 'a2a_default',
    networks: [{ name: 'a2a_default', ipAddress: '172.18.0.9', aliases: [] }],
    ports: [{ containerPort: 8000, protocol: 'tcp' }],
    labels: {},
    ...overrides
  };
}

describe('batchHealth', () => {
  const healthy = container({ name: 'new-1' });
  const starting = container({ name: 'new-2', health: 'starting' });
  const unhealthy = container({ name: 'new-3', health: 'unhealthy', healthFailingStreak: 3 });
  const exited = container({ name: 'new-4', state: 'exited', running: false, health: null, exitCode: 137 });
  const dead = container({ name: 'new-5', state: 'dead', running: false, health: null, exitCode: 1 });
  const restarting = container({ name: 'new-6', state: 'restarting', running: true, health: null, restartCount: 2 });
  const restartedOnce = container({ name: 'new-7', restartCount: 1 });
  const noCheck = container({ name: 'new-8', health: null });
  const created = container({ name: 'new-9', state: 'created', running: false, health: null });

  it.each([
    { name: 'every new container is running and healthy', batch: [healthy, container()], probed: [], want: { state: 'healthy' } },
    { name: 'one is still starting', batch: [healthy, starting], probed: [], want: { state: 'waiting', why: 'new-2 is starting' } },
    { name: 'one is created but not yet running', batch: [healthy, created], probed: [], want: { state: 'waiting', why: 'new-9 is created' } },
    { name: 'one has no health check and answered the HTTP probe', batch: [healthy, noCheck], probed: [noCheck.id], want: { state: 'healthy' } },
    {
      name: 'one has no health check and has not answered the probe yet',
      batch: [healthy, noCheck],
      probed: [],
      want: { state: 'waiting', why: 'new-8 is running, not yet answering its probe' }
    },
    { name: 'a probe answer does not count for a container with a health check of its own', batch: [starting], probed: [starting.id], want: { state: 'waiting', why: 'new-2 is starting' } },
    { name: 'the first of several waiting containers is the one named', batch: [starting, noCheck], probed: [], want: { state: 'waiting', why: 'new-2 is starting' } }
  ])('is $want.state when $name', ({ batch, probed, want }) => {
    expect(batchHealth(batch, new Set(probed))).toEqual(want);
  });

  it.each([
    { name: 'one is unhealthy', batch: [healthy, unhealthy], failed: unhealthy, why: 'failed its health check 3 time(s) in a row' },
    { name: 'one exited', batch: [healthy, exited], failed: exited, why: 'exited with code 137' },
    { name: 'one is dead', batch: [dead], failed: dead, why: 'exited with code 1' },
    { name: 'one is restarting', batch: [restarting, healthy], failed: restarting, why: 'is restarting (restarted 2 time(s))' },
    { name: 'one is running but has restarted once already', batch: [healthy, restartedOnce], failed: restartedOnce, why: 'is restarting (restarted 1 time(s))' },
    { name: 'one is unhealthy while another is still starting', batch: [starting, unhealthy], failed: unhealthy, why: 'failed its health check 3 time(s) in a row' }
  ])('fails, naming the container, as soon as $name', ({ batch, failed, why }) => {
    expect(batchHealth(batch)).toEqual({ state: 'failed', container: failed, why });
  });

  it('fails on the first failing container in the order given when several fail', () => {
    expect(batchHealth([exited, unhealthy])).toMatchObject({ state: 'failed', container: { name: 'new-4' } });
  });

  it('does not call an empty batch healthy: with no new container there is nothing to retire the old ones for', () => {
    expect(batchHealth([])).toEqual({ state: 'waiting', why: 'no new container yet' });
  });

  it("fails the lab's captured broken release on its unhealthy api container", () => {
    const api = BROKEN.filter((c) => c.service === 'api' && !c.oneOff);
    expect(batchHealth(api)).toEqual({ state: 'failed', container: api[0], why: 'failed its health check 11 time(s) in a row' });
  });

  it("fails the lab's captured crash-looping worker as restarting", () => {
    const worker = BROKEN.filter((c) => c.service === 'worker');
    expect(batchHealth(worker)).toMatchObject({ state: 'failed', container: { name: 'a2a-fixture_worker_1' }, why: 'is restarting (restarted 7 time(s))' });
  });

  it("calls the lab's captured healthy api replicas healthy", () => {
    expect(batchHealth(LAB.filter((c) => c.service === 'api'))).toEqual({ state: 'healthy' });
  });
});

describe('newContainers', () => {
  const a = container();
  const b = container();
  const c = container();

  it.each([
    { name: 'the containers a scale-up added', before: [a], after: [a, b, c], want: [b, c] },
    { name: 'nothing when the scale-up started none', before: [a, b], after: [a, b], want: [] },
    { name: 'only the added ones when an old one went away meanwhile', before: [a, b], after: [b, c], want: [c] },
    { name: 'everything when nothing ran before', before: [], after: [a], want: [a] }
  ])('finds $name', ({ before, after, want }) => {
    expect(newContainers(before, after)).toEqual(want);
  });

  it('tells containers apart by id, not by name (compose reuses names across recreations)', () => {
    const recreated = { ...a, id: 'f'.repeat(64) };
    expect(newContainers([a], [recreated])).toEqual([recreated]);
  });
});

describe('servingContainers', () => {
  it('orders running replicas oldest first, whatever order they are listed in', () => {
    const newest = container({ name: 'c', createdAt: '2026-12-01T12:00:03Z' });
    const oldest = container({ name: 'a', createdAt: '2026-11-30T23:59:59Z' });
    const middle = container({ name: 'b', createdAt: '2026-12-01T12:00:01Z' });
    expect(servingContainers([newest, oldest, middle]).map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('orders containers created within the same second by their fraction, even with trailing zeros trimmed as Docker writes them', () => {
    // The lab capture: api_2 (…48.83575388Z, 8 digits) was created before api_1 (…48.844763165Z).
    expect(servingContainers(LAB.filter((c) => c.service === 'api')).map((c) => c.name)).toEqual(['a2a-app1_api_2', 'a2a-app1_api_1']);
  });

  it.each([
    { name: 'a one-off `compose run` container', extra: container({ name: 'run', oneOff: true }) },
    { name: 'an exited container', extra: container({ name: 'exited', state: 'exited', running: false }) },
    { name: 'a created, never started container', extra: container({ name: 'created', state: 'created', running: false }) }
  ])('leaves out $name', ({ extra }) => {
    const serving = container({ name: 'serving' });
    expect(servingContainers([extra, serving]).map((c) => c.name)).toEqual(['serving']);
  });

  it("keeps the running, non-one-off containers of the lab's broken capture, a crash-looping one included (Docker reports it running)", () => {
    // worker_1 is restarting (State.Running stays true), api_1 runs unhealthy, api_run_1 is a one-off that exited.
    expect(servingContainers(BROKEN).map((c) => c.name)).toEqual(['a2a-fixture_worker_1', 'a2a-fixture_api_1']);
  });

  it('does not reorder the list it was given', () => {
    const list = [container({ createdAt: '2026-12-01T12:00:02Z' }), container({ createdAt: '2026-12-01T12:00:01Z' })];
    const copy = [...list];
    servingContainers(list);
    expect(list).toEqual(copy);
  });
});

describe('targetReplicas', () => {
  it.each([
    { name: 'the asked-for count over what runs now (scaling up in the rollout)', asked: 3, running: 1, want: 3 },
    { name: 'the asked-for count over what runs now (scaling down in the rollout)', asked: 1, running: 3, want: 1 },
    { name: 'as many as run now when nothing is asked', asked: undefined, running: 2, want: 2 },
    { name: 'one when nothing is asked and nothing runs (a rollout never ends with none)', asked: undefined, running: 0, want: 1 }
  ])('is $want: $name', ({ asked, running, want }) => {
    expect(targetReplicas(asked, running)).toBe(want);
  });
});
