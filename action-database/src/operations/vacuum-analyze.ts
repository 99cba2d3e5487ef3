// vacuum-analyze: the runbook's "Optimize database" (`VACUUM ANALYZE;`) table by table, with a progress
// line and the time of each, under a short lock_timeout so it never queues behind the application's locks
// (a table it cannot lock is skipped, not failed), and not at all while a backup or another VACUUM runs.
import { markdownTable, openDatabaseSession, readActivity, type ActionResult, type Check, type DatabaseSession, type DatabaseTarget, type RunContext } from '../../../shared/src/index.js';
import { openSession } from '../connect/open-session.js';
import { APPLICATION_NAMES, DATABASE_OUTPUTS, type DatabaseInputs } from '../inputs.js';
import { describeDuration, formatBytes } from '../report/present.js';
import { findBlockingActivity, type BlockingActivity } from '../vacuum/blocking-activity.js';
import { listTables, pickTables } from '../vacuum/list-tables.js';
import { vacuumTable, type VacuumResult } from '../vacuum/vacuum-table.js';

/** Check ids, named once (also the incident-issue keys). */
export const VACUUM_CHECK_IDS = {
  run: 'database:vacuum-analyze',
  table: (schema: string, table: string) => `database:vacuum:${schema}.${table}`
} as const;

export async function vacuumAnalyze(inputs: DatabaseInputs, ctx: RunContext): Promise<ActionResult> {
  const conn = inputs.connection;
  const { session, route, target } = await ctx.log.group('Connect', async () => {
    const opened = await openSession(conn, 'read-write', APPLICATION_NAMES['vacuum-analyze'], ctx);
    ctx.log.info(`Connected to ${conn.target} (lock_timeout ${describeDuration(conn.lockTimeoutMs)}, statement_timeout ${describeDuration(conn.statementTimeoutMs)} per table).`);
    if (opened.route) ctx.log.info(opened.route);
    return opened;
  });
  if (route) ctx.report.note(route);

  const blocking = await blockingNow(session);
  if (blocking.length > 0) {
    ctx.report.add(skippedRunCheck(conn.target, blocking, 0));
    for (const b of blocking) ctx.log.warn(`Not vacuuming: ${b.why}.`);
    return { outputs: { [DATABASE_OUTPUTS.vacuumed]: '0', [DATABASE_OUTPUTS.skipped]: 'all' } };
  }

  const { tables, missing } = pickTables(await listTables(session), inputs.tables);
  for (const name of missing) {
    ctx.report.add({ id: `database:vacuum:${name}`, kind: 'database', target: conn.target, status: 'fail', message: `no table '${name}' in this database (input 'tables')` });
  }

  const self = await ownIdentity(session);
  const results: VacuumResult[] = [];
  let stoppedBy: BlockingActivity[] = [];
  await ctx.log.group(`VACUUM (ANALYZE) of ${tables.length} table(s)`, async () => {
    for (const [i, table] of tables.entries()) {
      if (ctx.signal.aborted) break;
      // A backup may have started since the last table: the rest waits for another run.
      if (i > 0) stoppedBy = await blockingNow(session);
      if (stoppedBy.length > 0) break;
      // If the run is cancelled mid-table, the VACUUM must not go on holding its lock after the runner has gone.
      const forget = ctx.cleanups.add(`cancel the VACUUM of ${table.schema}.${table.table}`, () => cancelOwnVacuum(target, self, conn.connectTimeoutMs));
      const result = await vacuumTable(session, table);
      forget();
      results.push(result);
      ctx.log.info(progressLine(i + 1, tables.length, result));
      ctx.report.add(tableCheck(conn.target, result));
    }
  });

  const left = tables.length - results.length;
  if (stoppedBy.length > 0) ctx.report.add(skippedRunCheck(conn.target, stoppedBy, results.length, left));
  else ctx.report.add(runCheck(conn.target, results));
  if (results.length > 0) {
    ctx.report.section({
      title: 'VACUUM ANALYZE',
      markdown: markdownTable(
        ['Table', { title: 'Size', align: 'right' }, { title: 'Dead rows before', align: 'right' }, 'Outcome', { title: 'Time', align: 'right' }],
        results.map((r) => [`${r.table.schema}.${r.table.table}`, formatBytes(r.table.totalBytes), r.table.deadRows, r.detail ? `${r.outcome}: ${r.detail}` : r.outcome, describeDuration(r.durationMs)])
      )
    });
  }
  const n = (o: VacuumResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  return { outputs: { [DATABASE_OUTPUTS.vacuumed]: String(n('vacuumed')), [DATABASE_OUTPUTS.skipped]: String(n('skipped') + left) } };
}

/** This session's pid and backend_start (microseconds, text): what a cancel from a second session must match. */
async function ownIdentity(session: DatabaseSession): Promise<{ pid: number; backendStart: string }> {
  const r = await session.query<{ pid: number; backend_start: string }>(
    `SELECT pid, (extract(epoch FROM backend_start) * 1000000)::bigint::text AS backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()`
  );
  return { pid: r.rows[0].pid, backendStart: r.rows[0].backend_start };
}

/** From a second session: cancels this run's own VACUUM, if that very backend is still running one. */
async function cancelOwnVacuum(target: DatabaseTarget, self: { pid: number; backendStart: string }, connectTimeoutMs: number): Promise<void> {
  const other = await openDatabaseSession(target, { mode: 'read-write', applicationName: `${APPLICATION_NAMES['vacuum-analyze']} (cancel)`, connectTimeoutMs, statementTimeoutMs: 10_000 });
  try {
    await other.query(
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
       WHERE pid = $1 AND (extract(epoch FROM backend_start) * 1000000)::bigint = $2::bigint AND state = 'active' AND query ILIKE 'VACUUM%'`,
      [self.pid, self.backendStart]
    );
  } finally {
    await other.close();
  }
}

async function blockingNow(session: DatabaseSession): Promise<BlockingActivity[]> {
  return findBlockingActivity(await readActivity(session.client));
}

/** `[3/12] public.patterns (24 MB, 1200 dead rows): vacuumed in 1.2 s`. */
export function progressLine(n: number, of: number, r: VacuumResult): string {
  const what = `${r.table.schema}.${r.table.table} (${formatBytes(r.table.totalBytes)}, ${r.table.deadRows} dead rows)`;
  const outcome = r.outcome === 'vacuumed' ? 'vacuumed and analyzed' : `${r.outcome}${r.detail ? ` (${r.detail})` : ''}`;
  return `[${n}/${of}] ${what}: ${outcome} in ${describeDuration(r.durationMs)}`;
}

/** The check of one table: vacuumed ok, skipped (the application holds it) a warning, anything else a failure. */
export function tableCheck(target: string, r: VacuumResult): Check {
  const name = `${r.table.schema}.${r.table.table}`;
  return {
    id: VACUUM_CHECK_IDS.table(r.table.schema, r.table.table),
    kind: 'database',
    target,
    // A table the application holds is skipped by design: a warning to look at, not a failure.
    status: r.outcome === 'vacuumed' ? 'ok' : r.outcome === 'skipped' ? 'warn' : 'fail',
    value: r.durationMs,
    unit: 'ms',
    message: r.outcome === 'vacuumed' ? `${name} vacuumed and analyzed in ${describeDuration(r.durationMs)}` : `${name} ${r.outcome}: ${r.detail ?? ''}`.trim()
  };
}

/** The check of the whole run: the worst of its tables, with the counts. */
export function runCheck(target: string, results: readonly VacuumResult[]): Check {
  const count = (o: VacuumResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  const total = results.reduce((s, r) => s + r.durationMs, 0);
  return {
    id: VACUUM_CHECK_IDS.run,
    kind: 'database',
    target,
    status: count('failed') > 0 ? 'fail' : count('skipped') > 0 ? 'warn' : 'ok',
    value: results.length,
    unit: 'tables',
    message: `${count('vacuumed')} of ${results.length} table(s) vacuumed and analyzed in ${describeDuration(total)}${count('skipped') ? `, ${count('skipped')} skipped` : ''}${count('failed') ? `, ${count('failed')} failed` : ''}`
  };
}

/** The run's check when a backup or another VACUUM stopped it, before the first table (`left` absent) or midway. */
export function skippedRunCheck(target: string, blocking: readonly BlockingActivity[], done: number, left?: number): Check {
  const what = blocking.some((b) => b.kind === 'backup') ? 'a backup is running' : 'another VACUUM is running';
  return {
    id: VACUUM_CHECK_IDS.run,
    kind: 'database',
    target,
    status: 'warn',
    value: done,
    unit: 'tables',
    message: left === undefined ? `skipped: ${what} (${blocking.map((b) => b.why).join('; ')}); run it again once it has finished` : `stopped after ${done} table(s), ${left} left: ${what} (${blocking.map((b) => b.why).join('; ')})`
  };
}
