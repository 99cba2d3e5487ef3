// The committed bundles, run from a copy of the repository that holds only dist/ folders (as a runner
// downloads it, without node_modules): each run loads just the libraries it uses, from the one copy in
// shared/dist/libraries. A library a run must not need is deleted from the copy: the run still passes.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { startHttpEndpoints, type HttpEndpoints } from '../../test-support/http-endpoints.js';
import { runBundle } from '../../test-support/run-bundle.js';

const ROOT = join(import.meta.dirname, '..', '..');
let web: HttpEndpoints;
let github: GitHubStandin;

/** A copy of the repository's bundles with some shared libraries removed (undici: all but its on-first-use stand-ins). */
function bundlesWithout(...libraries: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const action of ['action-health', 'action-deploy']) cpSync(join(ROOT, action, 'dist'), join(dir, action, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'shared', 'dist'), join(dir, 'shared', 'dist'), { recursive: true });
  for (const lib of libraries) {
    const path = join(dir, 'shared', 'dist', 'libraries', lib === 'undici' ? 'undici/index.cjs' : lib);
    expect(existsSync(path)).toBe(true);
    rmSync(path, { recursive: true });
  }
  return dir;
}

beforeAll(async () => {
  web = await startHttpEndpoints();
  github = await startGitHubStandin();
});
afterAll(async () => {
  await web?.close();
  await github?.close();
});

describe('bundles load only what a run uses', () => {
  it('an HTTP-only health run needs none of ssh2, pg, the cache client, Octokit or undici', async () => {
    const root = bundlesWithout('ssh2', 'pg', 'cache', 'github', 'undici');
    const run = await runBundle('health', { urls: `${web.url}/healthy`, issue: 'off' }, {}, 60_000, root);
    expect([run.exitCode, run.outputs.status]).toEqual([0, 'ok']);
    expect(run.report?.checks.map((c) => c.status)).toEqual(['ok']);
  });

  it('a failing run files its incident issue with Octokit and undici from the shared copy', async () => {
    const root = bundlesWithout('ssh2', 'pg', 'cache');
    const url = `${web.url}/status/503`;
    const run = await runBundle(
      'health',
      { urls: url, retries: '0', 'github-token': github.token },
      { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com' },
      60_000,
      root
    );
    expect([run.exitCode, run.outputs.status]).toEqual([1, 'fail']);
    expect(run.stdout).toMatch(/Incident issues: opened #\d+/);
    expect(github.state.issues.filter((i) => (i.body ?? '').includes(url)).map((i) => i.state)).toEqual(['open']);
    expect(github.violations).toEqual([]);
  });

  it('on a runner, state goes through the cache client from the shared copy (an unreachable cache only warns)', async () => {
    const root = bundlesWithout('ssh2', 'pg');
    const run = await runBundle(
      'health',
      { urls: `${web.url}/healthy`, issue: 'off' },
      {
        GITHUB_ACTIONS: 'true',
        A2A_OPS_STATE_DIR: '',
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/',
        ACTIONS_CACHE_URL: 'http://127.0.0.1:1/',
        ACTIONS_RUNTIME_TOKEN: 'x.eyJzY3AiOiJBY3Rpb25zLlJlc3VsdHM6MTox In0.y'
      },
      60_000,
      root
    );
    expect([run.exitCode, run.outputs.status]).toEqual([0, 'ok']);
    expect(run.stdout).toMatch(/::warning::(Failed to restore|Could not restore)/);
  });

  it('a deploy refused at its inputs loads no library at all (not even ssh2)', async () => {
    const root = bundlesWithout('ssh2', 'pg', 'cache', 'github', 'undici');
    const run = await runBundle('deploy', { issue: 'off' }, {}, 60_000, root);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("::error::Input 'service' is required for operation 'rollout'");
  });
});
