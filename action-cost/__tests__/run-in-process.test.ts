// action-cost through the run funnel in process: every bad input fails the step with an ::error::
// naming the input before a single request reaches DigitalOcean; the clock injected into the action
// decides the snapshot age boundary end to end; the health series keys match action-health's own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, runAction } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { startDigitalOceanStandin, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/index.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';
import { SERIES } from '../../action-health/src/history.js';
import { HEALTH_STATE_NAME, HOST_SERIES } from '../src/history/host-samples.js';
import { costDefinition } from '../src/main.js';

let d: DigitalOceanStandin;
beforeAll(async () => {
  d = await startDigitalOceanStandin();
});
afterAll(async () => d.close());
afterEach(() => clearSecretsForTest());

async function run(inputs: Record<string, string>, now?: Date) {
  const env = setActionEnv({ 'do-token': d.token, 'api-url': d.url, issue: 'off', ...inputs });
  capturedStdout();
  const before = d.requests.length;
  try {
    await runAction(costDefinition(now ? { now: () => now } : undefined));
    const printed = capturedStdout();
    return { printed, errors: printed.split('\n').filter((l) => l.startsWith('::error::')), exitCode: process.exitCode, outputs: env.outputs(), summary: env.summary(), requests: d.requests.length - before };
  } finally {
    env.restore();
    process.exitCode = undefined;
  }
}

describe('input refusals, before any request', () => {
  it.each([
    ['no token', { 'do-token': '' }, "Input 'do-token' is required: a DigitalOcean token with read scopes"],
    ['a budget with letters', { 'budget-usd': 'lots' }, "Input 'budget-usd' must be an amount in US dollars such as '150' or '150.50', got 'lots'"],
    ['a negative budget', { 'budget-usd': '-5' }, "Input 'budget-usd' must be an amount in US dollars"],
    ['a zero budget', { 'budget-usd': '0' }, "Input 'budget-usd' is 0: give the month's budget in dollars"],
    ['a negative alert percentage', { 'alert-percent': '-10' }, "Input 'alert-percent' must be a percentage above 0"],
    ['an alert percentage that is a word', { 'alert-percent': 'high' }, "Input 'alert-percent' must be a percentage above 0 such as '20' (or 'off'), got 'high'"],
    ['a snapshot age of 0 days', { 'snapshot-age-days': '0' }, "Input 'snapshot-age-days'"],
    ['a snapshot age that is not a number', { 'snapshot-age-days': 'ninety' }, "Input 'snapshot-age-days' must be a whole number"],
    ['a right-size window beyond the 31 days health keeps', { 'right-size-days': '60' }, "Input 'right-size-days'"],
    ['an API URL that is not a URL', { 'api-url': 'api.digitalocean' }, "Input 'api-url' is not a URL"],
    ['an API URL on another protocol', { 'api-url': 'file:///etc/passwd' }, "Input 'api-url' must be an http(s) URL"],
    ['an API URL with credentials in it', { 'api-url': 'https://user:pw@api.digitalocean.com' }, "Input 'api-url' must not carry credentials"]
  ])('%s', async (_name, inputs, error) => {
    const r = await run(inputs);
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(error);
    expect(r.requests).toBe(0);
    expect(r.outputs.status).toBe('fail');
  });

  it('runs with valid inputs, for contrast (so zero requests above means refused first)', async () => {
    const r = await run({ 'budget-usd': '$1000.50', 'alert-percent': '25%' });
    expect(r.exitCode).toBeUndefined();
    expect(r.requests).toBeGreaterThan(10);
    expect(r.summary).toContain('≤ $1000.50 budget, ≤ +25 % vs last month');
  });
});

describe('the clock, injected', () => {
  // The stand-in's oldest snapshots were taken 2025-04-01T12:00:00Z (app-1) and 12:05 (app-2).
  it.each([
    ['exactly 100 days after app-1\'s snapshot: neither is older than 100 days', '2025-07-10T12:00:00Z', []],
    ['one second later: app-1\'s is, app-2\'s (5 minutes younger) is not', '2025-07-10T12:00:01Z', ['app-1 before-upgrade 2025-04']],
    ['ten minutes later: both are', '2025-07-10T12:10:00Z', ['app-1 before-upgrade 2025-04', 'app-2 before-upgrade 2025-04']]
  ])('%s', async (_name, now, expected) => {
    const r = await run({ 'snapshot-age-days': '100', 'alert-percent': 'off' }, new Date(now));
    const candidates = [...r.summary.matchAll(/^\| snapshot \| ([^|]+) \|/gm)].map((m) => m[1].trim());
    expect(candidates).toEqual(expected);
  });
});

describe('action-health\'s history', () => {
  it('is read under the name and series keys action-health writes', () => {
    expect(HEALTH_STATE_NAME).toBe('health');
    expect([HOST_SERIES.cpu('app-1'), HOST_SERIES.memory('app-1')]).toEqual([SERIES.cpu('app-1'), SERIES.memory('app-1')]);
  });
});
