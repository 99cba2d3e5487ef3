// action-host `audit` on lab host app1, run as the bundle: a real `lynis audit system --quick` through
// sudo, its report file read back (hardening index, warnings, suggestions into the summary). The state
// store is seeded with an earlier audit at index 100 and no warnings, so this audit is a drop with new
// warnings: both checks fail, an incident issue is filed for each (GitHub stand-in, checked against
// GitHub's OpenAPI description), and the trend chart shows both audits. lynis takes about two minutes here.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeDeployLab } from '../../test-support/deploy-lab.js';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { openHostLab, runHost, stateDir, type HostLab } from '../../test-support/host-lab.js';

let lab: HostLab;
let github: GitHubStandin;
let state: string;

beforeAll(async () => {
  lab = openHostLab();
  github = await startGitHubStandin();
  state = stateDir(lab);
  const earlier = new Date(Date.now() - 30 * 86_400_000).toISOString();
  writeFileSync(join(state, 'host.json'), JSON.stringify({ version: 1, checks: {}, history: { 'audit:index:app1': [{ t: earlier, v: 100 }] } }));
});
afterAll(async () => {
  await github?.close();
  closeDeployLab(lab);
});

describe('audit on a lab host', () => {
  it('reads lynis report, tracks the index, and files an issue for the drop and the new warnings', async () => {
    const before = readdirSync('/tmp').filter((n) => n.startsWith('a2a-host-audit.'));
    const run = await runHost(
      lab,
      { operation: 'audit', hosts: 'app1', issue: 'auto', 'github-token': github.token },
      {
        env: { A2A_OPS_STATE_DIR: state, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com', GITHUB_EVENT_NAME: 'schedule' },
        timeoutMs: 400_000
      }
    );
    const checks = Object.fromEntries((run.report?.checks ?? []).map((c) => [c.id, c]));
    // First, so a failed audit shows its own message.
    expect(checks['audit:index:app1']).toMatchObject({ status: 'fail', message: expect.stringMatching(/^Hardening index \d+, DOWN from 100/) });
    expect(run.exitCode).toBe(1);
    const index = Number(run.outputs['hardening-index']);
    expect(index).toBeGreaterThan(0);
    expect(index).toBeLessThan(100);
    expect(checks['audit:index:app1']).toMatchObject({ status: 'fail', value: index });
    expect(checks['audit:index:app1'].message).toMatch(new RegExp(`^Hardening index ${index}, DOWN from 100 on \\d{4}-\\d{2}-\\d{2} \\(-${100 - index}\\)$`));
    expect(checks['audit:warnings:app1'].status).toBe('fail');
    expect(checks['audit:warnings:app1'].message).toMatch(/^\d+ new warnings? since the last audit: [A-Z]+-\d+ /);
    // The summary: warnings and suggestions from the report file, and the trend of both audits.
    expect(run.summary).toMatch(new RegExp(`app1: lynis 3\\.\\d+\\.\\d+ — hardening index ${index}`));
    expect(run.summary).toMatch(/\| [A-Z]+-\d+ \| .+ \| .* \| \*\*new\*\* \|/);
    expect(run.summary).toMatch(/<summary>\d+ suggestions<\/summary>/);
    expect(run.summary).toContain('xychart-beta');
    expect(run.summary).toContain(`  line [100, ${index}]`);
    // Two failing checks, two incident issues.
    const titles = github.state.issues.map((i) => i.title);
    expect(github.state.issues).toHaveLength(2);
    expect(titles.join('\n')).toMatch(/app1/);
    expect(github.violations).toEqual([]);
    // The state store now holds both audits and this one's warnings.
    const saved = JSON.parse(readFileSync(join(state, 'host.json'), 'utf8')) as { history: Record<string, unknown[]> };
    expect(saved.history['audit:index:app1']).toHaveLength(2);
    expect(Object.keys(saved.history).filter((k) => k.startsWith('audit:warning:app1:')).length).toBeGreaterThan(0);
    // The run's report directory on the host (written by root) is gone.
    expect(readdirSync('/tmp').filter((n) => n.startsWith('a2a-host-audit.'))).toEqual(before);
  }, 420_000);
});
