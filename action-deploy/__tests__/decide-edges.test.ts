// batchHealth on a container Docker reports as restarting before its first restart has happened
// (RestartCount still 0, the restart policy waiting out its delay): already failed, not "waiting".
import { describe, expect, it } from '@jest/globals';
import type { ServiceContainer } from '../../shared/src/index.js';
import { batchHealth } from '../src/rollout/decide.js';

const base: ServiceContainer = {
  id: 'a'.repeat(64),
  name: 'a2a_api_3',
  project: 'a2a',
  service: 'api',
  containerNumber: 3,
  oneOff: false,
  image: 'registry/a2a-world/api:v2',
  imageId: 'sha256:2',
  state: 'running',
  running: true,
  health: 'healthy',
  healthFailingStreak: 0,
  exitCode: 0,
  restartCount: 0,
  createdAt: '2026-12-01T12:00:00Z',
  startedAt: '2026-12-01T12:00:01Z',
  finishedAt: null,
  composeVersion: '2.29.1',
  networkMode: 'a2a_default',
  networks: [],
  ports: [],
  labels: {}
};

describe('batchHealth: restarting before the first restart', () => {
  it.each([
    { name: 'running flag still set, no health check', c: { ...base, state: 'restarting', running: true, health: null, exitCode: 1 } },
    { name: 'running flag cleared, health check starting', c: { ...base, state: 'restarting', running: false, health: 'starting', exitCode: 1 } },
    { name: 'reported healthy a moment ago', c: { ...base, state: 'restarting', running: true, health: 'healthy', exitCode: 1 } }
  ] as const)('fails at once: $name', ({ c }) => {
    expect(batchHealth([c], new Set([c.id]))).toEqual({ state: 'failed', container: c, why: 'is restarting (restarted 0 time(s))' });
  });
});
