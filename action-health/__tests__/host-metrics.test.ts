// Host metrics: the batched script's output parsed (captured from this machine and from a compose host),
// sustained CPU/memory rules over samples, and the verdict on every container state.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, defaultConfig, registerSecret, type Sample } from '../../shared/src/index.js';
import { evaluateHost, judgeContainer, replicaChecks, type HostThresholds } from '../src/hosts/evaluate-host.js';
import { cpuPercentBetween, parseDf, parseMetrics, type ContainerInfo } from '../src/hosts/parse-metrics.js';
import { evaluateSustained } from '../src/hosts/sustained.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
// The runbook's numbers: CPU 80 % for 5 min, memory 80/85 % for 3 min, disk 85/90 %.
const thresholds: HostThresholds = defaultConfig().thresholds;

describe('parseMetrics', () => {
  it('reads a machine without docker: samples, load, uptime, real disks only, and the docker error', () => {
    const m = parseMetrics(fixture('metrics-no-docker.txt'), '@@m1');
    expect(m.samples).toHaveLength(3);
    expect(m.samples[0].cpuPercent).toBeUndefined();
    expect(m.samples[1].cpuPercent).toBeCloseTo(((18 + 4) / (18 + 4 + 38)) * 100, 0);
    expect(m.cpus).toBe(2);
    expect(m.load).toEqual([2.23, 0.83, 0.35]);
    expect(m.uptimeSeconds).toBeCloseTo(443.35);
    // The 4 KB placeholder mount in the capture is not a disk.
    expect(m.disks.map((d) => d.mount)).toEqual(['/']);
    expect(m.docker.state).toBe('error');
    expect(m.docker.error).toMatch(/Cannot connect to the Docker daemon/);
  });

  it('reads a compose host: containers with stats joined by id and log tails of the broken ones', () => {
    const m = parseMetrics(fixture('metrics-compose.txt'), '@@k9');
    expect(m.samples.map((s) => s.cpuPercent)).toEqual([undefined, 100]);
    expect(m.samples[1].memoryPercent).toBe(90.5);
    expect(m.disks.map((d) => [d.mount, d.usedPercent])).toEqual([
      ['/', 95.8],
      ['/mnt/data volume', 40]
    ]);
    expect(m.docker.containers.map((c) => [c.name, c.state, c.health])).toEqual([
      ['a2a-world_api_1', 'running', 'healthy'],
      ['a2a-world_worker_1', 'restarting', null],
      ['a2a-world_agent-pattern-discovery_1', 'exited', null],
      ['a2a-world_frontend_1', 'running', 'unhealthy']
    ]);
    expect(m.docker.containers[0].memoryUsage).toBe('120MiB / 3.8GiB');
    // `docker ps -q` lists short ids, `docker inspect` full ones: logs are keyed by the full id.
    expect(Object.keys(m.docker.logs)).toEqual(m.docker.containers.slice(1).map((c) => c.id));
    expect(m.docker.containers[1].id).toMatch(/^bbb222/);
  });

  it('reads output captured from a lab host running the compose project (docker-compose v1 labels, real docker stats)', () => {
    const m = parseMetrics(fixture('metrics-lab-compose.txt'), '@@lab1');
    expect(m.samples).toHaveLength(2);
    expect(m.docker.state).toBe('ok');
    expect(m.docker.containers.map((c) => [c.service, c.state, c.health])).toEqual(
      expect.arrayContaining([
        ['api', 'running', 'healthy'],
        ['frontend', 'running', 'healthy'],
        ['agent-pattern-discovery', 'running', 'healthy']
      ])
    );
    expect(m.docker.containers.every((c) => c.id.length === 64 && c.cpuPercent !== undefined && /iB \/ /.test(c.memoryUsage ?? ''))).toBe(true);
    expect(m.docker.logs).toEqual({});
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

describe('evaluateHost', () => {
  const metrics = (): ReturnType<typeof parseMetrics> => parseMetrics(fixture('metrics-compose.txt'), '@@k9');
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
