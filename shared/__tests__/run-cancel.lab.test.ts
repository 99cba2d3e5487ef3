// Cancellation against a real OpenSSH host: a SIGTERM mid-run releases the deploy lock held on the lab
// host (through the core's host lock over SSH) and removes the runner's temp file; the report says so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readHostsLab } from '../../test-support/lab-faults.js';
import { startFixture } from '../../test-support/run-fixture.js';

/** Runs `command` on the lab host as the test user would, through the namespace's real sshd. */
function onHost(namespace: string, command: string): string {
  return execFileSync('ip', ['netns', 'exec', namespace, 'sh', '-c', command], { encoding: 'utf8' });
}

describe('a run cancelled while it holds a lock on a real host', () => {
  it('releases the lock on the host and removes the temp file within the grace window', async () => {
    const lab = readHostsLab();
    const host = lab.hosts[0];
    const lockPath = `/tmp/a2a-cancel-${process.pid}-${Date.now()}/deploy.lock`;
    const dir = mkdtempSync(join(tmpdir(), 'cancel-lab-'));
    const ssh = JSON.stringify({ address: host.address, port: host.port, user: lab.user, keyPath: lab.privateKeyPath, fingerprint: host.fingerprint });
    const run = startFixture('cancellable-action', { A2A_FIXTURE_LOCK: lockPath, A2A_FIXTURE_TEMP: dir, A2A_FIXTURE_SSH: ssh });
    await run.printed('READY');
    expect(onHost(host.namespace, `cat ${lockPath}/holder.json`)).toContain('"purpose":"cancellation test"');

    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    const result = await run.exited;
    expect(Date.now() - signalledAt).toBeLessThan(7500);
    expect(result.code).toBe(1);
    expect(onHost(host.namespace, `test -e ${lockPath} && echo held || echo gone`).trim()).toBe('gone');
    expect(readdirSync(dir).filter((f) => f.startsWith('partial-'))).toEqual([]);
    const report = JSON.parse(result.outputs.report) as { outcome: string; checks: Array<{ id: string; message: string }> };
    expect(report.outcome).toBe('cancelled');
    expect(report.checks.find((c) => c.id === 'run')?.message).toMatch(/^Cancelled by SIGTERM after [\d.]+ s; cleaned up 3 of 3/);
  }, 60_000);
});
