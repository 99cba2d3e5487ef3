// The run funnel end to end, in process: outputs, summary, failure by fail-on, errors, secrets, state.
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigurationError, registerSecret, runAction, type ActionDefinition, type Check, buildReport } from '../src/index.js';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';

let env: ActionEnv | undefined;

async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}
afterEach(() => env?.restore());

function definition(checks: Check[], extra: Partial<ActionDefinition<{ marker: string }>> = {}): ActionDefinition<{ marker: string }> {
  return {
    name: 'probe',
    title: 'Probe check',
    readInputs: () => ({ marker: join(process.env.GITHUB_WORKSPACE ?? '', 'executed') }),
    execute: async (inputs) => {
      writeFileSync(inputs.marker, 'yes');
      return { report: buildReport({ action: 'probe', title: 'Probe check', startedAt: new Date(), checks }), outputs: { extra: 'value' } };
    },
    ...extra
  };
}

const ok: Check = { id: 'a', kind: 'http', target: 'https://a.example', status: 'ok', value: 120, unit: 'ms', message: 'answered 200' };
const warn: Check = { id: 'b', kind: 'http', target: 'https://b.example', status: 'warn', value: 900, unit: 'ms', threshold: '< 500 ms', message: 'degraded' };
const fail: Check = { id: 'c', kind: 'host', target: 'app-1:/', status: 'fail', value: 95, unit: '%', threshold: '< 90 %', message: 'disk almost full' };

describe('runAction', () => {
  it.each([
    { name: 'all ok passes', checks: [ok], failOn: 'fail', status: 'ok', failed: false },
    { name: 'a warning passes when fail-on is fail', checks: [ok, warn], failOn: 'fail', status: 'warn', failed: false },
    { name: 'a warning fails when fail-on is warn', checks: [ok, warn], failOn: 'warn', status: 'warn', failed: true },
    { name: 'a failure fails when fail-on is fail', checks: [warn, fail], failOn: 'fail', status: 'fail', failed: true },
    { name: 'a failure passes when fail-on is never', checks: [fail], failOn: 'never', status: 'fail', failed: false },
    { name: 'a failure fails when fail-on is warn (at least, not equal)', checks: [ok, fail], failOn: 'warn', status: 'fail', failed: true },
    { name: 'a warning alone passes when fail-on is never', checks: [warn], failOn: 'never', status: 'warn', failed: false }
  ])('$name', async ({ checks, failOn, status, failed }) => {
    env = setActionEnv({ 'fail-on': failOn, issue: 'off' });
    await runAction(definition(checks));
    const outputs = env.outputs();
    expect(outputs.status).toBe(status);
    expect(JSON.parse(outputs.report).checks).toHaveLength(checks.length);
    expect(outputs.extra).toBe('value');
    expect(process.exitCode === 1).toBe(failed);
  });

  it('writes one table per check kind with icons, values and thresholds to the job summary', async () => {
    env = setActionEnv({ issue: 'off' });
    await runAction(definition([ok, warn, fail]));
    const summary = env.summary();
    expect(summary).toContain('## ❌ Probe check: Failing');
    expect(summary).toContain('### HTTP endpoints');
    expect(summary).toContain('### Hosts');
    expect(summary).toContain('| ⚠️ | https://b.example | 900 ms | &lt; 500 ms | degraded |');
    expect(summary).toContain('| ❌ | app-1:/ | 95 % | &lt; 90 % | disk almost full |');
  });

  it.each([
    { name: 'an unknown fail-on value', inputs: { 'fail-on': 'sometimes' } as Record<string, string>, message: "Input 'fail-on' must be one of 'fail', 'warn', 'never'" },
    { name: 'an unknown issue mode', inputs: { issue: 'yes' }, message: "Input 'issue' must be one of 'auto', 'off'" },
    { name: 'a config file that does not exist', inputs: { config: 'nope/ops.yml' }, message: "Input 'config': no file at 'nope/ops.yml'" }
  ])('rejects $name before anything runs', async ({ inputs, message }) => {
    env = setActionEnv(inputs);
    const printed = await captureStdout(() => runAction(definition([ok])));
    expect(printed).toContain(`::error::${message}`);
    expect(process.exitCode).toBe(1);
    expect(env.outputs().status).toBe('fail');
    expect(existsSync(join(env.dir, 'executed'))).toBe(false);
    expect(env.summary()).toBe('');
  });

  it('prints a configuration error from readInputs plainly and touches nothing', async () => {
    env = setActionEnv({ issue: 'off' });
    const printed = await captureStdout(() =>
      runAction(definition([ok], { readInputs: () => { throw new ConfigurationError("Input 'urls' must list at least one URL."); } }))
    );
    expect(process.exitCode).toBe(1);
    expect(printed).toContain("::error::Input 'urls' must list at least one URL.");
    expect(printed).not.toContain('    at ');
    expect(existsSync(join(env.dir, 'executed'))).toBe(false);
  });

  it('turns an unexpected error into a failed report instead of a silent pass', async () => {
    env = setActionEnv({ issue: 'off' });
    await runAction(definition([ok], { execute: async () => { throw 'a string, not an Error'; } }));
    expect(process.exitCode).toBe(1);
    const report = JSON.parse(env.outputs().report);
    expect(report.status).toBe('fail');
    expect(report.checks[0].message).toContain('a string, not an Error');
    expect(env.summary()).toContain('The run stopped');
  });

  it('scrubs registered secrets from outputs and the summary', async () => {
    env = setActionEnv({ issue: 'off' });
    registerSecret('hunter2-very-secret');
    await runAction(definition([{ ...fail, message: 'login failed for password hunter2-very-secret' }]));
    expect(env.outputs().report).not.toContain('hunter2-very-secret');
    expect(env.summary()).not.toContain('hunter2-very-secret');
    expect(env.summary()).toContain('login failed for password ***');
  });

  it('keeps state between runs', async () => {
    env = setActionEnv({ issue: 'off' });
    const counting = definition([ok], {
      execute: async (_inputs, ctx) => {
        const runs = (ctx.state.history.runs ?? []).length;
        ctx.state.history.runs = [...(ctx.state.history.runs ?? []), { t: new Date().toISOString(), v: runs + 1 }];
        return { report: buildReport({ action: 'probe', title: 'Probe', startedAt: new Date(), checks: [{ ...ok, value: runs + 1 }] }) };
      }
    });
    await runAction(counting);
    const dir = env.dir;
    env.restore();
    env = setActionEnv({ issue: 'off' }, {}, dir);
    await runAction(counting);
    expect(JSON.parse(env.outputs().report).checks[0].value).toBe(2);
  });
});

describe('runAction for operations that change things', () => {
  const step = (id: string, status: Check['status'] = 'ok'): Check => ({ id, kind: 'deploy', target: id, status, message: `${id} ${status}` });

  it('keeps the checks recorded before a throw in the report, and fails the step even with fail-on never', async () => {
    env = setActionEnv({ issue: 'off', 'fail-on': 'never' });
    await runAction(
      definition([], {
        execute: async (_inputs, ctx) => {
          ctx.report.add(step('host:app-1'));
          ctx.report.add(step('host:app-2', 'warn'));
          throw new Error('app-3 did not answer');
        }
      })
    );
    const report = JSON.parse(env.outputs().report);
    expect(report.outcome).toBe('stopped');
    expect(report.checks.map((c: Check) => [c.id, c.status])).toEqual([
      ['host:app-1', 'ok'],
      ['host:app-2', 'warn'],
      ['run', 'fail']
    ]);
    expect(process.exitCode).toBe(1);
    expect(capturedStdout()).toContain('::error::Probe check stopped: app-3 did not answer');
    expect(env.summary()).toContain('| ✅ | host:app-1 |');
  });

  it('builds the report from the draft when execute returns none', async () => {
    env = setActionEnv({ issue: 'off' });
    await runAction(definition([], { execute: async (_inputs, ctx) => (ctx.report.add(step('a'), step('b', 'warn')), { outputs: { extra: 'x' } }) }));
    const outputs = env.outputs();
    expect([outputs.status, outputs.extra, JSON.parse(outputs.report).outcome]).toEqual(['warn', 'x', 'finished']);
  });

  it.each([
    { name: 'on success', throws: false },
    { name: 'on failure', throws: true }
  ])('runs every cleanup $name, newest first, and says so in the report', async ({ throws }) => {
    env = setActionEnv({ issue: 'off' });
    const ran: string[] = [];
    await runAction(
      definition([], {
        execute: async (_inputs, ctx) => {
          ctx.cleanups.add('release the lock', () => void ran.push('lock'));
          ctx.cleanups.add('remove the temp file', () => void ran.push('temp'));
          const done = ctx.cleanups.add('restore the env file', () => void ran.push('env'));
          done();
          ctx.report.add(step('a'));
          if (throws) throw new Error('boom');
          return {};
        }
      })
    );
    expect(ran).toEqual(['temp', 'lock']);
    expect(JSON.parse(env.outputs().report).notes).toContain('Cleaned up: remove the temp file; release the lock.');
  });

  it('reports a cleanup that fails or hangs as a failing check, and still runs the others', async () => {
    env = setActionEnv({ issue: 'off' });
    const ran: string[] = [];
    await runAction(
      definition([], {
        execute: async (_inputs, ctx) => {
          ctx.cleanups.add('release the lock', () => void ran.push('lock'));
          ctx.cleanups.add('remove the new containers', () => {
            throw new Error('docker: permission denied');
          });
          ctx.report.add(step('a'));
          return {};
        }
      })
    );
    expect(ran).toEqual(['lock']);
    const report = JSON.parse(env.outputs().report);
    expect(report.status).toBe('fail');
    expect(report.checks.find((c: Check) => c.id === 'cleanup:remove the new containers')?.message).toBe('remove the new containers: docker: permission denied');
    expect(process.exitCode).toBe(1);
  });

  it('never lets a step after execute escape: an unwritable summary is a warning, the result stands', async () => {
    env = setActionEnv({ issue: 'off' }, { GITHUB_STEP_SUMMARY: join(tmpdir(), 'no-such-dir', 'summary.md') });
    await runAction(definition([ok]));
    expect(capturedStdout()).toContain('::warning::Could not write the job summary');
    expect(env.outputs().status).toBe('ok');
    expect(process.exitCode).not.toBe(1);
  });
});
