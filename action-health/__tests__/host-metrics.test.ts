// Host metrics: the batched script's output parsed (captured from this machine and from a compose host),
// `docker stats` output joined to the containers, sustained CPU/memory rules over samples, and the
// verdict on every container state.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, defaultConfig, registerSecret, type Sample } from '../../shared/src/index.js';
import { evaluateHost, judgeContainer, replicaChecks, type HostThresholds } from '../src/hosts/evaluate-host.js';
import { joinStats, needsLogs, parseDockerStats, type ContainerInfo, type DockerInfo } from '../src/hosts/collect-containers.js';
import { cpuPercentBetween, parseDf, parseMetrics, type HostMetrics } from '../src/hosts/parse-metrics.js';
import { evaluateSustained } from '../src/hosts/sustained.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
// The runbook's numbers: CPU 80 % for 5 min, memory 80/85 % for 3 min, disk 85/90 %.
const thresholds: HostThresholds = defaultConfig().thresholds;

/** A section of a captured script output (the old script also printed docker's answers behind its markers). */
const section = (text: string, marker: string, name: string): string => text.split(`${marker} ${name}\n`)[1].split(`\n${marker} `)[0];

/** A compose host in trouble: a crash-looping worker, an exited agent, an unhealthy frontend. */
const BROKEN: DockerInfo = {
  state: 'ok',
  containers: [
    { id: 'aaa111'.repeat(10) + 'abcd', name: 'a2a-world_api_1', service: 'api', image: 'a2a/api:v1', state: 'running', health: 'healthy', restartCount: 0, exitCode: 0, startedAt: '2026-11-27T08:00:00Z' },
    { id: 'bbb222'.repeat(10) + 'abcd', name: 'a2a-world_worker_1', service: 'worker', image: 'a2a/worker:v1', state: 'restarting', health: null, restartCount: 7, exitCode: 1, startedAt: '2026-11-27T08:00:00Z' },
    { id: 'ccc333'.repeat(10) + 'abcd', name: 'a2a-world_agent-pattern-discovery_1', service: 'agent-pattern-discovery', image: 'a2a/agent:v1', state: 'exited', health: null, restartCount: 0, exitCode: 137, startedAt: '2026-11-27T08:00:00Z' },
    { id: 'eee555'.repeat(10) + 'abcd', name: 'a2a-world_frontend_1', service: 'frontend', image: 'a2a/frontend:v1', state: 'running', health: 'unhealthy', restartCount: 0, exitCode: 0, startedAt: '2026-11-27T08:00:00Z' }
  ],
  logs: {
    ['bbb222'.repeat(10) + 'abcd']: 'worker: connecting to postgres://a2a_user:hunter2-secret@db/a2a\nworker: fatal: password authentication failed',
    ['ccc333'.repeat(10) + 'abcd']: 'agent: out of memory',
    ['eee555'.repeat(10) + 'abcd']: 'nginx: upstream timed out'
  }
};

describe('parseMetrics', () => {
  it('reads a machine: samples, load, uptime, real disks only', () => {
    const m = parseMetrics(fixture('metrics-no-docker.txt'), '@@m1');
    expect(m.samples).toHaveLength(3);
    expect(m.samples[0].cpuPercent).toBeUndefined();
    expect(m.samples[1].cpuPercent).toBeCloseTo(((18 + 4) / (18 + 4 + 38)) * 100, 0);
    expect(m.cpus).toBe(2);
    expect(m.load).toEqual([2.23, 0.83, 0.35]);
    expect(m.uptimeSeconds).toBeCloseTo(443.35);
    // The 4 KB placeholder mount in the capture is not a disk.
    expect(m.disks.map((d) => d.mount)).toEqual(['/']);
  });

  it('reads a busy host: samples, and disks with spaces in their mount points; sections it does not know are ignored', () => {
    const m = parseMetrics(fixture('metrics-compose.txt'), '@@k9');
    expect(m.samples.map((s) => s.cpuPercent)).toEqual([undefined, 100]);
    expect(m.samples[1].memoryPercent).toBe(90.5);
    expect(m.disks.map((d) => [d.mount, d.usedPercent])).toEqual([
      ['/', 95.8],
      ['/mnt/data volume', 40]
    ]);
  });

  it('reads output captured from a lab host', () => {
    const m = parseMetrics(fixture('metrics-lab-compose.txt'), '@@lab1');
    expect(m.samples).toHaveLength(2);
    expect(m.disks.map((d) => d.mount)).toEqual(['/']);
  });

  it('ignores a forged section marker inside container logs, because the real marker is random per run', () => {
    const out = fixture('metrics-compose.txt').replace('agent: out of memory', '@@other df\n/dev/fake 1 1 0 100% /forged');
    const m = parseMetrics(out, '@@k9');
    expect(m.disks.map((d) => d.mount)).not.toContain('/forged');
  });

  it('fails loudly when the output is not from the script', () => {
    expect(() => parseMetrics('sh: 1: /proc/stat: not found\n', '@@m1')).toThrow(/no 'loadavg' section|no 'sample' section/);
  });

  it('reports only the requested mounts, whatever their filesystem type', () => {
    const df = fixture('metrics-compose.txt').split('@@k9 df\n')[1].split('@@k9 containers')[0];
    expect(parseDf(df, ['/tmp/a2a-full', '/']).map((d) => [d.mount, d.usedPercent])).toEqual([
      ['/tmp/a2a-full', 100],
      ['/', 95.8]
    ]);
  });

  it.each([
    ['all busy', 'cpu 100 0 0 100 0 0 0 0', 'cpu 200 0 0 100 0 0 0 0', 100],
    ['all idle', 'cpu 100 0 0 100 0 0 0 0', 'cpu 100 0 0 200 0 0 0 0', 0],
    ['iowait counts as idle', 'cpu 100 0 0 100 0 0 0 0', 'cpu 150 0 0 100 50 0 0 0', 50],
    ['no time passed', 'cpu 1 1 1 1', 'cpu 1 1 1 1', 0]
  ])('computes CPU %% between two /proc/stat reads: %s', (_n, a, b, want) => {
    expect(cpuPercentBetween(a, b)).toBe(want);
  });
});

const at = (sec: number, v: number): Sample => ({ t: new Date(Date.UTC(2026, 10, 28, 6, 0, 0) + sec * 1000).toISOString(), v });

describe('evaluateSustained', () => {
  const rule = { failAbove: 80, windowMs: 300_000 };
  it.each([
    ['no samples', [], 'ok'],
    ['one high reading is only a warning', [at(0, 95)], 'warn'],
    ['high for 4 minutes is still a warning', [at(0, 90), at(120, 95), at(240, 91)], 'warn'],
    ['high for 5 minutes across runs is an alert', [at(0, 90), at(150, 95), at(300, 91)], 'fail'],
    ['a dip inside the window resets the streak', [at(0, 90), at(150, 50), at(300, 91)], 'warn'],
    ['a gap longer than the window breaks the streak', [at(0, 90), at(900, 95), at(1000, 91)], 'warn'],
    ['high long ago but fine now is ok', [at(0, 90), at(300, 95), at(400, 20)], 'ok'],
    ['unsorted samples are sorted first', [at(300, 91), at(0, 90), at(150, 95)], 'fail']
  ])('%s', (_n, samples, status) => {
    expect(evaluateSustained(samples, rule).status).toBe(status);
  });

  it('warns above the warn level before the alert level is reached', () => {
    const v = evaluateSustained([at(0, 82)], { failAbove: 85, warnAbove: 80, windowMs: 180_000 });
    expect(v.status).toBe('warn');
    expect(v.message).toBe('82%, above the 80% target');
  });

  it('says how long the condition has lasted', () => {
    expect(evaluateSustained([at(0, 90), at(200, 95), at(400, 91)], rule).message).toMatch(/^above 80% for 6.7 min \(3 samples, now 91%\)/);
  });
});

describe('docker stats', () => {
  it('joins real `docker stats` lines (captured on a lab host, short ids) to the containers by id prefix', () => {
    const stats = parseDockerStats(section(fixture('metrics-lab-compose.txt'), '@@lab1', 'stats'));
    const ids = ['503568f284a0508ad007f04350637ee74e38cc3fb080f3da05939101e994ea92', 'd315eb400ddda43c778fe762d67b7b8249f82421794924d14b26b558206ce25b', 'f'.repeat(64)];
    const joined = joinStats(ids.map((id) => ({ ...BROKEN.containers[0], id })), stats);
    expect(joined.map((c) => [c.cpuPercent, c.memoryPercent, c.memoryUsage])).toEqual([
      [1.72, 0, '868KiB / 23.54GiB'],
      [0.02, 0, '376KiB / 23.54GiB'],
      [undefined, undefined, undefined]
    ]);
  });

  it('skips lines that are not stats', () => {
    expect(parseDockerStats('Error response from daemon: No such container: x\n{"ID":"abc","CPUPerc":"--","MemPerc":"1.5%"}\n{not json')).toEqual({
      abc: { cpuPercent: undefined, memoryPercent: 1.5, memoryUsage: undefined }
    });
  });

  it.each([
    ['running', { state: 'running', health: null, restartCount: 0 }, false],
    ['running and healthy', { state: 'running', health: 'healthy', restartCount: 0 }, false],
    ['running but restarted before', { state: 'running', health: null, restartCount: 2 }, true],
    ['running, health starting', { state: 'running', health: 'starting', restartCount: 0 }, true],
    ['exited', { state: 'exited', health: null, restartCount: 0 }, true]
  ])('wants the logs of a container that is %s', (_n, over, want) => {
    expect(needsLogs({ ...BROKEN.containers[0], ...over })).toBe(want);
  });
});

describe('evaluateHost', () => {
  const metrics = (): HostMetrics => ({ ...parseMetrics(fixture('metrics-compose.txt'), '@@k9'), docker: { ...BROKEN, containers: joinStats(BROKEN.containers, parseDockerStats(section(fixture('metrics-compose.txt'), '@@k9', 'stats'))) } });
  const times = [new Date('2026-11-28T06:00:00Z'), new Date('2026-11-28T06:00:01Z')];
  const history = { cpu: [] as Sample[], memory: [] as Sample[], restarts: {} };

  it('turns one busy host into rows: CPU and memory warn (not yet sustained), the full disk fails', () => {
    const ev = evaluateHost('app-1', metrics(), { thresholds, sampleTimes: times, history, mounts: [], project: 'a2a-world' });
    const byId = Object.fromEntries(ev.checks.map((c) => [c.id, c]));
    expect(byId['host:app-1:cpu'].status).toBe('warn');
    expect(byId['host:app-1:memory'].status).toBe('warn');
    expect(byId['host:app-1:disk:/'].status).toBe('fail');
    expect(byId['host:app-1:disk:/mnt/data volume'].status).toBe('ok');
    expect(byId['host:app-1:load'].message).toBe('load 3.1 / 2.5 / 1 on 2 CPUs; up 3d 4h');
    expect(ev.cpuSamples).toEqual([{ t: '2026-11-28T06:00:01.000Z', v: 100 }]);
  });

  it('fails CPU and memory when the kept samples show the condition for the whole window', () => {
    const old = { cpu: [at(-400, 95), at(-200, 97)], memory: [at(-190, 90), at(-100, 92)], restarts: {} };
    const ev = evaluateHost('app-1', metrics(), { thresholds, sampleTimes: times, history: old, mounts: [], project: 'a2a-world' });
    expect(ev.checks.find((c) => c.id === 'host:app-1:cpu')?.status).toBe('fail');
    expect(ev.checks.find((c) => c.id === 'host:app-1:memory')?.status).toBe('fail');
  });

  it('fails every broken container, puts agents in their own table and attaches scrubbed log lines', () => {
    clearSecretsForTest();
    registerSecret('hunter2-secret');
    const ev = evaluateHost('app-1', metrics(), { thresholds, sampleTimes: times, history, mounts: [], project: 'a2a-world' });
    const rows = ev.checks.filter((c) => c.kind === 'container' || c.kind === 'agent').map((c) => [c.kind, c.target, c.status]);
    expect(rows).toEqual([
      ['container', 'app-1/a2a-world_api_1', 'ok'],
      ['container', 'app-1/a2a-world_worker_1', 'fail'],
      ['agent', 'app-1/a2a-world_agent-pattern-discovery_1', 'fail'],
      ['container', 'app-1/a2a-world_frontend_1', 'fail']
    ]);
    const worker = ev.checks.find((c) => c.target === 'app-1/a2a-world_worker_1');
    expect(worker?.details).toContain('password authentication failed');
    expect(worker?.details).not.toContain('hunter2-secret');
    expect(ev.checks.find((c) => c.target === 'app-1/a2a-world_api_1')?.message).toBe('running, healthy; CPU 1.25 %, memory 3.1 % (120MiB / 3.8GiB)');
    clearSecretsForTest();
  });

  it('fails a requested mount point that does not exist', () => {
    const ev = evaluateHost('app-1', metrics(), { thresholds, sampleTimes: times, history, mounts: ['/srv/backups'], project: 'p' });
    expect(ev.checks.find((c) => c.id === 'host:app-1:disk:/srv/backups')?.message).toBe('mount point /srv/backups not found on the host');
  });
});

describe('judgeContainer', () => {
  const c = (over: Partial<ContainerInfo>): ContainerInfo => ({
    id: 'x', name: 'n', service: 's', image: 'i', state: 'running', health: null, restartCount: 0, exitCode: 0, startedAt: '', ...over
  });
  it.each([
    ['running', c({}), undefined, 'ok'],
    ['running and healthy', c({ health: 'healthy' }), undefined, 'ok'],
    ['running and unhealthy', c({ health: 'unhealthy' }), undefined, 'fail'],
    ['health still starting', c({ health: 'starting' }), undefined, 'warn'],
    ['restarting', c({ state: 'restarting', restartCount: 4 }), undefined, 'fail'],
    ['exited with 0', c({ state: 'exited' }), undefined, 'fail'],
    ['dead', c({ state: 'dead' }), undefined, 'fail'],
    ['paused', c({ state: 'paused' }), undefined, 'warn'],
    ['restarted since the last run', c({ restartCount: 3 }), 1, 'warn'],
    ['restarted long ago, not since', c({ restartCount: 3 }), 3, 'ok']
  ])('a container that is %s is judged accordingly', (_n, container, before, status) => {
    expect(judgeContainer(container, before)[0]).toBe(status);
  });
});

describe('replicaChecks', () => {
  const c = (service: string, state: string, health: string | null): ContainerInfo => ({
    id: `${service}-${state}-${health}`,
    name: `${service}_x`,
    service,
    image: 'img',
    state,
    health,
    restartCount: 0,
    exitCode: 0,
    startedAt: ''
  });

  it.each([
    { name: 'all configured replicas serving', containers: [c('api', 'running', 'healthy'), c('api', 'running', 'healthy')], status: 'ok', message: '2 of 2 replicas serving' },
    { name: 'one replica fewer (compose v1 reset the scale)', containers: [c('api', 'running', 'healthy')], status: 'fail', message: '1 of 2 replicas serving: capacity is down' },
    { name: 'an unhealthy replica not counted', containers: [c('api', 'running', 'healthy'), c('api', 'running', 'unhealthy')], status: 'fail', message: '1 of 2 replicas serving: capacity is down' },
    { name: 'a replica without a health check counted when running', containers: [c('api', 'running', null), c('api', 'running', null)], status: 'ok', message: '2 of 2 replicas serving' },
    { name: 'more than configured (an unfinished rollout)', containers: [c('api', 'running', 'healthy'), c('api', 'running', 'healthy'), c('api', 'running', 'healthy')], status: 'warn', message: '3 replicas serving, 2 configured: an unfinished rollout?' },
    { name: 'none at all', containers: [c('frontend', 'running', 'healthy')], status: 'fail', message: '0 of 2 replicas serving: capacity is down' }
  ])('reports $name', ({ containers, status, message }) => {
    const [check] = replicaChecks('app-1', containers, { api: 2 });
    expect(check).toMatchObject({ id: 'replicas:app-1:api', target: 'app-1/api', status, message, value: expect.any(Number) });
  });
});

describe('host thresholds at their boundaries (runbook: CPU > 80 % for 5 min, memory 80 % target and > 85 % for 3 min, disk 85 % target and > 90 % alert)', () => {
  const quietHost = (over: Partial<HostMetrics>): HostMetrics => ({
    samples: [{ index: 0, memoryPercent: 10 }],
    memoryTotalKb: 4 * 1024 * 1024,
    memoryAvailableKb: 3 * 1024 * 1024,
    load: [0.1, 0.1, 0.1],
    cpus: 2,
    uptimeSeconds: 3600,
    disks: [],
    docker: { state: 'skipped', containers: [], logs: {} },
    ...over
  });
  const noHistory = { cpu: [] as Sample[], memory: [] as Sample[], restarts: {} };
  const statusOf = (id: string, metrics: HostMetrics, history = noHistory): string | undefined =>
    evaluateHost('app-1', metrics, { thresholds, sampleTimes: [new Date(Date.UTC(2026, 10, 28, 6, 0, 0))], history, mounts: [], project: '' }).checks.find((c) => c.id === id)?.status;

  it.each([
    { used: 84.9, status: 'ok' },
    { used: 85, status: 'warn' },
    { used: 85.1, status: 'warn' },
    { used: 90, status: 'warn' },
    { used: 90.1, status: 'fail' },
    { used: 100, status: 'fail' }
  ])('rates a disk $used % used as $status', ({ used, status }) => {
    const disk = { filesystem: '/dev/vda1', mount: '/', sizeKb: 1000, usedKb: used * 10, availableKb: 1000 - used * 10, usedPercent: used };
    expect(statusOf('host:app-1:disk:/', quietHost({ disks: [disk] }))).toBe(status);
  });

  it.each([
    { memory: 79.9, status: 'ok' },
    { memory: 80, status: 'ok' },
    { memory: 80.1, status: 'warn' },
    { memory: 85, status: 'warn' },
    { memory: 85.1, status: 'warn' },
    { memory: 99, status: 'warn' }
  ])('rates one memory reading of $memory % as $status: a single reading is never an alert', ({ memory, status }) => {
    expect(statusOf('host:app-1:memory', quietHost({ samples: [{ index: 0, memoryPercent: memory }] }))).toBe(status);
  });

  it.each([
    { memory: 85, lastedSec: 180, status: 'warn' },
    { memory: 85.1, lastedSec: 179, status: 'warn' },
    { memory: 85.1, lastedSec: 180, status: 'fail' }
  ])('rates memory at $memory % for $lastedSec s (kept samples plus this run) as $status', ({ memory, lastedSec, status }) => {
    const history = { ...noHistory, memory: [at(-lastedSec, memory)] };
    expect(statusOf('host:app-1:memory', quietHost({ samples: [{ index: 0, memoryPercent: memory }] }), history)).toBe(status);
  });

  it.each([
    { cpu: 80, lastedSec: 300, status: 'ok' },
    { cpu: 80.1, lastedSec: 0, status: 'warn' },
    { cpu: 80.1, lastedSec: 299, status: 'warn' },
    { cpu: 80.1, lastedSec: 300, status: 'fail' }
  ])('rates CPU at $cpu % for $lastedSec s as $status', ({ cpu, lastedSec, status }) => {
    const history = { ...noHistory, cpu: lastedSec ? [at(-lastedSec, cpu)] : [] };
    expect(statusOf('host:app-1:cpu', quietHost({ samples: [{ index: 0, memoryPercent: 10 }, { index: 1, cpuPercent: cpu, memoryPercent: 10 }] }), history)).toBe(status);
  });
});

describe('evaluateSustained at the window and gap boundaries', () => {
  const rule = { failAbove: 80, windowMs: 300_000 };
  it.each([
    { name: 'exactly the fail level for the whole window is ok', samples: [at(0, 80), at(300, 80)], status: 'ok' },
    { name: 'just above the fail level for exactly the window fails', samples: [at(0, 80.1), at(300, 80.1)], status: 'fail' },
    { name: 'just above the fail level for a second less than the window warns', samples: [at(1, 80.1), at(300, 80.1)], status: 'warn' },
    { name: 'a gap exactly as long as the window keeps the streak', samples: [at(0, 90), at(300, 90)], status: 'fail' },
    { name: 'a gap a second longer than the window breaks the streak', samples: [at(0, 90), at(301, 90)], status: 'warn' },
    { name: 'a sample at exactly the fail level inside the window breaks the streak', samples: [at(0, 90), at(150, 80), at(300, 90)], status: 'warn' }
  ])('$name', ({ samples, status }) => {
    expect(evaluateSustained(samples, rule).status).toBe(status);
  });

  it.each([
    { latest: 80, status: 'ok' },
    { latest: 80.1, status: 'warn' }
  ])('with a warn level of 80 % below an 85 % alert, rates a reading of $latest % as $status', ({ latest, status }) => {
    expect(evaluateSustained([at(0, latest)], { failAbove: 85, warnAbove: 80, windowMs: 180_000 }).status).toBe(status);
  });
});
