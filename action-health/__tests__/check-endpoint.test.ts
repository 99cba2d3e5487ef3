// HTTP checks against the in-process endpoint server: every outcome the runbook's curl would see, and the ones it would hide.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHttpEndpoints, type HttpEndpoints } from '../../test-support/http-endpoints.js';
import { checkEndpoint, type HttpCheckOptions } from '../src/http/check-endpoint.js';
import { checkEndpoints, toHttpCheck } from '../src/http/check-endpoints.js';
import type { HttpTarget } from '../src/http/targets.js';

let server: HttpEndpoints;
beforeAll(async () => {
  server = await startHttpEndpoints({ slowMs: 300 });
});
afterAll(async () => {
  await server.close();
});

const opts: HttpCheckOptions = { timeoutMs: 1500, retries: 0, retryDelaysMs: [20], maxRedirects: 5, limits: { warnMs: 200, failMs: 1000 } };
const target = (path: string, extra: Partial<HttpTarget> = {}): HttpTarget => ({
  name: path,
  url: `${server.url}${path}`,
  method: 'GET',
  expectStatus: [],
  expectHeaders: {},
  headers: {},
  ...extra
});

describe('checkEndpoint', () => {
  it.each([
    ['a healthy endpoint is up', '/healthy', {}, 'ok', /^up: 200 in \d+ ms$/],
    ['an endpoint slower than the target is degraded', '/slow', {}, 'warn', /^degraded: 200 in \d+ ms \(target 200 ms\)$/],
    ['a 500 is down', '/status/500', {}, 'fail', /^down: answered 500, expected 2xx$/],
    ['an endpoint that never answers is down after the timeout', '/hang', { timeoutMs: 300 }, 'fail', /^down: no answer within 300 ms$/],
    ['a short redirect chain is followed', '/redirect/2', {}, 'ok', /^up: 200 in \d+ ms, 2 redirects$/],
    ['a chain longer than the limit is down', '/redirect/7', {}, 'fail', /^down: more than 5 redirects/],
    ['a redirect loop is down', '/loop/a', {}, 'fail', /^down: redirect loop: \/loop\/b → \/loop\/a$/],
    ['an off-host redirect is reported and not followed', '/off-host', {}, 'fail', /^down: redirects off-host to http:\/\/elsewhere\.invalid \(301\); not followed$/]
  ])('%s', async (_name, path, extraOpts, status, message) => {
    const o = { ...opts, ...extraOpts };
    const result = await checkEndpoint(target(path), o);
    const check = toHttpCheck(result, o);
    expect(check.status).toBe(status);
    expect(check.message).toMatch(message);
  });

  it('reports a response slower than the alert threshold as down with its latency', async () => {
    const result = await checkEndpoint(target('/slow?ms=1100'), { ...opts, timeoutMs: 3000 });
    expect(result.final.status).toBe('fail');
    expect(result.final.latencyMs).toBeGreaterThanOrEqual(1100);
    expect(result.final.statusCode).toBe(200);
  });

  it('bounds a hanging endpoint by the timeout, not by the server', async () => {
    const t0 = Date.now();
    await checkEndpoint(target('/hang'), { ...opts, timeoutMs: 250 });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('retries a failing endpoint and reports it up when a retry succeeds', async () => {
    const result = await checkEndpoint(target('/flaky/once?fail=1'), { ...opts, retries: 2 });
    expect(result.attempts.map((a) => a.statusCode)).toEqual([503, 200]);
    expect(toHttpCheck(result, opts).message).toMatch(/recovered on attempt 2/);
    expect(server.hits('/flaky/once')).toBe(2);
  });

  it('declares an endpoint down only after every retry failed, waiting the backoff between', async () => {
    const t0 = Date.now();
    const result = await checkEndpoint(target('/flaky/thrice?fail=3'), { ...opts, retries: 2, retryDelaysMs: [100, 200] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(result.final.status).toBe('fail');
    expect(server.hits('/flaky/thrice')).toBe(3);
    expect(toHttpCheck(result, opts).message).toBe('down after 3 attempts: answered 503, expected 2xx');
  });

  it.each([
    ['an expected status that matches', { expectStatus: [500] }, '/status/500', 'ok'],
    ['a body that contains the text', { expectBody: '"status":"ok"' }, '/healthy', 'ok'],
    ['a body that lacks the text', { expectBody: 'ready' }, '/healthy', 'fail'],
    ['a header with the expected value', { expectHeaders: { 'x-service': 'a2a-api' } }, '/healthy', 'ok'],
    ['a missing header', { expectHeaders: { 'x-version': '' } }, '/healthy', 'fail'],
    ['a header with another value', { expectHeaders: { 'content-type': 'text/html' } }, '/healthy', 'fail']
  ])('checks %s', async (_name, extra, path, status) => {
    const result = await checkEndpoint(target(path, extra), opts);
    expect(result.final.status).toBe(status);
  });

  it('sends the configured request headers', async () => {
    const result = await checkEndpoint(target('/echo-headers', { headers: { authorization: 'Bearer t0ken-value' }, expectBody: 't0ken-value' }), opts);
    expect(result.final.status).toBe('ok');
  });

  it('reports a refused connection plainly', async () => {
    const closed = await startHttpEndpoints();
    await closed.close();
    const result = await checkEndpoint({ ...target('/'), url: `${closed.url}/healthy` }, opts);
    expect(result.final.problem).toBe('connection refused');
  });
});

describe('checkEndpoints', () => {
  it('checks endpoints concurrently: 20 endpoints of 150 ms take about as long as one', async () => {
    const targets = Array.from({ length: 20 }, (_, i) => target(`/slow?ms=150&i=${i}`));
    const t0 = performance.now();
    const results = await checkEndpoints(targets, { ...opts, limits: { warnMs: 500, failMs: 2000 } }, 100);
    const wall = performance.now() - t0;
    expect(results.map((r) => r.final.status)).toEqual(targets.map(() => 'ok'));
    expect(results.map((r) => r.target.url)).toEqual(targets.map((t) => t.url));
    expect(wall).toBeLessThan(150 * 4);
  });

  it('never runs more requests at once than the concurrency allows', async () => {
    const targets = Array.from({ length: 6 }, (_, i) => target(`/slow?ms=100&j=${i}`));
    const t0 = performance.now();
    await checkEndpoints(targets, { ...opts, limits: { warnMs: 500, failMs: 2000 } }, 2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
