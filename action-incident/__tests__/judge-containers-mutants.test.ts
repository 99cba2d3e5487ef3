// The edges of the container verdicts on one host (issue 14's mutation testing of judgeContainers):
// which state wins when several are wrong, a stopped container without a finish time, and configured
// replicas counted per service (running ones only, stopped ones present but not running).
import { describe, expect, it } from '@jest/globals';
import type { OpsConfig, ServiceContainer } from '../../shared/src/index.js';
import { judgeContainers } from '../src/hosts/diagnose-hosts.js';
import { serviceContainer } from '../../test-support/sample-rows.js';

/** A container named for its service (p_worker_1 for the worker). */
const container = (over: Partial<ServiceContainer>): ServiceContainer => serviceContainer({ name: `p_${over.service ?? 'api'}_1`, ...over });
const stopped: Partial<ServiceContainer> = { state: 'exited', running: false, exitCode: 1, health: null };

describe('judgeContainers: one container', () => {
  it.each<[string, Partial<ServiceContainer>, string | undefined]>([
    ['stopped, no finish time', { ...stopped, exitCode: 2 }, 'fail exited (exit code 2)'],
    ['created, never started', { state: 'created', running: false, exitCode: 0, health: null }, 'fail created (exit code 0)'],
    ['restarting, though docker says running', { state: 'restarting', running: true, restartCount: 3, exitCode: 137 }, 'fail restarting (3 restarts, last exit code 137)'],
    ['restarting and unhealthy: the restarts', { state: 'restarting', running: false, health: 'unhealthy', restartCount: 2, exitCode: 1 }, 'fail restarting (2 restarts, last exit code 1)'],
    ['stopped and unhealthy: stopped', { ...stopped, health: 'unhealthy', healthFailingStreak: 3, finishedAt: '2026-12-01T11:00:00Z' }, 'fail exited (exit code 1, since 2026-12-01T11:00:00Z)'],
    ['stopped while starting: stopped', { ...stopped, health: 'starting' }, 'fail exited (exit code 1)'],
    ['running and unhealthy', { health: 'unhealthy', healthFailingStreak: 1 }, 'fail unhealthy (1 failed health checks in a row)'],
    ['running and starting', { health: 'starting' }, 'warn health check still starting'],
    ['running and healthy', {}, undefined]
  ])('%s', (_name, over, want) => {
    const faults = judgeContainers('app1', [container(over)], []);
    expect(faults.map((f) => `${f.severity} ${f.message}`)).toEqual(want ? [want] : []);
    for (const f of faults) expect([f.family, f.target]).toEqual(['services', 'app1: api (p_api_1)']);
  });
});

describe('judgeContainers: configured replicas on a host', () => {
  type Service = OpsConfig['services'][number];
  const svc = (name: string, replicas: number): Service => ({ name, replicas }) as Service;
  it.each<[string, Array<Partial<ServiceContainer>>, Service[], string[]]>([
    ['as many running as configured', [{}], [svc('api', 1)], []],
    ['more running than configured', [{}, { name: 'p_api_2' }], [svc('api', 1)], []],
    ['one short', [{}], [svc('api', 2)], ['warn app2: api: 1 of 2 configured replicas running']],
    [
      'its only container stopped: present, none running',
      [stopped],
      [svc('api', 1)],
      ['fail app2: api (p_api_1): exited (exit code 1)', 'warn app2: api: 0 of 1 configured replicas running']
    ],
    [
      'its container stopped beside another service: present, none running',
      [stopped, { service: 'worker' }],
      [svc('api', 1)],
      ['fail app2: api (p_api_1): exited (exit code 1)', 'warn app2: api: 0 of 1 configured replicas running']
    ],
    ['another service running does not count', [{ service: 'worker' }], [svc('api', 1)], ['fail app2: api: no container of the configured service (1 expected)']],
    ['running containers of other services do not make up the count', [{}, { service: 'worker' }, { service: 'worker', name: 'p_worker_2' }], [svc('api', 2)], ['warn app2: api: 1 of 2 configured replicas running']],
    ['no containers at all', [], [svc('api', 3), svc('off', 0)], ['fail app2: api: no container of the configured service (3 expected)']]
  ])('%s', (_name, list, services, want) => {
    const faults = judgeContainers('app2', list.map(container), services);
    expect(faults.map((f) => `${f.severity} ${f.target}: ${f.message}`)).toEqual(want);
    for (const f of faults) expect(f.family).toBe('services');
  });
});
