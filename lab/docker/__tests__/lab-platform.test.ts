// Hermetic tests of the lab platform's load probe (test-support/lab-platform.ts) against an in-process
// HTTP server: it counts what really came back, honours its bounds, and refuses non-loopback targets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeLoadBalancer, shellQuote } from '../../../test-support/lab-platform.js';

let server: http.Server;
let base = '';
let served = 0;

beforeAll(async () => {
  // Every 4th request to /mixed answers 502; /reset drops the connection without an answer;
  // /health answers JSON naming one of two replicas.
  server = http.createServer((req, res) => {
    served++;
    if (req.url === '/reset') {
      req.socket.destroy();
      return;
    }
    if (req.url === '/mixed') {
      res.statusCode = served % 4 === 0 ? 502 : 200;
      res.end(res.statusCode === 200 ? 'ok' : '<html>502 Bad Gateway</html>');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', version: 'v1', host: `replica-${served % 2}`, labHost: 'a2a-app1' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('probeLoadBalancer', () => {
  it('counts every 2xx, and attributes each JSON answer to its version and replica', async () => {
    const result = await probeLoadBalancer({ url: `${base}/health`, clients: 4, durationMs: 5_000, maxRequests: 200 });
    expect(result.total).toBe(200);
    expect(result.ok).toBe(200);
    expect(result.non2xx + result.errors).toBe(0);
    expect(result.versions).toEqual({ v1: 200 });
    expect(Object.keys(result.replicas).sort()).toEqual(['a2a-app1/replica-0', 'a2a-app1/replica-1']);
  });

  it('counts non-2xx answers separately from successes and keeps samples of them', async () => {
    served = 0;
    const result = await probeLoadBalancer({ url: `${base}/mixed`, clients: 1, durationMs: 5_000, maxRequests: 40 });
    expect(result.total).toBe(40);
    expect(result.non2xx).toBe(10);
    expect(result.ok).toBe(30);
    expect(result.statuses['502']).toBe(10);
    expect(result.failureSamples[0]).toMatchObject({ status: 502, detail: '<html>502 Bad Gateway</html>' });
  });

  it('counts a dropped connection as an error, not as an answer', async () => {
    const result = await probeLoadBalancer({ url: `${base}/reset`, clients: 2, durationMs: 5_000, maxRequests: 6 });
    expect(result.total).toBe(6);
    expect(result.errors).toBe(6);
    expect(result.ok).toBe(0);
  });

  it('stops at its time bound when maxRequests is far away', async () => {
    const result = await probeLoadBalancer({ url: `${base}/health`, clients: 2, durationMs: 300 });
    expect(result.durationMs).toBeLessThan(2_000);
    expect(result.total).toBeGreaterThan(0);
    expect(result.total).toBeLessThan(500_000);
  });

  it('stops issuing requests once its signal aborts', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const result = await probeLoadBalancer({ url: `${base}/health`, clients: 2, durationMs: 60_000, signal: stop.signal });
    expect(result.durationMs).toBeLessThan(2_000);
    expect(result.ok).toBe(result.total);
  });

  it.each([
    ['a public address', { url: 'http://93.184.216.34/health', clients: 1, durationMs: 100 }, /not an http:\/\/ loopback URL/],
    ['a hostname that is not loopback', { url: 'http://example.com/', clients: 1, durationMs: 100 }, /loopback/],
    ['https', { url: 'https://127.0.0.1/', clients: 1, durationMs: 100 }, /loopback/],
    ['too many clients', { url: 'http://127.0.0.1:1/', clients: 65, durationMs: 100 }, /clients must be an integer in 1..64/],
    ['an unbounded duration', { url: 'http://127.0.0.1:1/', clients: 1, durationMs: 10_000_000 }, /durationMs/],
  ])('refuses %s before sending anything', async (_label, options, message) => {
    const before = served;
    await expect(probeLoadBalancer(options)).rejects.toThrow(message);
    expect(served).toBe(before);
  });
});

describe('shellQuote', () => {
  it.each([
    ['/opt/a2a-world', `'/opt/a2a-world'`],
    [`it's`, `'it'\\''s'`],
    ['$(rm -rf /)', `'$(rm -rf /)'`],
  ])('quotes %s so a shell reads it back unchanged', (input, quoted) => {
    expect(shellQuote(input)).toBe(quoted);
  });
});
