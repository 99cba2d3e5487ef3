// The services judgement at its edges (issue 14's mutation testing): every standing in full (sorted, with
// running and wanted counts), each problem's wording, problems together on one service, stale health on a
// stopped container, dead containers, and the host's verdict as the worst of its services.
import { describe, expect, it } from '@jest/globals';
import type { ServiceContainer } from '../../shared/src/index.js';
import { judgeServices } from '../src/services/judge-services.js';

function ctr(name: string, service: string, o: Partial<ServiceContainer> = {}): ServiceContainer {
  return {
    id: `id-${name}`,
    name,
    project: 'a2a',
    service,
    containerNumber: null,
    oneOff: false,
    image: `${service}:v1`,
    imageId: 'sha256:x',
    state: 'running',
    running: true,
    health: null,
    healthFailingStreak: 0,
    exitCode: 0,
    restartCount: 0,
    createdAt: '2026-11-01T00:00:00Z',
    startedAt: '2026-11-01T00:00:00Z',
    finishedAt: null,
    composeVersion: null,
    networkMode: '',
    networks: [],
    ports: [],
    labels: {},
    ...o
  };
}
const stopped = (state = 'exited'): Partial<ServiceContainer> => ({ state, running: false });

describe('judgeServices at its edges', () => {
  it('lists every configured and running service, sorted, with its counts', () => {
    const j = judgeServices([ctr('web_1', 'web'), ctr('db_1', 'db', stopped())], [{ name: 'worker', replicas: 1 }, { name: 'web', replicas: 1 }]);
    expect(j).toEqual({
      verdict: 'unhealthy',
      services: [
        { service: 'db', running: 0, want: undefined, verdict: 'healthy', problem: '' },
        { service: 'web', running: 1, want: 1, verdict: 'healthy', problem: '' },
        { service: 'worker', running: 0, want: 1, verdict: 'unhealthy', problem: '0 of 1 replicas running' }
      ]
    });
  });

  it.each([
    { name: 'two unhealthy replicas', containers: [ctr('a1', 'api', { health: 'unhealthy' }), ctr('a2', 'api', { health: 'unhealthy' })], want: 2, verdict: 'unhealthy', problem: 'a1, a2 unhealthy' },
    { name: 'two replicas still starting', containers: [ctr('a1', 'api', { health: 'starting' }), ctr('a2', 'api', { health: 'starting' })], want: 2, verdict: 'starting', problem: 'a1, a2 still starting' },
    { name: 'a restarting and a dead container', containers: [ctr('a1', 'api', { state: 'restarting' }), ctr('a2', 'api', stopped('dead'))], want: undefined, verdict: 'unhealthy', problem: 'a1 restarting, a2 dead' },
    { name: 'a dead container of an undeclared service', containers: [ctr('a1', 'api', stopped('dead'))], want: undefined, verdict: 'unhealthy', problem: 'a1 dead' },
    { name: 'a stopped container whose last health was unhealthy', containers: [ctr('a1', 'api', { ...stopped(), health: 'unhealthy' })], want: undefined, verdict: 'healthy', problem: '' },
    { name: 'a stopped container whose last health was starting', containers: [ctr('a1', 'api', { ...stopped(), health: 'starting' })], want: undefined, verdict: 'healthy', problem: '' },
    { name: 'two stopped replicas', containers: [ctr('a1', 'api', stopped('created')), ctr('a2', 'api', stopped())], want: 3, verdict: 'unhealthy', problem: '0 of 3 replicas running (a1, a2 are created)' },
    { name: 'one stopped replica', containers: [ctr('a1', 'api'), ctr('a2', 'api', stopped('paused'))], want: 2, verdict: 'unhealthy', problem: '1 of 2 replicas running (a2 is paused)' },
    { name: 'exactly the replicas wanted', containers: [ctr('a1', 'api'), ctr('a2', 'api', { health: 'healthy' })], want: 2, verdict: 'healthy', problem: '' },
    {
      name: 'every problem at once (unhealthy outweighs starting)',
      containers: [ctr('a1', 'api', { health: 'unhealthy' }), ctr('a2', 'api', stopped('restarting')), ctr('a3', 'api', { health: 'starting' })],
      want: 4,
      verdict: 'unhealthy',
      problem: 'a1 unhealthy; a2 restarting; 2 of 4 replicas running (a2 is restarting); a3 still starting'
    }
  ])('$name: $verdict', ({ containers, want, verdict, problem }) => {
    const j = judgeServices(containers, want === undefined ? [] : [{ name: 'api', replicas: want }]);
    expect(j.services).toEqual([{ service: 'api', running: containers.filter((c) => c.running).length, want, verdict, problem }]);
    expect(j.verdict).toBe(verdict);
  });

  it.each([
    { name: 'unhealthy, then healthy', a: [ctr('a1', 'a', { health: 'unhealthy' })], b: [ctr('b1', 'b')], verdict: 'unhealthy' },
    { name: 'healthy, then unhealthy', a: [ctr('a1', 'a')], b: [ctr('b1', 'b', { health: 'unhealthy' })], verdict: 'unhealthy' },
    { name: 'unhealthy, then starting', a: [ctr('a1', 'a', { health: 'unhealthy' })], b: [ctr('b1', 'b', { health: 'starting' })], verdict: 'unhealthy' },
    { name: 'starting, then unhealthy', a: [ctr('a1', 'a', { health: 'starting' })], b: [ctr('b1', 'b', { health: 'unhealthy' })], verdict: 'unhealthy' },
    { name: 'starting, then healthy', a: [ctr('a1', 'a', { health: 'starting' })], b: [ctr('b1', 'b')], verdict: 'starting' },
    { name: 'healthy, then starting', a: [ctr('a1', 'a')], b: [ctr('b1', 'b', { health: 'starting' })], verdict: 'starting' },
    { name: 'healthy, then healthy', a: [ctr('a1', 'a')], b: [ctr('b1', 'b')], verdict: 'healthy' },
    { name: 'no service at all', a: [], b: [], verdict: 'healthy' }
  ])('a host whose services are $name is $verdict', ({ a, b, verdict }) => {
    expect(judgeServices([...a, ...b], []).verdict).toBe(verdict);
  });
});
