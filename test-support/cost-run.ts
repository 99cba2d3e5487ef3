// Runs action-cost's bundle as the runner does against the DigitalOcean stand-in (and, for the budget
// issue, the GitHub stand-in), with a state directory kept across runs like the Actions cache.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunState } from '../shared/src/index.js';
import type { DigitalOceanStandin } from './digitalocean-standin/index.js';
import type { GitHubStandin } from './github-standin/index.js';
import { runBundle, type BundleRun } from './run-bundle.js';

export interface CostRunOptions {
  /** Extra inputs (budget-usd, alert-percent, ...). */
  inputs?: Record<string, string>;
  github?: GitHubStandin;
  /** Kept between runs: the cost action's issue memory, and action-health's history when seeded. */
  stateDir?: string;
  /** An ops config (YAML text) written to the workspace and passed as `config`. */
  configYaml?: string;
  token?: string;
}

/** A fresh state directory, optionally holding action-health's state. */
export function costStateDir(health?: RunState): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-cost-state-'));
  if (health) writeFileSync(join(dir, 'health.json'), JSON.stringify(health));
  return dir;
}

export async function runCost(dostandin: DigitalOceanStandin, opts: CostRunOptions = {}): Promise<BundleRun> {
  const env: Record<string, string> = { A2A_OPS_STATE_DIR: opts.stateDir ?? costStateDir() };
  const inputs: Record<string, string> = {
    'do-token': opts.token ?? dostandin.token,
    'api-url': dostandin.url,
    issue: opts.github ? 'auto' : 'off',
    'fail-on': 'fail',
    ...opts.inputs
  };
  if (opts.github) {
    Object.assign(env, { GITHUB_API_URL: opts.github.url, GITHUB_REPOSITORY: `${opts.github.owner}/${opts.github.repo}`, GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.com' });
    inputs['github-token'] = opts.github.token;
  }
  if (opts.configYaml) {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-cost-config-'));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'ops.yml');
    writeFileSync(file, opts.configYaml);
    inputs.config = file;
  }
  return runBundle('cost', inputs, env, 60_000);
}
