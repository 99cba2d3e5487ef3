// The whole action through the run funnel, as the runner runs it: inputs in, outputs and summary out.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';
import { createTlsScenarios, startHangingServer, startTlsServer, type RunningServer, type TlsScenarioSet } from '../../test-support/tls/index.js';
import { run } from '../src/main.js';

let scenarios: TlsScenarioSet;
let valid: RunningServer;
let expiring: RunningServer;
let hanging: RunningServer;
let env: ActionEnv | undefined;

beforeAll(async () => {
  scenarios = await createTlsScenarios();
  valid = await startTlsServer(scenarios.valid);
  expiring = await startTlsServer(scenarios.expiring);
  hanging = await startHangingServer();
});
afterAll(async () => Promise.all([valid.close(), expiring.close(), hanging.close()]));
afterEach(() => {
  env?.restore();
  env = undefined;
});

function withCa(inputs: Record<string, string>): Record<string, string> {
  const e = setActionEnv({});
  const caFile = join(e.dir, 'ca.pem');
  writeFileSync(caFile, scenarios.root.certPem);
  e.restore();
  return { 'ca-file': caFile, issue: 'off', ...inputs };
}

/** What `fn` printed to stdout (where @actions/core writes `::error::` lines). */
async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

describe('action-ssl check', () => {
  it('warns on the 10-day certificate, sets min-days-left and writes the sorted table to the summary', async () => {
    env = setActionEnv(withCa({ hosts: `127.0.0.1:${valid.port}\n127.0.0.1:${expiring.port}` }));
    await run();
    const outputs = env.outputs();
    expect(outputs.status).toBe('warn');
    expect(Number(outputs['min-days-left'])).toBeGreaterThan(9);
    expect(Number(outputs['min-days-left'])).toBeLessThanOrEqual(10);
    const summary = env.summary();
    expect(summary).toContain('Certificates by days left');
    expect(summary.indexOf(`127.0.0.1:${expiring.port}`)).toBeLessThan(summary.indexOf(`127.0.0.1:${valid.port}`));
    expect(process.exitCode).not.toBe(1);
  });

  it('fails the step with fail-on warn', async () => {
    env = setActionEnv(withCa({ hosts: `127.0.0.1:${expiring.port}`, 'fail-on': 'warn' }));
    await run();
    expect(env.outputs().status).toBe('warn');
    expect(process.exitCode).toBe(1);
  });

  it('fails a hanging port within timeout', async () => {
    env = setActionEnv({ hosts: `127.0.0.1:${hanging.port}`, timeout: '300ms', issue: 'off' });
    const started = Date.now();
    await run();
    expect(env.outputs().status).toBe('fail');
    expect(JSON.parse(env.outputs().report).checks[0].message).toBe('no TLS handshake within 300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each([
    [{ hosts: 'a2aworld.ai;id' }, "Input 'hosts'"],
    [{ hosts: 'localhost', 'tls-warn-days': '5', 'tls-fail-days': '10' }, "Input 'tls-fail-days' (10) must not exceed 'tls-warn-days' (5)"],
    [{ hosts: 'localhost', 'ca-file': '/nonexistent/ca.pem' }, "Input 'ca-file': cannot read"],
    [{ hosts: 'localhost', timeout: 'soon' }, "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms'"],
    [{ hosts: 'localhost', timeout: '10m' }, "Input 'timeout' must be between 100ms and 5m"],
    [{ hosts: 'localhost', 'tls-warn-percent': '10', 'tls-fail-percent': '20' }, "Input 'tls-fail-percent' (20) must not exceed 'tls-warn-percent' (10)"],
    [{ hosts: 'localhost', operation: 'delete' }, "Input 'operation' must be one of 'check', 'renew'"]
  ])('rejects %j with a ConfigurationError naming %s', async (inputs, message) => {
    env = setActionEnv({ issue: 'off', ...inputs });
    const printed = await captureStdout(run);
    expect(env.outputs().status).toBe('fail');
    expect(env.outputs().report).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(printed).toContain(`::error::${message}`);
  });
});
