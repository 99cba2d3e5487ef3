// The health action against the lab's HTTP endpoint server and its real nats-server: every endpoint
// behaviour, NATS up through both probes, and a NATS server going down.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readLabPart } from '../../test-support/lab.js';
import { run } from '../src/main.js';
import { cleanupRuns, reportOf, runInProcess } from './support/run-in-process.js';
import { freePort } from '../../test-support/free-port.js';

interface HttpLab {
  url: string;
}
interface NatsLab {
  url: string;
  monitorUrl: string;
  binary: string;
}

let web: HttpLab;
let nats: NatsLab;
beforeAll(() => {
  web = readLabPart<HttpLab>('http');
  nats = readLabPart<NatsLab>('nats');
});
afterAll(() => cleanupRuns());

const fast = { retries: '1', 'retry-delays': '100ms', timeout: '1500ms', 'fail-on': 'never' };

describe('lab HTTP endpoints', () => {
  it('classifies healthy, slow, 5xx, hanging, redirect-loop and off-host endpoints', async () => {
    const paths = ['/healthy', '/slow', '/status/500', '/hang', '/loop/a', '/off-host', '/redirect/3'];
    const started = Date.now();
    const r = await runInProcess(run, { urls: paths.map((p) => `${web.url}${p}`).join('\n'), ...fast });
    const byPath = Object.fromEntries(reportOf(r).checks.map((c) => [new URL(c.id.slice(5)).pathname, c]));
    expect(Object.fromEntries(Object.entries(byPath).map(([p, c]) => [p, c.status]))).toEqual({
      '/healthy': 'ok',
      '/slow': 'warn',
      '/status/500': 'fail',
      '/hang': 'fail',
      '/loop/a': 'fail',
      '/off-host': 'fail',
      '/redirect/3': 'ok'
    });
    expect(byPath['/hang'].message).toBe('down after 2 attempts: no answer within 1500 ms');
    expect(byPath['/status/500'].message).toBe('down after 2 attempts: answered 500, expected 2xx');
    expect(byPath['/slow'].message).toMatch(/^degraded: 200 in \d+ ms \(target 500 ms\)$/);
    // All at once: the hanging endpoint's two attempts (1.5 s each + 100 ms) bound the run, not the sum.
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('absorbs a blip with a retry and reports the endpoint up', async () => {
    const r = await runInProcess(run, { urls: `${web.url}/flaky/lab-${process.pid}-${Date.now()}?fail=1`, ...fast });
    const [check] = reportOf(r).checks;
    expect([check.status, check.message]).toEqual(['ok', expect.stringMatching(/recovered on attempt 2/)]);
  });
});

describe('lab NATS', () => {
  it('passes the real NATS server through its INFO greeting and its /healthz', async () => {
    const r = await runInProcess(run, { 'nats-url': nats.url, 'nats-monitor-url': nats.monitorUrl, ...fast });
    const checks = reportOf(r).checks;
    expect(checks.map((c) => [c.kind, c.status])).toEqual([
      ['nats', 'ok'],
      ['nats', 'ok']
    ]);
    expect(checks[0].message).toMatch(/^answers: NATS \d+\.\d+\.\d+/);
    expect(r.summary).toContain('nats://127.0.0.1');
  });

  it('fails NATS when the server goes down', async () => {
    // Our own nats-server, so stopping it never disturbs the lab's.
    const port = await freePort();
    const monitor = await freePort();
    const child: ChildProcess = spawn(nats.binary, ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)], { stdio: 'ignore' });
    try {
      const inputs = { 'nats-url': `nats://127.0.0.1:${port}`, 'nats-monitor-url': `http://127.0.0.1:${monitor}/healthz`, ...fast };
      let up = await runInProcess(run, inputs);
      for (let i = 0; i < 50 && reportOf(up).status !== 'ok'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        up = await runInProcess(run, inputs);
      }
      expect(reportOf(up).status).toBe('ok');
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      const down = await runInProcess(run, inputs);
      expect(reportOf(down).checks.map((c) => [c.status, c.message])).toEqual([
        ['fail', 'down: connection refused: NATS is not listening'],
        ['fail', 'healthz down: connection refused']
      ]);
      expect(down.outputs['failed-checks']).toBe(`nats:127.0.0.1:${port},nats-monitor:http://127.0.0.1:${monitor}/healthz`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
