// terminate-long-queries: the runbook's "Kill long-running queries" (Database Issues) made safe. The
// targets are chosen by the core's pure selectQueryTargets (never this session, walsenders, autovacuum or
// other background workers, other databases or superusers unless asked; longer than min-duration; at most
// max-targets), listed first, and only signalled when dry-run is off: cancel, grace period, terminate.
import {
  markdownTable,
  readActivity,
  selectQueryTargets,
  targetDurationMs,
  type ActionResult,
  type ActivityRow,
  type Check,
  type RunContext
} from '../../../shared/src/index.js';
import { openSession } from '../connect/open-session.js';
import { APPLICATION_NAMES, DATABASE_INPUTS, DATABASE_OUTPUTS, type DatabaseInputs } from '../inputs.js';
import { describeDuration, presentQuery } from '../report/present.js';
import { signalTargets, type TargetResult } from '../terminate/signal-targets.js';

/** Check ids, named once (also the incident-issue keys). */
export const TERMINATE_CHECK_IDS = { longQueries: 'database:long-queries', connection: 'database:connection' } as const;

export async function terminateLongQueries(inputs: DatabaseInputs, ctx: RunContext): Promise<ActionResult> {
  const { connection: conn, terminate: t } = inputs;
  const { session, route } = await ctx.log.group('Connect', async () => {
    const opened = await openSession(conn, t.dryRun ? 'read-only' : 'read-write', APPLICATION_NAMES['terminate-long-queries'], ctx);
    ctx.log.info(`Connected to ${conn.target} (${opened.session.mode}, application_name '${APPLICATION_NAMES['terminate-long-queries']}').`);
    if (opened.route) ctx.log.info(opened.route);
    return opened;
  });
  if (route) ctx.report.note(route);

  const head = await session.query<{ database: string; version_num: number }>(
    `SELECT current_database() AS database, current_setting('server_version_num')::int AS version_num`
  );
  const { database, version_num: versionNum } = head.rows[0];
  const selection = await ctx.log.group('Find long-running queries', async () => {
    const rows = await readActivity(session.client);
    const picked = selectQueryTargets(rows, { ...t, database, max: t.maxTargets });
    ctx.log.info(`${rows.length} backends on the server; ${picked.targets.length} target(s) in '${database}' longer than ${describeDuration(t.minDurationMs)}, ${picked.overCap.length} over the cap of ${t.maxTargets}, ${picked.excluded.length} long-running but protected.`);
    for (const row of picked.targets) ctx.log.info(`target: ${describeRow(row)}`);
    for (const row of picked.overCap) ctx.log.info(`over the cap (left alone): ${describeRow(row)}`);
    for (const ex of picked.excluded) ctx.log.info(`protected (${ex.detail}): ${describeRow(ex.row)}`);
    return picked;
  });

  const targetsSection = {
    title: t.dryRun ? 'Long-running queries (dry run: nothing signalled)' : 'Long-running queries',
    markdown: targetTable(selection.targets, selection.overCap, selection.excluded)
  };
  ctx.report.section(targetsSection);

  let results: TargetResult[] = [];
  if (!t.dryRun && selection.targets.length > 0) {
    results = await ctx.log.group('Cancel, then terminate', () =>
      signalTargets(session, selection.targets, {
        gracePeriodMs: t.gracePeriodMs,
        includeIdleInTransaction: t.includeIdleInTransaction,
        serverVersionNum: versionNum,
        log: (line) => ctx.log.info(line),
        signal: ctx.signal
      })
    );
    ctx.report.section({
      title: 'Signals sent',
      markdown: markdownTable(
        ['pid', 'User', 'Ran for', 'Outcome', 'Query'],
        results.map((r) => [r.row.pid, r.row.user ?? '?', describeDuration(targetDurationMs(r.row)), r.detail ? `${r.outcome}: ${r.detail}` : r.outcome, presentQuery(r.row.query, 120)])
      )
    });
  }

  ctx.report.add(summaryCheck(conn.target, selection.targets.length, selection.overCap.length, results, t.dryRun, t.minDurationMs));
  const count = (o: TargetResult['outcome']): string => String(results.filter((r) => r.outcome === o).length);
  return {
    outputs: {
      [DATABASE_OUTPUTS.targets]: selection.targets.map((r) => r.pid).join(','),
      [DATABASE_OUTPUTS.cancelled]: count('cancelled'),
      [DATABASE_OUTPUTS.terminated]: count('terminated')
    }
  };
}

/** The one check of the run: ok without targets; warn when they were found and dealt with (or listed); fail when one could not be. */
export function summaryCheck(target: string, found: number, overCap: number, results: readonly TargetResult[], dryRun: boolean, minDurationMs: number): Check {
  const limit = describeDuration(minDurationMs);
  const base = { id: TERMINATE_CHECK_IDS.longQueries, kind: 'database', target, value: found, unit: 'queries', threshold: `none longer than ${limit}` };
  const capNote = overCap > 0 ? `; ${overCap} more over the cap of '${DATABASE_INPUTS.maxTargets}' left alone` : '';
  if (found === 0) return { ...base, status: overCap > 0 ? 'warn' : 'ok', message: `no query has run longer than ${limit}${capNote}` };
  if (dryRun) {
    return { ...base, status: 'warn', message: `${found} quer${found === 1 ? 'y' : 'ies'} longer than ${limit} would be cancelled (dry run: set '${DATABASE_INPUTS.dryRun}: false' to signal them)${capNote}` };
  }
  const bad = results.filter((r) => r.outcome === 'refused' || r.outcome === 'still running');
  const tally = (['cancelled', 'terminated', 'ended before any signal', 'still running', 'refused'] as const)
    .map((o) => [o, results.filter((r) => r.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o}`)
    .join(', ');
  return { ...base, status: bad.length > 0 ? 'fail' : 'warn', message: `${found} quer${found === 1 ? 'y' : 'ies'} longer than ${limit}: ${tally}${capNote}` };
}

function describeRow(row: ActivityRow): string {
  return `pid ${row.pid} ${row.user ?? '?'}@${row.database ?? '-'} ${row.backendType} ${row.state ?? '-'} for ${describeDuration(targetDurationMs(row))}: ${presentQuery(row.query, 100)}`;
}

function targetTable(targets: readonly ActivityRow[], overCap: readonly ActivityRow[], excluded: ReturnType<typeof selectQueryTargets>['excluded']): string {
  const rows = [
    ...targets.map((r) => ['target', r]),
    ...overCap.map((r) => ['over the cap: left alone', r]),
    ...excluded.map((e) => [`protected: ${e.detail}`, e.row])
  ] as Array<[string, ActivityRow]>;
  if (rows.length === 0) return 'No long-running query.';
  return markdownTable(
    ['pid', 'User', 'Database', 'Backend', 'State', 'For', 'Decision', 'Query'],
    rows.map(([decision, r]) => [r.pid, r.user ?? '?', r.database ?? '-', r.backendType, r.state ?? '-', describeDuration(targetDurationMs(r)), decision, presentQuery(r.query, 120)])
  );
}
