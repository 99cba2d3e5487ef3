// The local runner: the committed bundle run from a terminal as a runner would run it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsScenarios, startTlsServer, type RunningServer } from '../../test-support/tls/index.js';

const CLI = join(import.meta.dirname, '..', 'a2a-ops.mjs');

function runCli(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('a2a-ops (local runner)', () => {
  let server: RunningServer;
  let caFile: string;
  let cwd: string;
  beforeAll(async () => {
    const scenarios = await createTlsScenarios();
    server = await startTlsServer(scenarios.valid);
    cwd = mkdtempSync(join(tmpdir(), 'a2a-cli-'));
    caFile = join(cwd, 'ca.pem');
    writeFileSync(caFile, scenarios.root.certPem);
  });
  afterAll(async () => server.close());

  it.each([
    { args: ['nope'], message: "unknown action 'nope' (have: backup, cost, database, deploy, health, host, incident, migrate, ssl)" },
    { args: ['ssl', '--input', 'colour=blue'], message: "action 'ssl' has no input 'colour'" },
    { args: ['ssl', '--input', 'novalue'], message: "--input takes name=value, got 'novalue'" }
  ])('refuses $args with a message and exit code 2', async ({ args, message }) => {
    const r = await runCli(args, cwd);
    expect(r.code).toBe(2);
    expect(r.out).toContain(message);
  });

  it('runs the ssl bundle, prints a terminal report and writes the Markdown summary and outputs', async () => {
    const summary = join(cwd, 'ssl.md');
    const r = await runCli(['ssl', '--input', `hosts=localhost:${server.port}`, '--input', `ca-file=${caFile}`, '--input', 'issue=off', '--summary', summary], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/TLS certificate check: OK/);
    expect(r.out).toContain('▸ Checking 1 TLS endpoint');
    expect(r.out).not.toContain('::');
    expect(r.out).toContain('Result: passed');
    expect(readFileSync(summary, 'utf8')).toContain(`localhost:${server.port}`);
    expect(readFileSync(join(cwd, '.a2a-ops', 'outputs-ssl.txt'), 'utf8')).toMatch(/^status<<.*\nok\n/m);
  });

  it('exits non-zero when the action fails, with the failure in words', async () => {
    const r = await runCli(['ssl', '--input', 'hosts=localhost:1', '--input', 'issue=off'], cwd);
    expect(r.code).toBe(1);
    expect(r.out).toContain("error: TLS certificate check: 1 check at 'fail' or worse: tls:localhost:1");
    expect(r.out).toContain('Result: failed');
  });
});
