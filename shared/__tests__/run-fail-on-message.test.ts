// The funnel's fail-on verdict, as the runner shows it: the ::error:: line counts and names exactly the
// checks at the fail-on level or worse (one "check", several "checks"), secrets scrubbed; a run that
// stopped says so whatever fail-on is; a run below the level prints no error at all.
import { afterEach, describe, expect, it } from '@jest/globals';
import { buildReport, clearSecretsForTest, registerSecret, runAction, type ActionDefinition, type Check } from '../src/index.js';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';

let env: ActionEnv | undefined;
afterEach(() => {
  env?.restore();
  clearSecretsForTest();
});

const check = (id: string, status: Check['status']): Check => ({ id, kind: 'http', target: id, status, message: status });
const definition = (checks: Check[]): ActionDefinition<object> => ({
  name: 'probe',
  title: 'Probe check',
  readInputs: () => ({}),
  execute: async () => ({ report: buildReport({ action: 'probe', title: 'Probe check', startedAt: new Date(), checks }) })
});
const errors = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('::error'));

describe('fail-on verdict message', () => {
  it.each([
    { failOn: 'warn', checks: [check('a', 'ok'), check('b', 'warn'), check('c', 'fail')], error: "::error::Probe check: 2 checks at 'warn' or worse: b, c" },
    { failOn: 'fail', checks: [check('a', 'ok'), check('b', 'warn'), check('c', 'fail')], error: "::error::Probe check: 1 check at 'fail' or worse: c" },
    { failOn: 'fail', checks: [check('c1', 'fail'), check('c2', 'fail')], error: "::error::Probe check: 2 checks at 'fail' or worse: c1, c2" },
    { failOn: 'warn', checks: [check('b', 'warn')], error: "::error::Probe check: 1 check at 'warn' or worse: b" }
  ])('fail-on $failOn over $checks.length checks: $error', async ({ failOn, checks, error }) => {
    env = setActionEnv({ 'fail-on': failOn, issue: 'off' });
    capturedStdout();
    await runAction(definition(checks));
    expect(errors(capturedStdout())).toEqual([error]);
    expect(process.exitCode).toBe(1);
  });

  it.each([
    { failOn: 'fail', checks: [check('a', 'ok'), check('b', 'warn')] },
    { failOn: 'never', checks: [check('c', 'fail')] },
    { failOn: 'warn', checks: [check('a', 'ok')] }
  ])('prints no error and passes below the level: fail-on $failOn', async ({ failOn, checks }) => {
    env = setActionEnv({ 'fail-on': failOn, issue: 'off' });
    capturedStdout();
    await runAction(definition(checks));
    expect(errors(capturedStdout())).toEqual([]);
    expect(process.exitCode === 1).toBe(false);
  });

  it('scrubs secrets from the check ids it names', async () => {
    registerSecret('tok-0123456789');
    env = setActionEnv({ 'fail-on': 'fail', issue: 'off' });
    capturedStdout();
    await runAction(definition([check('http:https://x.example/?t=tok-0123456789', 'fail')]));
    expect(errors(capturedStdout())).toEqual(["::error::Probe check: 1 check at 'fail' or worse: http:https://x.example/?t=***"]);
  });

  it('says a stopped run stopped, with its error scrubbed, even with fail-on never', async () => {
    registerSecret('pw-0123456789');
    env = setActionEnv({ 'fail-on': 'never', issue: 'off' });
    capturedStdout();
    await runAction({ ...definition([]), execute: async () => Promise.reject(new Error('login with pw-0123456789 refused')) });
    expect(errors(capturedStdout())).toEqual(['::error::Probe check stopped: login with *** refused']);
    expect(process.exitCode).toBe(1);
  });
});
