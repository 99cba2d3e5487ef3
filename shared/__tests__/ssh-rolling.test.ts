// Fan-out over hosts: runOnHosts (all at once, bounded) and runOnHostsRolling (batch by batch, stopping at
// the first failure; hosts not started are reported as skipped and never run).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HostKeyPolicy, SshPool, describeTarget, runOnHosts, runOnHostsRolling, type HostTarget, type RollingHostOutcome } from '../src/index.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

function hosts(names: string): HostTarget[] {
  return names.split('').map((n, i) => ({ name: n, address: `10.0.0.${i + 1}`, port: 22, user: 'deploy' }));
}

const label = (name: string, all: HostTarget[]): string => describeTarget(all.find((h) => h.name === name)!);

/** A host operation that records when it ran and fails on the given hosts, with a log line either way. */
function recorder(failOn: string) {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  const fn = async (t: HostTarget, log: { add(line: string): void }): Promise<string> => {
    events.push(`start ${t.name}`);
    peak = Math.max(peak, ++running);
    log.add(`working on ${t.name}`);
    // Later hosts finish sooner: a batch must still wait for its slowest host.
    await sleep(5 + 10 * (5 - Math.min(5, events.length)));
    running--;
    events.push(`end ${t.name}`);
    if (failOn.includes(t.name)) throw new Error(`${t.name} broke`);
    return `done ${t.name}`;
  };
  return { fn, events, peak: () => peak };
}

function statusOf<T>(o: RollingHostOutcome<T>): string {
  return o.skipped ? 'skipped' : o.ok ? 'ok' : 'failed';
}

describe('runOnHostsRolling', () => {
  it.each([
    { case: 'host by host, all succeed', names: 'abc', maxParallel: 1, failOn: '', statuses: 'ok ok ok', started: 'abc', stoppedBy: '' },
    { case: 'host by host, the second fails: the third is never started', names: 'abc', maxParallel: 1, failOn: 'b', statuses: 'ok failed skipped', started: 'ab', stoppedBy: 'b' },
    { case: 'host by host, the first fails: nothing else starts', names: 'abc', maxParallel: 1, failOn: 'a', statuses: 'failed skipped skipped', started: 'a', stoppedBy: 'a' },
    { case: 'in batches of 2, a failure lets its batch partner finish', names: 'abcde', maxParallel: 2, failOn: 'a', statuses: 'failed ok skipped skipped skipped', started: 'ab', stoppedBy: 'a' },
    { case: 'in batches of 2, a failure in the second batch', names: 'abcde', maxParallel: 2, failOn: 'd', statuses: 'ok ok ok failed skipped', started: 'abcd', stoppedBy: 'd' },
    { case: 'in batches of 2, both hosts of a batch fail and both are named', names: 'abcd', maxParallel: 2, failOn: 'ab', statuses: 'failed failed skipped skipped', started: 'ab', stoppedBy: 'ab' },
    { case: 'a last, partial batch', names: 'abcde', maxParallel: 2, failOn: '', statuses: 'ok ok ok ok ok', started: 'abcde', stoppedBy: '' },
    { case: 'maxParallel above the host count: one batch, nothing to skip', names: 'abc', maxParallel: 5, failOn: 'b', statuses: 'ok failed ok', started: 'abc', stoppedBy: 'b' }
  ])('$case', async ({ names, maxParallel, failOn, statuses, started, stoppedBy }) => {
    const targets = hosts(names);
    const { fn, events, peak } = recorder(failOn);
    const outcomes = await runOnHostsRolling(targets, { maxParallel }, fn);

    expect(outcomes.map((o) => o.target.name)).toEqual(names.split(''));
    expect(outcomes.map(statusOf).join(' ')).toBe(statuses);
    // Only the hosts that should run ran, and no batch started before the previous one had finished.
    expect(events.filter((e) => e.startsWith('start')).map((e) => e.slice(6)).join('')).toBe(started);
    for (let b = maxParallel; b < started.length; b += maxParallel) {
      const firstStartOfBatch = events.indexOf(`start ${started[b]}`);
      for (const earlier of started.slice(0, b)) expect(events.indexOf(`end ${earlier}`)).toBeLessThan(firstStartOfBatch);
    }
    expect(peak()).toBe(Math.min(maxParallel, started.length));

    const reason = `not started: ${stoppedBy.split('').map((n) => label(n, targets)).join(', ')} failed`;
    for (const o of outcomes) {
      if (o.skipped) {
        expect(o).toMatchObject({ ok: false, reason, durationMs: 0 });
        expect(o.log.lines).toEqual([]);
      } else {
        // Started hosts keep their log and value or error, as runOnHosts outcomes do.
        expect(o.log.lines).toEqual([`working on ${o.target.name}`]);
        if (o.ok) expect(o.value).toBe(`done ${o.target.name}`);
        else expect(o.error.message).toBe(`${o.target.name} broke`);
      }
    }
  });

  it('returns no outcomes for no targets', async () => {
    expect(await runOnHostsRolling([], { maxParallel: 1 }, async () => 'x')).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxParallel %p before running anything', async (maxParallel) => {
    const { fn, events } = recorder('');
    await expect(runOnHostsRolling(hosts('ab'), { maxParallel }, fn)).rejects.toThrow(RangeError);
    expect(events).toEqual([]);
  });
});

describe('runOnHosts', () => {
  it.each([
    { limit: 1, peak: 1 },
    { limit: 2, peak: 2 },
    { limit: 10, peak: 4 }
  ])('runs every host with at most $limit at once and keeps going after failures', async ({ limit, peak }) => {
    const { fn, events, peak: seen } = recorder('ac');
    const outcomes = await runOnHosts(hosts('abcd'), limit, fn);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(['a broke', 'ok', 'c broke', 'ok']);
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(4);
    expect(seen()).toBe(peak);
    expect(outcomes.every((o) => o.log.lines.length === 1)).toBe(true);
  });

  it('turns a thrown non-Error into an Error that still shows what was thrown', async () => {
    const [o] = await runOnHosts(hosts('a'), 1, () => Promise.reject({ status: 'weird' }));
    expect(o.ok ? '' : o.error.message).toBe('non-Error thrown: {"status":"weird"}');
  });
});

describe('a rolling run over SSH', () => {
  let first: TestSshServer;
  let second: TestSshServer;
  beforeAll(async () => {
    first = await startSshServer();
    second = await startSshServer({ clientKey: first.clientKey });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('never connects to the host after one whose change failed', async () => {
    const pool = new SshPool({
      auth: { privateKey: first.clientKey.privateKey },
      hostKeys: HostKeyPolicy.fromInputs({ fingerprint: `${first.hostKey.fingerprint},${second.hostKey.fingerprint}` }),
      options: { connectTimeoutMs: 3000, commandTimeoutMs: 20_000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 0, connectRetryDelayMs: 100, parallel: 1 }
    });
    const targets: HostTarget[] = [
      { name: 'app1', address: first.address, port: first.port, user: first.user },
      { name: 'app2', address: second.address, port: second.port, user: second.user }
    ];
    try {
      const outcomes = await runOnHostsRolling(targets, { maxParallel: 1 }, async (t, log) => {
        const session = await pool.get(t);
        await session.execChecked('echo pulling image', { onStdout: (l) => log.add(l) });
        await session.execChecked('echo health check failed >&2; exit 4', { label: 'rollout', onStderr: (l) => log.add(l) });
      });
      expect(outcomes.map(statusOf)).toEqual(['failed', 'skipped']);
      expect(outcomes[0].log.lines).toEqual(['pulling image', 'health check failed']);
      expect(outcomes[1]).toMatchObject({ skipped: true, reason: `not started: ${describeTarget(targets[0])} failed` });
      expect(second.log.connections).toBe(0);
      expect(second.log.execs).toEqual([]);
    } finally {
      await pool.closeAll();
    }
  });
});
