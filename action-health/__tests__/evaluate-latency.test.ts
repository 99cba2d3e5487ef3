// Latency against the runbook's limits at their edges (500 ms target, 2 s alert), and the limits the inputs hand the HTTP checks.
import { describe, expect, it } from '@jest/globals';
import { defaultConfig, type OpsConfig } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { describeLatencyLimits, evaluateLatency } from '../src/http/evaluate-latency.js';
import { readHealthInputs } from '../src/read-inputs.js';

const t = defaultConfig().thresholds;
const runbook = { warnMs: t.latencyWarnMs, failMs: t.latencyFailMs };

describe('evaluateLatency with the default limits', () => {
  it('takes the runbook numbers as its defaults: a 500 ms target and a 2000 ms alert', () => {
    expect(runbook).toEqual({ warnMs: 500, failMs: 2000 });
  });

  it.each([
    { ms: 0, status: 'ok' },
    { ms: 499, status: 'ok' },
    { ms: 500, status: 'ok' },
    { ms: 500.5, status: 'warn' },
    { ms: 501, status: 'warn' },
    { ms: 1999, status: 'warn' },
    { ms: 2000, status: 'warn' },
    { ms: 2000.5, status: 'fail' },
    { ms: 2001, status: 'fail' }
  ])('rates a response in $ms ms as $status', ({ ms, status }) => {
    expect(evaluateLatency(ms, runbook)).toBe(status);
  });

  it('says in the summary which side of each limit is which', () => {
    expect(describeLatencyLimits(runbook)).toBe('≤ 500 ms (degraded > 500, down > 2000)');
  });
});

describe('the latency limits readHealthInputs hands the HTTP checks', () => {
  const limitsFrom = (inputs: Record<string, string>, thresholds: Partial<OpsConfig['thresholds']> = {}): unknown => {
    const env = setActionEnv({ urls: 'http://127.0.0.1:9/x', ...inputs });
    try {
      const config = defaultConfig();
      config.thresholds = { ...config.thresholds, ...thresholds };
      return readHealthInputs({ config, common: { issue: 'off', failOn: 'fail' }, eventName: 'workflow_dispatch' }).http.limits;
    } finally {
      env.restore();
    }
  };

  it.each<{ name: string; inputs: Record<string, string>; thresholds: Partial<OpsConfig['thresholds']>; limits: { warnMs: number; failMs: number } }>([
    { name: 'the runbook defaults when nothing is set', inputs: {}, thresholds: {}, limits: { warnMs: 500, failMs: 2000 } },
    { name: "the config's thresholds, each to its own limit", inputs: {}, thresholds: { latencyWarnMs: 300, latencyFailMs: 1500 }, limits: { warnMs: 300, failMs: 1500 } },
    { name: 'the inputs over the config, each to its own limit', inputs: { 'latency-warn': '250ms', 'latency-fail': '3s' }, thresholds: { latencyWarnMs: 300, latencyFailMs: 1500 }, limits: { warnMs: 250, failMs: 3000 } }
  ])('are $name', ({ inputs, thresholds, limits }) => {
    expect(limitsFrom(inputs, thresholds)).toEqual(limits);
  });
});
