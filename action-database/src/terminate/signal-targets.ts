// Signals the chosen long-running sessions the safe way: pg_cancel_backend first; after the grace period,
// pg_terminate_backend only for those still running the same query. Before each signal the target is
// re-checked in the same statement that signals it: same pid, same backend_start, same query_start, still
// in a target state. A session that finished, reconnected (a recycled pid) or started another query is
// never signalled.
import { setTimeout as sleep } from 'node:timers/promises';
import { scrubSecrets, targetStates, toError, type ActivityRow, type DatabaseSession } from '../../../shared/src/index.js';

/** What became of one target. */
export type TargetOutcome =
  /** The query ended (or the session moved on) before any signal: nothing was sent. */
  | 'ended before any signal'
  /** pg_cancel_backend was sent and the query ended within the grace period. */
  | 'cancelled'
  /** Still running after the grace period: pg_terminate_backend was sent and the backend exited. */
  | 'terminated'
  /** pg_terminate_backend was sent but the backend had not exited within its wait. */
  | 'still running'
  /** The server refused the signal (permissions) or the statement failed. */
  | 'refused';

export interface TargetResult {
  row: ActivityRow;
  outcome: TargetOutcome;
  detail?: string;
}

export interface SignalOptions {
  gracePeriodMs: number;
  includeIdleInTransaction: boolean;
  /** server_version_num: pg_terminate_backend(pid, timeout) exists from 14 on. */
  serverVersionNum: number;
  /** How long pg_terminate_backend waits for the backend to exit (14+). */
  terminateWaitMs?: number;
  /** Re-check interval while waiting out the grace period. */
  pollMs?: number;
  log: (line: string) => void;
  signal?: AbortSignal;
}

// The identity and state test, shared by the re-check and both signals.
const SAME_QUERY = `pid = $1
  AND (extract(epoch FROM backend_start) * 1000000)::bigint = $2::bigint
  AND (extract(epoch FROM query_start) * 1000000)::bigint = $3::bigint
  AND state = ANY($4::text[])`;

const CANCEL_SQL = `SELECT pg_cancel_backend(pid) AS signalled FROM pg_stat_activity WHERE ${SAME_QUERY}`;
const TERMINATE_SQL = `SELECT pg_terminate_backend(pid) AS signalled FROM pg_stat_activity WHERE ${SAME_QUERY}`;
const TERMINATE_WAIT_SQL = `SELECT pg_terminate_backend(pid, $5::bigint) AS signalled FROM pg_stat_activity WHERE ${SAME_QUERY}`;
const STILL_RUNNING_SQL = `SELECT 1 FROM pg_stat_activity WHERE ${SAME_QUERY}`;

type Sent = { kind: 'sent' } | { kind: 'gone' } | { kind: 'refused'; detail: string };

/** Cancels every target, waits out the grace period, then terminates what still runs the same query. */
export async function signalTargets(session: DatabaseSession, targets: readonly ActivityRow[], opts: SignalOptions): Promise<TargetResult[]> {
  const states = targetStates(opts);
  const params = (row: ActivityRow): unknown[] => [row.pid, row.backendStart, row.queryStart, states];
  const results = new Map<number, TargetResult>();
  const cancelled: ActivityRow[] = [];

  for (const row of targets) {
    if (opts.signal?.aborted) {
      results.set(row.pid, { row, outcome: 'still running', detail: 'the run was cancelled before any signal' });
      continue;
    }
    const sent = await send(session, CANCEL_SQL, params(row));
    if (sent.kind === 'gone') {
      results.set(row.pid, { row, outcome: 'ended before any signal' });
      opts.log(`pid ${row.pid}: ended before any signal (nothing sent)`);
    } else if (sent.kind === 'refused') {
      results.set(row.pid, { row, outcome: 'refused', detail: sent.detail });
      opts.log(`pid ${row.pid}: pg_cancel_backend refused: ${sent.detail}`);
    } else {
      cancelled.push(row);
      opts.log(`pid ${row.pid}: pg_cancel_backend sent`);
    }
  }

  // The grace period, cut short once every cancelled query has ended.
  let running = cancelled;
  const deadline = Date.now() + opts.gracePeriodMs;
  while (running.length > 0) {
    running = await stillRunning(session, running, params);
    if (running.length === 0 || Date.now() >= deadline || opts.signal?.aborted) break;
    await sleep(Math.min(opts.pollMs ?? 250, Math.max(0, deadline - Date.now())));
  }
  const stuck = new Set(running.map((r) => r.pid));
  for (const row of cancelled) if (!stuck.has(row.pid)) results.set(row.pid, { row, outcome: 'cancelled' });
  if (opts.signal?.aborted && running.length > 0) {
    // The run was cancelled during the grace period: escalating now would be a decision nobody saw through.
    for (const row of running) results.set(row.pid, { row, outcome: 'still running', detail: 'the run was cancelled before pg_terminate_backend' });
    opts.log(`run cancelled: ${running.length} target(s) still running were not terminated`);
    return targets.map((row) => results.get(row.pid) as TargetResult);
  }
  if (running.length > 0) opts.log(`${running.length} target(s) still running after the ${(opts.gracePeriodMs / 1000).toFixed(1)} s grace period: terminating`);

  const waitMs = opts.terminateWaitMs ?? 5000;
  for (const row of running) {
    const withWait = opts.serverVersionNum >= 140000;
    const sent = await send(session, withWait ? TERMINATE_WAIT_SQL : TERMINATE_SQL, withWait ? [...params(row), waitMs] : params(row));
    if (sent.kind === 'gone') {
      // It ended between the last re-check and now: the cancel did its work after all.
      results.set(row.pid, { row, outcome: 'cancelled' });
      opts.log(`pid ${row.pid}: ended just before pg_terminate_backend (nothing sent)`);
    } else if (sent.kind === 'refused') {
      results.set(row.pid, { row, outcome: 'refused', detail: sent.detail });
      opts.log(`pid ${row.pid}: pg_terminate_backend refused: ${sent.detail}`);
    } else {
      const exited = withWait ? (await stillRunning(session, [row], params)).length === 0 : true;
      results.set(row.pid, exited ? { row, outcome: 'terminated' } : { row, outcome: 'still running', detail: `the backend had not exited ${waitMs} ms after pg_terminate_backend` });
      opts.log(`pid ${row.pid}: pg_terminate_backend sent${exited ? ', backend exited' : ', backend still there'}`);
    }
  }
  return targets.map((row) => results.get(row.pid) as TargetResult);
}

async function send(session: DatabaseSession, sql: string, values: unknown[]): Promise<Sent> {
  try {
    const result = await session.query<{ signalled: boolean }>(sql, values);
    if (result.rows.length === 0) return { kind: 'gone' };
    if (result.rows[0].signalled) return { kind: 'sent' };
    return { kind: 'refused', detail: 'the server could not signal the backend (it may have just exited)' };
  } catch (err) {
    const e = err as { code?: string };
    const hint = e.code === '42501' ? ' (grant the role pg_signal_backend; superusers’ sessions can only be signalled by a superuser)' : '';
    return { kind: 'refused', detail: scrubSecrets(`${toError(err).message}${hint}`) };
  }
}

async function stillRunning(session: DatabaseSession, rows: readonly ActivityRow[], params: (row: ActivityRow) => unknown[]): Promise<ActivityRow[]> {
  const out: ActivityRow[] = [];
  for (const row of rows) {
    const r = await session.query(STILL_RUNNING_SQL, params(row));
    if (r.rows.length > 0) out.push(row);
  }
  return out;
}
