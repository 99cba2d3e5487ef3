// State between runs: a file locally, the Actions cache on a runner, and never a failed run because of it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheStateStore, createStateStore, emptyState, FileStateStore, MAX_SAMPLES, recordSample } from '../src/index.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('state stores', () => {
  it('round-trips state through a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'nested', 'health.json');
    const store = new FileStateStore(file);
    const state = emptyState();
    state.checks['health:x'] = { lastStatus: 'fail', consecutiveFailures: 2, consecutiveSuccesses: 0, failingSince: '2026-11-27T00:00:00Z' };
    recordSample(state, 'latency:x', { t: '2026-11-27T00:00:00Z', v: 120 });
    await store.save(state);
    expect(await new FileStateStore(file).load()).toEqual(state);
  });

  it.each([
    { name: 'a corrupt file', text: '{not json' },
    { name: 'a file from another version', text: '{"version": 9, "checks": {"a": 1}}' }
  ])('starts empty from $name instead of failing', async ({ text }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'health.json');
    writeFileSync(file, text);
    expect(await new FileStateStore(file).load()).toEqual(emptyState());
  });

  it('keeps metric series bounded', () => {
    const state = emptyState();
    for (let i = 0; i < MAX_SAMPLES + 10; i++) recordSample(state, 's', { t: String(i), v: i });
    expect(state.history.s).toHaveLength(MAX_SAMPLES);
    expect(state.history.s[0].v).toBe(10);
  });

  it('uses A2A_OPS_STATE_DIR when set, and a file store off a runner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    process.env.A2A_OPS_STATE_DIR = dir;
    await (await createStateStore('ssl', () => undefined)).save(emptyState());
    expect(existsSync(join(dir, 'ssl.json'))).toBe(true);
    delete process.env.A2A_OPS_STATE_DIR;
    delete process.env.GITHUB_ACTIONS;
    expect(await createStateStore('ssl', () => undefined)).toBeInstanceOf(FileStateStore);
  });

  it('warns and carries on when the Actions cache service cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    Object.assign(process.env, {
      RUNNER_TEMP: dir,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/',
      ACTIONS_RUNTIME_TOKEN: 'x.eyJzY3AiOiJBY3Rpb25zLlJlc3VsdHM6MTox In0.y',
      ACTIONS_CACHE_URL: 'http://127.0.0.1:1/'
    });
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string | Uint8Array) => (printed.push(String(c)), true)) as typeof process.stdout.write;
    const store = new CacheStateStore('health', (m) => printed.push(`::warning::${m}`), await import('@actions/cache'));
    const state = emptyState();
    state.lastRunAt = '2026-11-27T00:00:00Z';
    try {
      expect(await store.load()).toEqual(emptyState());
      await store.save(state);
    } finally {
      process.stdout.write = write;
    }
    // @actions/cache reports a cache outage as a warning itself; either way the run goes on.
    expect(printed.join('')).toMatch(/::warning::(Failed to restore|Could not restore)/);
    expect(await new FileStateStore(join(dir, 'a2a-ops-state', 'health.json')).load()).toEqual(state);
  }, 60_000);
});
