// GitHub Deployments against the stand-in (every request checked against GitHub's OpenAPI description):
// one deployment per run with its states, and a token that may not write deployments never stops a run.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/index.js';
import { createGitHubClient, recordDeployment } from '../src/index.js';

const standins: GitHubStandin[] = [];
afterEach(async () => {
  while (standins.length) await standins.pop()!.close();
});

const request = {
  ref: 'a'.repeat(40),
  environment: 'production',
  description: 'rollout api v2 to app-1, app-2',
  payload: { service: 'api', version: 'v2', hosts: ['app-1', 'app-2'] },
  logUrl: 'https://github.com/a2a-world/a2a-ops/actions/runs/7',
  environmentUrl: 'https://api.a2aworld.ai/health'
};

describe('recordDeployment', () => {
  it.each(['success', 'failure'] as const)('records one deployment and its in_progress then %s status', async (end) => {
    const s = await startGitHubStandin();
    standins.push(s);
    const client = await createGitHubClient({ token: s.token, baseUrl: s.url, timeScale: 0.001 });
    const warnings: string[] = [];
    const record = await recordDeployment(client, { owner: s.owner, repo: s.repo }, request, (m) => warnings.push(m));
    await record.setState('in_progress', 'rollout of api v2 started');
    await record.setState(end, end === 'success' ? 'api v2 on 2 host(s)' : 'rollout of api v2 stopped');
    expect(warnings).toEqual([]);
    expect(s.state.deployments.map((d) => [d.id, d.environment, d.ref, d.payload])).toEqual([[record.id, 'production', request.ref, request.payload]]);
    expect(s.state.deploymentStatuses.map((x) => [x.deploymentId, x.state, x.logUrl, x.environmentUrl])).toEqual([
      [record.id, 'in_progress', request.logUrl, request.environmentUrl],
      [record.id, end, request.logUrl, request.environmentUrl]
    ]);
    expect(s.violations).toEqual([]);
  });

  it('warns and goes on without a deployment when the token is refused', async () => {
    const s = await startGitHubStandin();
    standins.push(s);
    const client = await createGitHubClient({ token: 'ghs_not-the-token', baseUrl: s.url, timeScale: 0.001 });
    const warnings: string[] = [];
    const record = await recordDeployment(client, { owner: s.owner, repo: s.repo }, request, (m) => warnings.push(m));
    await record.setState('success', 'done');
    expect(record.id).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^Recording the deployment to production: .*401/)]);
    expect(s.state.deployments).toEqual([]);
  });
});
