// The budget issue's lifecycle, the bundle run three times as scheduled runs would run it, with the
// state kept between runs and the GitHub stand-in (checked against GitHub's OpenAPI description): a
// breach opens one issue, the next breach adds none, the next run under budget closes it; a run that
// was never over budget posts nothing at all.
import { afterEach, describe, expect, it } from '@jest/globals';
import { a2aWorldFixtures, startDigitalOceanStandin, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/index.js';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/standin.js';
import { costStateDir, runCost } from '../../test-support/cost-run.js';

let d: DigitalOceanStandin | undefined;
let gh: GitHubStandin | undefined;
afterEach(async () => {
  await Promise.all([d?.close(), gh?.close()]);
  d = undefined;
  gh = undefined;
});

describe('the budget issue', () => {
  it('opens one issue on a breach, adds none on the next breach, and closes it when back under', async () => {
    d = await startDigitalOceanStandin();
    gh = await startGitHubStandin();
    const stateDir = costStateDir();
    const over = { 'budget-usd': '100', 'alert-percent': 'off' };

    const first = await runCost(d, { github: gh, stateDir, inputs: over });
    expect(first.exitCode).toBe(0);
    expect(first.outputs.status).toBe('warn');
    expect(gh.state.issues).toHaveLength(1);
    const issue = gh.state.issues[0];
    expect(issue.state).toBe('open');
    expect(issue.body).toMatch(/over the \$100\.00 budget by \$\d+\.\d\d/);
    expect(first.stdout).toContain(`Incident issues: opened #${issue.number}`);

    const second = await runCost(d, { github: gh, stateDir, inputs: over });
    expect(second.exitCode).toBe(0);
    expect(second.outputs.status).toBe('warn');
    expect(gh.state.issues).toHaveLength(1);
    expect(gh.state.issues[0].state).toBe('open');

    const under = await runCost(d, { github: gh, stateDir, inputs: { 'budget-usd': '1000', 'alert-percent': 'off' } });
    expect(under.exitCode).toBe(0);
    expect(under.outputs.status).toBe('ok');
    expect(gh.state.issues).toHaveLength(1);
    expect(gh.state.issues[0].state).toBe('closed');
    expect(under.stdout).toContain(`closed #${issue.number}`);
    expect(gh.violations).toEqual([]);
    expect(d.violations).toEqual([]);
  });

  it('opens the same one issue for a jump over alert-percent against last month, and fails the step with fail-on: warn', async () => {
    d = await startDigitalOceanStandin();
    gh = await startGitHubStandin();
    // The stand-in's account is projected well above November's $104.20 invoice.
    const r = await runCost(d, { github: gh, inputs: { 'alert-percent': '10', 'fail-on': 'warn' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/::error::DigitalOcean cost report: 1 check at 'warn' or worse: cost:budget/);
    expect(gh.state.issues).toHaveLength(1);
    expect(gh.state.issues[0].body).toMatch(/above last month's \$104\.20 \(alert above 10 %\)/);
  });

  it('keeps the report\'s result when the GitHub token cannot write issues, and says so in a warning', async () => {
    d = await startDigitalOceanStandin();
    gh = await startGitHubStandin({ permissions: 'read' });
    const r = await runCost(d, { github: gh, inputs: { 'budget-usd': '100', 'alert-percent': 'off' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('warn');
    expect(r.stdout).toMatch(/::warning::Incident issues: .*(permission|not accessible|issues: write)/i);
    expect(gh.state.issues).toHaveLength(0);
  });

  it('posts nothing when the month is within budget and the change is small', async () => {
    // The last second of November with $110.00 used: projected $110.00, +5.6 % on October's $104.20.
    d = await startDigitalOceanStandin({ fixtures: a2aWorldFixtures(new Date('2026-11-30T23:59:59Z')) });
    d.data.balance.month_to_date_usage = '110.00';
    gh = await startGitHubStandin();
    const r = await runCost(d, { github: gh, inputs: { 'budget-usd': '150', 'alert-percent': '20' } });
    expect(r.outputs['projected-usd']).toBe('110.00');
    expect(r.summary).toContain('+5.6 % vs last month (alert above 20 %)');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('ok');
    expect(gh.state.issues).toHaveLength(0);
    expect(gh.state.comments).toHaveLength(0);
    expect(gh.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
