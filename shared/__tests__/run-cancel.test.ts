// Cancellation as a runner does it: a signal mid-run releases the lock, removes the temp file and
// reports "cancelled" with the steps already done, well inside the runner's 7.5 s grace window.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseOutputFile } from '../../test-support/run-bundle.js';
import { startFixture } from '../../test-support/run-fixture.js';

describe('a cancelled run', () => {
  it.each([
    { signal: 'SIGTERM' as const, ignoresAbort: false },
    { signal: 'SIGINT' as const, ignoresAbort: false },
    { signal: 'SIGTERM' as const, ignoresAbort: true }
  ])('on $signal (work ignores the abort: $ignoresAbort) releases the lock, removes the temp file and says cancelled', async ({ signal, ignoresAbort }) => {
    const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
    const lock = join(dir, 'project', '.a2a-ops', 'deploy.lock');
    const run = startFixture('cancellable-action', { A2A_FIXTURE_LOCK: lock, A2A_FIXTURE_TEMP: dir, ...(ignoresAbort ? { A2A_FIXTURE_IGNORE_SIGNAL: '1' } : {}) });
    await run.printed('READY');
    expect(existsSync(join(lock, 'holder.json'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('partial-'))).toHaveLength(1);
    const signalledAt = Date.now();
    run.child.kill(signal);
    const result = await run.exited;
    const afterSignalMs = Date.now() - signalledAt;

    expect(result.code).toBe(1);
    expect(afterSignalMs).toBeLessThan(7500);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('partial-'))).toEqual([]);
    const report = JSON.parse(result.outputs.report) as { outcome: string; checks: Array<{ id: string; status: string; message: string }> };
    expect(report.outcome).toBe('cancelled');
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['step:1', 'ok'],
      ['run', 'fail']
    ]);
    expect(report.checks[1].message).toMatch(new RegExp(`^Cancelled by ${signal} after [\\d.]+ s; cleaned up 3 of 3`));
    expect(result.summary).toContain(`Cancelled by ${signal}`);
    expect(result.summary).toContain(`release the lock ${lock}`);
    expect(result.stdout).toContain(`::error::Cancellable fixture was cancelled (${signal})`);
  }, 60_000);

  it('killed outright (SIGKILL), leaves the lock to the post step, which releases it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
    const lock = join(dir, 'deploy.lock');
    const env = { A2A_FIXTURE_LOCK: lock, A2A_FIXTURE_TEMP: dir };
    const run = startFixture('cancellable-action', env);
    await run.printed('READY');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(existsSync(join(lock, 'holder.json'))).toBe(true);

    // The runner hands the main step's saved state to the post step as STATE_<name> variables.
    const saved = parseOutputFile(readFileSync(run.stateFile, 'utf8'));
    const stateEnv = Object.fromEntries(Object.entries(saved).map(([k, v]) => [`STATE_${k}`, v]));
    const post = await startFixture('cancellable-action', { ...env, ...stateEnv }, ['post']).exited;
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`Post: release the lock ${lock}: done`);
    expect(existsSync(lock)).toBe(false);

    const nothingLeft = await startFixture('cancellable-action', env, ['post']).exited;
    expect([nothingLeft.code, nothingLeft.stdout]).toEqual([0, expect.stringContaining('Post: nothing was left to clean up.')]);
  }, 60_000);
});
