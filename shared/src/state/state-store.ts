// Where run state lives between runs: the Actions cache on a runner, a plain file locally and in tests.
import type * as ActionsCache from '@actions/cache';
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadLibrary } from '../libraries/load-library.js';
import { emptyState, type RunState, type Sample, type StateStore } from './types.js';

/** Longest metric series kept: a week of 5-minute runs, give or take. */
export const MAX_SAMPLES = 2000;

/** State in a JSON file: for the local runner and for tests. */
export class FileStateStore implements StateStore {
  constructor(private readonly file: string) {}

  async load(): Promise<RunState> {
    if (!existsSync(this.file)) return emptyState();
    return parseState(readFileSync(this.file, 'utf8'));
  }

  async save(state: RunState): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.file);
  }
}

/**
 * State in the Actions cache. Cache entries are immutable, so every run saves under a new key and
 * restores the newest entry by prefix. A cache outage is logged, never fails the run.
 */
export class CacheStateStore implements StateStore {
  private readonly file: FileStateStore;
  private readonly path: string;

  constructor(
    private readonly action: string,
    private readonly warn: (msg: string) => void,
    private readonly cache: typeof ActionsCache
  ) {
    this.path = join(process.env.RUNNER_TEMP ?? tmpdir(), 'a2a-ops-state', `${action}.json`);
    this.file = new FileStateStore(this.path);
  }

  private get prefix(): string {
    return `a2a-ops-state-${this.action}-`;
  }

  async load(): Promise<RunState> {
    try {
      await this.cache.restoreCache([this.path], `${this.prefix}${runKey()}`, [this.prefix]);
    } catch (e) {
      this.warn(`Could not restore state from the Actions cache (history starts empty): ${(e as Error).message}`);
    }
    return this.file.load();
  }

  async save(state: RunState): Promise<void> {
    await this.file.save(state);
    try {
      await this.cache.saveCache([this.path], `${this.prefix}${runKey()}`);
    } catch (e) {
      this.warn(`Could not save state to the Actions cache: ${(e as Error).message}`);
    }
  }
}

/**
 * The cache store on a runner that has the cache service; a file store everywhere else. The cache
 * client (and the Azure storage SDK under it) is loaded only on a runner, where it is used.
 */
export async function createStateStore(action: string, warn: (msg: string) => void): Promise<StateStore> {
  if (process.env.A2A_OPS_STATE_DIR) return new FileStateStore(join(process.env.A2A_OPS_STATE_DIR, `${action}.json`));
  if (process.env.GITHUB_ACTIONS === 'true') {
    const cache = await loadLibrary('cache');
    if (cache.isFeatureAvailable()) return new CacheStateStore(action, warn, cache);
  }
  // Not under the working directory: ncc would copy whatever state files exist there at build time into dist/.
  return new FileStateStore(join(tmpdir(), 'a2a-ops-state', `${action}.json`));
}

/** Appends a sample to a bounded series. */
export function recordSample(state: RunState, key: string, sample: Sample): void {
  const series = state.history[key] ?? [];
  series.push(sample);
  state.history[key] = series.slice(-MAX_SAMPLES);
}

function runKey(): string {
  return `${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${Date.now()}`;
}

function parseState(text: string): RunState {
  try {
    const parsed = JSON.parse(text) as Partial<RunState>;
    if (parsed.version !== 1) return emptyState();
    return { ...emptyState(), ...parsed, checks: parsed.checks ?? {}, history: parsed.history ?? {} };
  } catch {
    return emptyState();
  }
}
