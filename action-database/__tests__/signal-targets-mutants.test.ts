// Mutation-testing table for terminate/signal-targets.ts (issue 14): the outcome of each target (ended before
// any signal, cancelled, terminated, still running, refused), the grace period and its early end, the
// terminate with a wait on 14+ and without before, a run cancelled before or during the grace period, and
// the log lines. The session is a stand-in at the edge: a scripted server that answers the re-check and
// both signals by pid, and records the parameters it was sent.
import { describe, expect, it } from '@jest/globals';
import type { ActivityRow, DatabaseSession } from '../../shared/src/index.js';
import { signalTargets, type SignalOptions, type TargetResult } from '../src/terminate/signal-targets.js';

/** How one backend reacts. */
interface Backend {
  /** Gone before the cancel (the query ended): the cancel matches no row. */
  goneBefore?: boolean;
  /** The cancel: sent (true), refused by the server (false), or raises this error. */
  cancel?: boolean | (Error & { code?: string });
  /** Re-checks it still answers after a cancel (0: it ends at once; Infinity: it never does). */
  runsFor?: number;
  /** Gone just before the terminate. */
  goneBeforeTerminate?: boolean;
  /** The terminate: sent (true), refused (false), or raises this error. */
  terminate?: boolean | (Error & { code?: string });
  /** Still there after a terminate was sent. */
  survivesTerminate?: boolean;
}

function stand(backends: Record<number, Backend>): { session: DatabaseSession; calls: string[] } {
  const calls: string[] = [];
  const alive = new Map<number, boolean>(Object.entries(backends).map(([pid, b]) => [Number(pid), !b.goneBefore]));
  const checks = new Map<number, number>();
  const reply = (pid: number, signal: boolean | (Error & { code?: string }) | undefined): { rows: Array<{ signalled: boolean }> } => {
    if (signal instanceof Error) throw signal;
    return { rows: [{ signalled: signal ?? true }] };
  };
  const session = {
    query: async (text: string, values: unknown[]) => {
      const pid = values[0] as number;
      const b = backends[pid];
      const kind = text.startsWith('SELECT pg_cancel_backend') ? 'cancel' : text.startsWith('SELECT pg_terminate_backend') ? 'terminate' : 'check';
      calls.push(`${kind} ${JSON.stringify(values)}`);
      if (kind === 'cancel') return alive.get(pid) ? reply(pid, b.cancel) : { rows: [] };
      if (kind === 'terminate') {
        if (b.goneBeforeTerminate) alive.set(pid, false);
        if (!alive.get(pid)) return { rows: [] };
        const r = reply(pid, b.terminate);
        if (r.rows[0].signalled && !b.survivesTerminate) alive.set(pid, false);
        return r;
      }
      const n = (checks.get(pid) ?? 0) + 1;
      checks.set(pid, n);
      if (alive.get(pid) && !b.goneBeforeTerminate && b.terminate === undefined && !b.survivesTerminate && n > (b.runsFor ?? 0)) alive.set(pid, false);
      return { rows: alive.get(pid) ? [{ '?column?': 1 }] : [] };
    }
  } as unknown as DatabaseSession;
  return { session, calls };
}

const row = (pid: number): ActivityRow => ({
  pid,
  database: 'a2a_world',
  user: 'a2a_user',
  applicationName: 'api',
  backendType: 'client backend',
  state: 'active',
  backendStart: `${pid}000`,
  queryStart: `${pid}001`,
  queryMs: 600_000,
  stateMs: 600_000,
  superuser: false,
  own: false,
  waitEvent: null,
  query: 'SELECT pg_sleep(3600)'
});

async function run(backends: Record<number, Backend>, opts: Partial<SignalOptions> = {}): Promise<{ said: string[]; log: string[]; calls: string[]; results: TargetResult[] }> {
  const { session, calls } = stand(backends);
  const log: string[] = [];
  const pids = Object.keys(backends).map(Number);
  const results = await signalTargets(session, pids.map(row), { gracePeriodMs: 0, includeIdleInTransaction: false, serverVersionNum: 160000, pollMs: 1, log: (l) => log.push(l), ...opts });
  return { said: results.map((r) => `${r.row.pid} ${r.outcome}${r.detail ? `: ${r.detail}` : ''}`), log, calls, results };
}

const denied = Object.assign(new Error('permission denied to cancel query'), { code: '42501' });

describe('signalTargets: outcomes', () => {
  it.each<[string, Backend, string, string[]]>([
    ['ended before the cancel: nothing sent', { goneBefore: true }, '1 ended before any signal', ['pid 1: ended before any signal (nothing sent)']],
    ['the cancel works', { runsFor: 0 }, '1 cancelled', ['pid 1: pg_cancel_backend sent']],
    [
      'the cancel refused by the server',
      { cancel: false },
      '1 refused: the server could not signal the backend (it may have just exited)',
      ['pid 1: pg_cancel_backend refused: the server could not signal the backend (it may have just exited)']
    ],
    [
      'the cancel denied: the grant is named',
      { cancel: denied },
      '1 refused: permission denied to cancel query (grant the role pg_signal_backend; superusers’ sessions can only be signalled by a superuser)',
      ['pid 1: pg_cancel_backend refused: permission denied to cancel query (grant the role pg_signal_backend; superusers’ sessions can only be signalled by a superuser)']
    ],
    ['the cancel fails otherwise: no grant hint', { cancel: Object.assign(new Error('server closed the connection'), { code: '08006' }) }, '1 refused: server closed the connection', ['pid 1: pg_cancel_backend refused: server closed the connection']],
    [
      'still running after the grace period: terminated',
      { terminate: true },
      '1 terminated',
      ['pid 1: pg_cancel_backend sent', '1 target(s) still running after the 0.0 s grace period: terminating', 'pid 1: pg_terminate_backend sent, backend exited']
    ],
    [
      'ended just before the terminate: cancelled after all',
      { goneBeforeTerminate: true },
      '1 cancelled',
      ['pid 1: pg_cancel_backend sent', '1 target(s) still running after the 0.0 s grace period: terminating', 'pid 1: ended just before pg_terminate_backend (nothing sent)']
    ],
    [
      'the terminate refused',
      { terminate: false },
      '1 refused: the server could not signal the backend (it may have just exited)',
      ['pid 1: pg_cancel_backend sent', '1 target(s) still running after the 0.0 s grace period: terminating', 'pid 1: pg_terminate_backend refused: the server could not signal the backend (it may have just exited)']
    ],
    [
      'the backend outlives the terminate’s wait',
      { terminate: true, survivesTerminate: true },
      '1 still running: the backend had not exited 5000 ms after pg_terminate_backend',
      ['pid 1: pg_cancel_backend sent', '1 target(s) still running after the 0.0 s grace period: terminating', 'pid 1: pg_terminate_backend sent, backend still there']
    ]
  ])('%s', async (_name, backend, said, log) => {
    const out = await run({ 1: backend });
    expect(out.said).toEqual([said]);
    expect(out.log).toEqual(log);
  });

  it('keeps the targets’ order and reports each', async () => {
    const out = await run({ 3: { runsFor: 0 }, 1: { goneBefore: true }, 2: { terminate: true } });
    expect(out.said).toEqual(['1 ended before any signal', '2 terminated', '3 cancelled']);
    expect(out.results.map((r) => r.row.pid)).toEqual([1, 2, 3]);
  });
});

describe('signalTargets: what it sends', () => {
  it('checks and signals by pid, backend_start, query_start and the target states, terminating with a wait on 14+', async () => {
    const out = await run({ 7: { terminate: true } }, { serverVersionNum: 140000, terminateWaitMs: 2000 });
    const p = '[7,"7000","7001",["active"]';
    expect(out.calls).toEqual([`cancel ${p}]`, `check ${p}]`, `terminate ${p},2000]`, `check ${p}]`]);
  });

  it('terminates without a wait, and trusts the signal, before 14', async () => {
    const out = await run({ 7: { terminate: true, survivesTerminate: true } }, { serverVersionNum: 139999, includeIdleInTransaction: true });
    const p = '[7,"7000","7001",["active","idle in transaction","idle in transaction (aborted)"]';
    expect(out.calls).toEqual([`cancel ${p}]`, `check ${p}]`, `terminate ${p}]`]);
    expect(out.said).toEqual(['7 terminated']);
  });

  it('names its own wait in the outcome', async () => {
    const out = await run({ 1: { terminate: true, survivesTerminate: true } }, { terminateWaitMs: 1500 });
    expect(out.said).toEqual(['1 still running: the backend had not exited 1500 ms after pg_terminate_backend']);
  });
});

describe('signalTargets: the grace period', () => {
  it('waits while the cancelled query still runs, polling, and ends the wait once it has ended', async () => {
    const started = Date.now();
    const out = await run({ 1: { runsFor: 3 } }, { gracePeriodMs: 5000, pollMs: 5 });
    expect(out.said).toEqual(['1 cancelled']);
    expect(out.calls.filter((c) => c.startsWith('check')).length).toBe(4);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('re-checks only the ones still running', async () => {
    const out = await run({ 1: { runsFor: 0 }, 2: { runsFor: 2 } }, { gracePeriodMs: 5000, pollMs: 1 });
    expect(out.said).toEqual(['1 cancelled', '2 cancelled']);
    expect(out.calls.filter((c) => c.startsWith('check [1,')).length).toBe(1);
    expect(out.calls.filter((c) => c.startsWith('check [2,')).length).toBe(3);
  });

  it('polls every 250 ms by default, and never past the deadline', async () => {
    const started = Date.now();
    const out = await run({ 1: { terminate: true } }, { gracePeriodMs: 400, pollMs: undefined });
    const took = Date.now() - started;
    expect(out.said).toEqual(['1 terminated']);
    // Checks at 0, 250 and 400 ms (the last sleep cut to the deadline), then one after the terminate.
    expect(out.calls.filter((c) => c.startsWith('check')).length).toBe(4);
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(5000);
  });

  it('ends the grace period at once when the last query ends, without another poll interval', async () => {
    const started = Date.now();
    const out = await run({ 1: { runsFor: 0 } }, { gracePeriodMs: 10_000, pollMs: 3000 });
    expect(out.said).toEqual(['1 cancelled']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('never sleeps past the end of the grace period, however long the poll interval', async () => {
    const started = Date.now();
    const out = await run({ 1: { terminate: true } }, { gracePeriodMs: 100, pollMs: 5000 });
    const took = Date.now() - started;
    expect(out.said).toEqual(['1 terminated']);
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(2500);
  });

  it('polls at the interval it is given', async () => {
    const out = await run({ 1: { terminate: true } }, { gracePeriodMs: 300, pollMs: 1 });
    expect(out.said).toEqual(['1 terminated']);
    // Every millisecond or so for 300 ms: far more than the 3 checks of a 250 ms interval.
    expect(out.calls.filter((c) => c.startsWith('check')).length).toBeGreaterThan(6);
  });

  it('says the grace period in seconds', async () => {
    const out = await run({ 1: { terminate: true } }, { gracePeriodMs: 30, pollMs: 10 });
    expect(out.log).toContain('1 target(s) still running after the 0.0 s grace period: terminating');
  });
});

describe('signalTargets: a cancelled run', () => {
  it('signals nothing once the run is cancelled before the first signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = await run({ 1: {}, 2: {} }, { signal: ac.signal });
    expect(out.said).toEqual(['1 still running: the run was cancelled before any signal', '2 still running: the run was cancelled before any signal']);
    expect(out.calls).toEqual([]);
    expect(out.log).toEqual([]);
  });

  it('stops signalling midway through the cancels', async () => {
    const ac = new AbortController();
    const { session, calls } = stand({ 1: { runsFor: 0 }, 2: {} });
    const results = await signalTargets(session, [row(1), row(2)], {
      gracePeriodMs: 0,
      includeIdleInTransaction: false,
      serverVersionNum: 160000,
      log: () => ac.abort(),
      signal: ac.signal
    });
    expect(results.map((r) => `${r.row.pid} ${r.outcome}`)).toEqual(['1 cancelled', '2 still running']);
    expect(calls.filter((c) => c.startsWith('cancel')).length).toBe(1);
  });

  it('never escalates when cancelled during the grace period', async () => {
    const ac = new AbortController();
    const log: string[] = [];
    const { session, calls } = stand({ 1: { terminate: true }, 2: { runsFor: 0 } });
    const results = await signalTargets(session, [row(1), row(2)], {
      gracePeriodMs: 60_000,
      pollMs: 1,
      includeIdleInTransaction: false,
      serverVersionNum: 160000,
      log: (l) => {
        log.push(l);
        if (l === 'pid 2: pg_cancel_backend sent') ac.abort();
      },
      signal: ac.signal
    });
    expect(results.map((r) => `${r.row.pid} ${r.outcome}${r.detail ? `: ${r.detail}` : ''}`)).toEqual(['1 still running: the run was cancelled before pg_terminate_backend', '2 cancelled']);
    expect(calls.some((c) => c.startsWith('terminate'))).toBe(false);
    expect(log.at(-1)).toBe('run cancelled: 1 target(s) still running were not terminated');
  });

  it('reports the cancelled ones as cancelled when the run is cancelled after every query ended', async () => {
    const ac = new AbortController();
    const log: string[] = [];
    const { session } = stand({ 1: { runsFor: 0 } });
    const results = await signalTargets(session, [row(1)], {
      gracePeriodMs: 60_000,
      includeIdleInTransaction: false,
      serverVersionNum: 160000,
      log: (l) => {
        log.push(l);
        ac.abort();
      },
      signal: ac.signal
    });
    expect(results.map((r) => r.outcome)).toEqual(['cancelled']);
    expect(log).toEqual(['pid 1: pg_cancel_backend sent']);
  });
});
