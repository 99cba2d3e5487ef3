// The committed bundle (dist/index.js and dist/workers/tls-handshake.js) run as the runner runs it: enough
// endpoints that the handshakes are spread over worker threads, the certificate facts intact on the way back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsScenarios, startTlsServer, type RunningServer, type TlsScenarioSet } from '../../test-support/tls/index.js';
import { runBundle } from '../../test-support/run-bundle.js';

const COUNT = 56;
let scenarios: TlsScenarioSet;
let servers: RunningServer[] = [];
let dir: string;
let caFile: string;

beforeAll(async () => {
  scenarios = await createTlsScenarios();
  // Every fifth endpoint serves the 10-day certificate, so the report shows facts from every thread's share.
  servers = await Promise.all(Array.from({ length: COUNT }, (_, i) => startTlsServer(i % 5 === 4 ? scenarios.expiring : scenarios.valid)));
  dir = mkdtempSync(join(tmpdir(), 'a2a-ssl-bundle-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, scenarios.root.certPem);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the ssl bundle', () => {
  it(`checks ${COUNT} endpoints over worker threads and reports every certificate as one thread would`, async () => {
    const hosts = servers.map((s) => `localhost:${s.port}=127.0.0.1`).join('\n');
    const r = await runBundle('ssl', { hosts, 'ca-file': caFile, issue: 'off', 'fail-on': 'never' });
    expect(r.stderr).toBe('');
    expect([r.exitCode, r.outputs.status]).toEqual([0, 'warn']);
    // @actions/core prints debug lines always; the runner shows them only with debug logging on.
    const plan = /::debug::TLS (\d+) handshakes (.*)/.exec(r.stdout);
    expect(plan?.[1]).toBe(String(COUNT));
    expect(plan?.[2]).toMatch(availableParallelism() >= 2 ? /^over \d+ threads on \d+ cores/ : /^in this thread: 1 core/);
    const checks = r.report?.checks ?? [];
    expect(checks).toHaveLength(COUNT);
    const byPort = new Map(checks.map((c) => [Number(/:(\d+)=/.exec(c.id)?.[1]), c]));
    expect(servers.map((s) => byPort.get(s.port)?.status)).toEqual(servers.map((_, i) => (i % 5 === 4 ? 'warn' : 'ok')));
    // Days left and lifetime come from the certificate's own dates, whichever thread made the handshake.
    for (const c of checks) expect(c.message).toMatch(/^(valid, |renew soon: )\d+\.\d days left \(\d+% of \d+\.\d days\), until \d{4}-/);
    expect(Number(r.outputs['min-days-left'])).toBeGreaterThan(9);
    expect(Number(r.outputs['min-days-left'])).toBeLessThanOrEqual(10);
    expect(r.summary).toContain('Certificates by days left');
  });
});
