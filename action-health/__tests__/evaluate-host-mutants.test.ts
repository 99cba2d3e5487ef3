// evaluateHost's rows word for word (issue 14, mutation testing): every field of the CPU, memory, disk,
// load, container and replica rows, the sizes in GiB/MiB, the window and uptime wording, the sample
// times, each docker state, and judgeContainer's sentence for every container state.
import { afterEach, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, defaultConfig, registerSecret, type Sample } from '../../shared/src/index.js';
import { describeUptime, evaluateHost, judgeContainer, replicaChecks, type HostHistory, type HostThresholds } from '../src/hosts/evaluate-host.js';
import type { ContainerInfo, DockerInfo } from '../src/hosts/collect-containers.js';
import type { HostMetrics } from '../src/hosts/parse-metrics.js';

const thresholds: HostThresholds = defaultConfig().thresholds;
const GIB = 1024 * 1024;
const T0 = new Date('2026-11-28T06:00:00Z');
const T1 = new Date('2026-11-28T06:00:01Z');
const noHistory = (): HostHistory => ({ cpu: [] as Sample[], memory: [] as Sample[], restarts: {} });
const skipped: DockerInfo = { state: 'skipped', containers: [], logs: {} };

function host(over: Partial<HostMetrics> = {}): HostMetrics {
  return {
    samples: [{ index: 0, memoryPercent: 50 }, { index: 1, cpuPercent: 12.5, memoryPercent: 51.5 }],
    memoryTotalKb: 16 * GIB,
    memoryAvailableKb: 3.5 * GIB,
    load: [4.2, 4, 1],
    cpus: 2,
    uptimeSeconds: 90_061,
    disks: [],
    docker: skipped,
    ...over
  };
}
const container = (over: Partial<ContainerInfo>): ContainerInfo => ({
  id: 'id-api',
  name: 'proj_api_1',
  service: 'api',
  image: 'a2a/api:v1',
  state: 'running',
  health: null,
  restartCount: 0,
  exitCode: 0,
  startedAt: '2026-11-27T08:00:00Z',
  ...over
});
const evaluate = (metrics: HostMetrics, over: Partial<Parameters<typeof evaluateHost>[2]> = {}) =>
  evaluateHost('app-1', metrics, { thresholds, sampleTimes: [T0, T1], history: noHistory(), mounts: [], project: 'proj', ...over });
const row = (metrics: HostMetrics, id: string, over: Partial<Parameters<typeof evaluateHost>[2]> = {}) => evaluate(metrics, over).checks.find((c) => c.id === id);

afterEach(() => clearSecretsForTest());

describe('evaluateHost: the host rows, every field', () => {
  it('writes the CPU, memory and load rows of a quiet host, and nothing for skipped docker', () => {
    const ev = evaluate(host());
    expect(ev.checks).toEqual([
      { id: 'host:app-1:cpu', kind: 'host', target: 'app-1 CPU', status: 'ok', value: 12.5, unit: '%', threshold: 'alert > 80 % for 5 min', message: 'CPU 12.5%' },
      { id: 'host:app-1:memory', kind: 'host', target: 'app-1 memory', status: 'ok', value: 51.5, unit: '%', threshold: '< 80 %, alert > 85 % for 3 min', message: 'memory 51.5% of 16 GiB (3.5 GiB available)' },
      { id: 'host:app-1:load', kind: 'host', target: 'app-1 load', status: 'ok', value: 4.2, threshold: '5-min load ≤ 4 (2 × 2 CPUs)', message: 'load 4.2 / 4 / 1 on 2 CPUs; up 1d 1h' }
    ]);
    expect([ev.cpuSamples, ev.memorySamples, ev.restarts]).toEqual([
      [{ t: T1.toISOString(), v: 12.5 }],
      [{ t: T0.toISOString(), v: 50 }, { t: T1.toISOString(), v: 51.5 }],
      {}
    ]);
  });

  it('shows n/a without a unit when there is no CPU sample at all', () => {
    expect(row(host({ samples: [{ index: 0, memoryPercent: 50 }] }), 'host:app-1:cpu')).toEqual({
      id: 'host:app-1:cpu', kind: 'host', target: 'app-1 CPU', status: 'ok', value: 'n/a', unit: undefined, threshold: 'alert > 80 % for 5 min', message: 'CPU no samples'
    });
  });

  it('dates a sample beyond the known read times with the last one', () => {
    const ev = evaluate(host({ samples: [{ index: 0, memoryPercent: 50 }, { index: 5, cpuPercent: 30, memoryPercent: 52 }] }));
    expect(ev.cpuSamples).toEqual([{ t: T1.toISOString(), v: 30 }]);
    expect(ev.memorySamples.map((s) => s.t)).toEqual([T0.toISOString(), T1.toISOString()]);
  });

  it('dates samples with now when no read time is known', () => {
    const before = Date.now();
    const ev = evaluate(host(), { sampleTimes: [] });
    const t = Date.parse(ev.memorySamples[0].t);
    expect(t).toBeGreaterThanOrEqual(before - 1000);
    expect(t).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('takes the kept samples into the sustained rules', () => {
    const at = (sec: number, v: number): Sample => ({ t: new Date(T1.getTime() + sec * 1000).toISOString(), v });
    const history = { cpu: [at(-300, 95)], memory: [at(-180, 90)], restarts: {} };
    const metrics = host({ samples: [{ index: 0, memoryPercent: 90 }, { index: 1, cpuPercent: 96, memoryPercent: 91 }] });
    const ev = evaluate(metrics, { history });
    expect(ev.checks.slice(0, 2).map((c) => [c.status, c.message])).toEqual([
      ['fail', 'CPU above 80% for 5 min (2 samples, now 96%): alert is 80% for 5 min'],
      ['fail', 'memory above 85% for 3 min (3 samples, now 91%): alert is 85% for 3 min of 16 GiB (3.5 GiB available)']
    ]);
  });

  it.each([
    { windowMs: 45_000, text: 'alert > 80 % for 45 s' },
    { windowMs: 60_000, text: 'alert > 80 % for 1 min' },
    { windowMs: 90_000, text: 'alert > 80 % for 1.5 min' },
    { windowMs: 59_999, text: 'alert > 80 % for 60 s' }
  ])('words a CPU window of $windowMs ms as "$text"', ({ windowMs, text }) => {
    expect(row(host(), 'host:app-1:cpu', { thresholds: { ...thresholds, cpuWindowMs: windowMs } })?.threshold).toBe(text);
  });

  it.each([
    { totalKb: 10 * GIB, availableKb: 1 * GIB, text: 'of 10 GiB (1.0 GiB available)' },
    { totalKb: 9.96 * GIB, availableKb: 0.5 * GIB, text: 'of 10.0 GiB (512 MiB available)' },
    { totalKb: 12.6 * GIB, availableKb: 1023.6 * 1024, text: 'of 13 GiB (1024 MiB available)' }
  ])('words memory sizes: $text', ({ totalKb, availableKb, text }) => {
    expect(row(host({ memoryTotalKb: totalKb, memoryAvailableKb: availableKb }), 'host:app-1:memory')?.message).toBe(`memory 51.5% ${text}`);
  });

  it.each([
    { load: [4.2, 4.01, 1] as [number, number, number], cpus: 2, status: 'warn', message: 'load 4.2 / 4.01 / 1 on 2 CPUs; up 1d 1h', threshold: '5-min load ≤ 4 (2 × 2 CPUs)' },
    { load: [2, 2, 2] as [number, number, number], cpus: 1, status: 'ok', message: 'load 2 / 2 / 2 on 1 CPU; up 1d 1h', threshold: '5-min load ≤ 2 (2 × 1 CPUs)' },
    { load: [9, 2.1, 0] as [number, number, number], cpus: 1, status: 'warn', message: 'load 9 / 2.1 / 0 on 1 CPU; up 1d 1h', threshold: '5-min load ≤ 2 (2 × 1 CPUs)' }
  ])('rates a 5-minute load of $load.1 on $cpus CPUs as $status', ({ load, cpus, status, message, threshold }) => {
    expect(row(host({ load, cpus }), 'host:app-1:load')).toMatchObject({ status, value: load[0], message, threshold });
  });

  it.each([
    [90_061, '1d 1h'],
    [86_400, '1d 0h'],
    [3660, '1h 1m'],
    [7200, '2h 0m'],
    [59, '0m'],
    [61, '1m'],
    [86_399, '23h 59m']
  ])('words an uptime of %d s as %s', (seconds, text) => {
    expect(describeUptime(seconds)).toBe(text);
  });
});

describe('evaluateHost: disks and mount points', () => {
  const disk = (mount: string, usedPercent: number, sizeKb: number, availableKb: number, filesystem = '/dev/vda1') => ({ filesystem, mount, sizeKb, usedKb: sizeKb - availableKb, availableKb, usedPercent });

  it('writes a row per disk and a failing row per requested mount point that is missing, before the disks', () => {
    const ev = evaluate(host({ disks: [disk('/', 95, 20 * GIB, GIB), disk('/data', 85, 10 * GIB, 0.5 * GIB, '/dev/vdb'), disk('/boot', 84.9, 0.5 * GIB, 0.25 * GIB, '/dev/vda2')] }), { mounts: ['/', '/srv/backups'] });
    expect(ev.checks.filter((c) => c.id.includes(':disk:'))).toEqual([
      { id: 'host:app-1:disk:/srv/backups', kind: 'host', target: 'app-1:/srv/backups', status: 'fail', message: 'mount point /srv/backups not found on the host' },
      { id: 'host:app-1:disk:/', kind: 'host', target: 'app-1:/', status: 'fail', value: 95, unit: '%', threshold: '< 85 %, alert > 90 %', message: 'disk 95 % used, 1.0 GiB free of 20 GiB (/dev/vda1): full or nearly' },
      { id: 'host:app-1:disk:/data', kind: 'host', target: 'app-1:/data', status: 'warn', value: 85, unit: '%', threshold: '< 85 %, alert > 90 %', message: 'disk 85 % used, 512 MiB free of 10 GiB (/dev/vdb)' },
      { id: 'host:app-1:disk:/boot', kind: 'host', target: 'app-1:/boot', status: 'ok', value: 84.9, unit: '%', threshold: '< 85 %, alert > 90 %', message: 'disk 84.9 % used, 256 MiB free of 512 MiB (/dev/vda2)' }
    ]);
  });
});

describe('evaluateHost: docker states', () => {
  it.each([
    { name: 'missing', docker: { state: 'missing', containers: [], logs: {} } as DockerInfo, status: 'warn', message: 'docker is not installed on this host: containers not checked' },
    { name: 'an error', docker: { state: 'error', error: 'Cannot connect\nto the Docker daemon', containers: [], logs: {} } as DockerInfo, status: 'fail', message: 'docker did not answer: Cannot connect to the Docker daemon' },
    { name: 'an error without text', docker: { state: 'error', containers: [], logs: {} } as DockerInfo, status: 'fail', message: 'docker did not answer: unknown error' },
    { name: 'no containers', docker: { state: 'ok', containers: [], logs: {} } as DockerInfo, status: 'warn', message: "no containers of compose project 'proj' on this host" }
  ])('writes one row for docker $name', ({ docker, status, message }) => {
    const ev = evaluate(host({ docker }));
    expect(ev.checks.slice(3)).toEqual([{ id: 'containers:app-1', kind: 'container', target: 'app-1 (proj)', status, message }]);
  });

  it('scrubs a secret out of the docker error', () => {
    registerSecret('hunter2-secret');
    expect(row(host({ docker: { state: 'error', error: 'auth hunter2-secret refused', containers: [], logs: {} } }), 'containers:app-1')?.message).toBe('docker did not answer: auth *** refused');
  });

  it('writes one row per container, every field, then the replica rows', () => {
    registerSecret('hunter2-secret');
    const docker: DockerInfo = {
      state: 'ok',
      containers: [
        container({ cpuPercent: 1.25, memoryPercent: 3.1, memoryUsage: '120MiB / 3.8GiB', health: 'healthy', restartCount: 2 }),
        container({ id: 'id-stats', name: 'proj_api_2', cpuPercent: 0.5 }),
        container({ id: 'id-worker', name: 'proj_worker_1', service: 'worker', image: 'a2a/worker:v1', state: 'restarting', restartCount: 1, exitCode: 1, cpuPercent: 9 }),
        container({ id: 'id-agent', name: 'proj_agent-x_1', service: 'agent-x', image: 'a2a/agent:v1', state: 'exited', exitCode: 137 }),
        container({ id: 'id-quiet', name: 'proj_quiet_1', service: 'quiet', state: 'paused' })
      ],
      logs: { 'id-api': 'all fine', 'id-worker': 'password hunter2-secret rejected', 'id-agent': 'out of memory' }
    };
    const ev = evaluate(host({ docker }), { replicas: { api: 2 }, history: { ...noHistory(), restarts: { proj_api_1: 2, proj_worker_1: 0 } } });
    expect(ev.checks.slice(3)).toEqual([
      { id: 'container:app-1:proj_api_1', kind: 'container', target: 'app-1/proj_api_1', status: 'ok', value: 'running (healthy)', threshold: 'running, healthy, no new restarts', message: 'running, healthy; CPU 1.25 %, memory 3.1 % (120MiB / 3.8GiB)', details: undefined },
      { id: 'container:app-1:proj_api_2', kind: 'container', target: 'app-1/proj_api_2', status: 'ok', value: 'running', threshold: 'running, healthy, no new restarts', message: 'running; CPU 0.5 %, memory ? % (?)', details: undefined },
      {
        id: 'container:app-1:proj_worker_1',
        kind: 'container',
        target: 'app-1/proj_worker_1',
        status: 'fail',
        value: 'restarting',
        threshold: 'running, healthy, no new restarts',
        message: 'restarting (crash loop: 1 restart, last exit code 1)',
        details: 'Last log lines of proj_worker_1 (a2a/worker:v1):\npassword *** rejected'
      },
      { id: 'container:app-1:proj_agent-x_1', kind: 'agent', target: 'app-1/proj_agent-x_1', status: 'fail', value: 'exited', threshold: 'running, healthy, no new restarts', message: 'exited with code 137', details: 'Last log lines of proj_agent-x_1 (a2a/agent:v1):\nout of memory' },
      { id: 'container:app-1:proj_quiet_1', kind: 'container', target: 'app-1/proj_quiet_1', status: 'warn', value: 'paused', threshold: 'running, healthy, no new restarts', message: 'paused', details: undefined },
      { id: 'replicas:app-1:api', kind: 'container', target: 'app-1/api', status: 'ok', value: 2, threshold: '= 2 (config services.api.replicas)', message: '2 of 2 replicas serving' }
    ]);
    expect(ev.restarts).toEqual({ proj_api_1: 2, proj_api_2: 0, proj_worker_1: 1, 'proj_agent-x_1': 0, proj_quiet_1: 0 });
  });

  it('keeps an ok container\'s message plain when docker stats gave no figures', () => {
    const docker: DockerInfo = { state: 'ok', containers: [container({ memoryPercent: 2, memoryUsage: '50MiB / 3.8GiB' })], logs: {} };
    expect(row(host({ docker }), 'container:app-1:proj_api_1')?.message).toBe('running');
  });

  it('counts a restart since the last run from the kept counts', () => {
    const docker: DockerInfo = { state: 'ok', containers: [container({ restartCount: 3 })], logs: {} };
    expect(row(host({ docker }), 'container:app-1:proj_api_1', { history: { ...noHistory(), restarts: { proj_api_1: 1 } } })?.message).toBe('running, but restarted 2 time(s) since the last run');
  });

  it('writes no replica rows unless docker listed the containers', () => {
    const ev = evaluate(host({ docker: { state: 'missing', containers: [], logs: {} } }), { replicas: { api: 1 } });
    expect(ev.checks.some((c) => c.id.startsWith('replicas:'))).toBe(false);
  });

  it('writes no replica rows when no replicas are configured', () => {
    const ev = evaluate(host({ docker: { state: 'ok', containers: [container({})], logs: {} } }));
    expect(ev.checks.map((c) => c.id)).toEqual(['host:app-1:cpu', 'host:app-1:memory', 'host:app-1:load', 'container:app-1:proj_api_1']);
  });
});

describe('replicaChecks counts only serving replicas of the service', () => {
  it.each([
    { name: 'a stopped replica', containers: [container({}), container({ state: 'exited' })], value: 1, status: 'fail', message: '1 of 2 replicas serving: capacity is down' },
    { name: 'a replica whose health check is starting', containers: [container({}), container({ health: 'starting' })], value: 1, status: 'fail', message: '1 of 2 replicas serving: capacity is down' },
    { name: "another service's container", containers: [container({}), container({ service: 'api-worker' })], value: 1, status: 'fail', message: '1 of 2 replicas serving: capacity is down' },
    { name: 'two healthy ones', containers: [container({ health: 'healthy' }), container({})], value: 2, status: 'ok', message: '2 of 2 replicas serving' },
    { name: 'three', containers: [container({}), container({}), container({})], value: 3, status: 'warn', message: '3 replicas serving, 2 configured: an unfinished rollout?' }
  ])('with $name', ({ containers, value, status, message }) => {
    expect(replicaChecks('app-1', containers, { api: 2 })).toEqual([
      { id: 'replicas:app-1:api', kind: 'container', target: 'app-1/api', status, value, threshold: '= 2 (config services.api.replicas)', message }
    ]);
  });
});

describe('judgeContainer, every sentence', () => {
  it.each([
    { over: { state: 'restarting', restartCount: 4, exitCode: 2 }, before: undefined, verdict: ['fail', 'restarting (crash loop: 4 restarts, last exit code 2)'] },
    { over: { state: 'restarting', restartCount: 0, exitCode: 1 }, before: undefined, verdict: ['fail', 'restarting (crash loop: 0 restarts, last exit code 1)'] },
    { over: { state: 'exited', exitCode: 0 }, before: undefined, verdict: ['fail', 'exited with code 0'] },
    { over: { state: 'dead' }, before: undefined, verdict: ['fail', 'dead (docker could not stop or remove it)'] },
    { over: { state: 'paused' }, before: undefined, verdict: ['warn', 'paused'] },
    { over: { state: 'created' }, before: undefined, verdict: ['warn', 'created but never started'] },
    { over: { state: 'removing' }, before: undefined, verdict: ['warn', "in state 'removing'"] },
    { over: { health: 'unhealthy' }, before: undefined, verdict: ['fail', 'running but its health check fails'] },
    { over: { health: 'starting' }, before: undefined, verdict: ['warn', 'running, health check still starting'] },
    { over: { health: 'healthy', restartCount: 5 }, before: 4, verdict: ['warn', 'running, but restarted 1 time(s) since the last run'] },
    { over: { health: 'healthy', restartCount: 5 }, before: 5, verdict: ['ok', 'running, healthy'] },
    { over: { restartCount: 5 }, before: undefined, verdict: ['ok', 'running'] },
    { over: { restartCount: 5 }, before: 6, verdict: ['ok', 'running'] }
  ])('judges $over (restarts before: $before) as $verdict', ({ over, before, verdict }) => {
    expect(judgeContainer(container(over), before)).toEqual(verdict);
  });
});
