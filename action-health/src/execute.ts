// The morning check: HTTP, hosts and containers, database and NATS all at once, then freshness,
// history (kept between runs) and the response-time chart.
import {
  buildReport,
  checkDatabase,
  checkDatabaseThroughSsh,
  checkNats,
  checkNatsMonitor,
  SshPool,
  type ActionResult,
  type Check,
  type ReportSection,
  type RunContext
} from '../../shared/src/index.js';
import { evaluateFreshness } from './freshness.js';
import { renderHistoryChart } from './history-chart.js';
import { appendSamples, SERIES } from './history.js';
import { checkHosts, type HostsResult } from './hosts/check-hosts.js';
import { collectServiceLogs } from './hosts/service-logs.js';
import { checkEndpoints, httpCheckId, toHttpCheck } from './http/check-endpoints.js';
import { HEALTH_OUTPUTS } from './inputs.js';
import type { HealthInputs } from './read-inputs.js';

/** Action name and title, named once (state key, issue keys, report headline). */
export const HEALTH_ACTION = { name: 'health', title: 'Morning health check' } as const;

/** Runs every check of one health run and builds the report. */
export async function executeHealth(inputs: HealthInputs, ctx: RunContext): Promise<ActionResult> {
  const startedAt = new Date();
  const { log, state } = ctx;
  // The previous scheduled run, read before the funnel overwrites it at the end of this run.
  const freshness = evaluateFreshness(state.lastScheduledRunAt, startedAt, inputs.expectedIntervalMs);

  log.info(
    `Checking ${inputs.targets.length} endpoint(s), ${inputs.ssh?.targets.length ?? 0} host(s), ` +
      `${inputs.database ? 1 : 0} database, ${inputs.nats.length + inputs.natsMonitors.length} NATS target(s) at once.`
  );
  // One pool for the host checks and the database tunnel: one SSH connection per host per run.
  const sshParams = inputs.ssh ?? inputs.database?.route?.params;
  const pool = sshParams ? new SshPool(sshParams) : undefined;
  try {
    return await runChecks(inputs, ctx, startedAt, freshness, pool);
  } finally {
    await pool?.closeAll();
  }
}

async function runChecks(inputs: HealthInputs, ctx: RunContext, startedAt: Date, freshness: Check, pool: SshPool | undefined): Promise<ActionResult> {
  const { log, state } = ctx;
  const noHosts: HostsResult = { checks: [], containers: [] };
  const [httpResults, hosts, dbChecks, natsChecks] = await Promise.all([
    checkEndpoints(inputs.targets, inputs.http, inputs.concurrency),
    inputs.ssh && pool ? checkHosts(inputs.ssh, pool, inputs.hosts, state, (l) => log.info(l)) : Promise.resolve(noHosts),
    inputs.database ? runDatabaseChecks(inputs.database, pool) : Promise.resolve<Check[]>([]),
    Promise.all([
      ...inputs.nats.map((n) => checkNats(n, Math.min(inputs.http.timeoutMs, 10_000))),
      ...inputs.natsMonitors.map((u) => checkNatsMonitor(u, Math.min(inputs.http.timeoutMs, 10_000)))
    ])
  ]);

  const httpChecks = httpResults.map((r) => toHttpCheck(r, inputs.http));
  // A failing endpoint that belongs to a compose service gets that service's last log lines.
  if (pool && hosts.containers.length) {
    await Promise.all(
      httpChecks.map(async (check, i) => {
        const service = inputs.targets[i].service;
        if (check.status !== 'fail' || !service || inputs.hosts.logLines === 0) return;
        const logs = await collectServiceLogs(pool, hosts.containers, service, inputs.hosts.logLines, 30_000);
        if (logs) check.details = `${check.details ?? ''}\n\nLast log lines of service '${service}':\n${logs}`.trim();
      })
    );
  }
  const now = new Date();
  for (const [i, r] of httpResults.entries()) {
    const id = httpChecks[i].id;
    if (r.final.statusCode !== undefined) appendSamples(state, SERIES.latency(id), [{ t: now.toISOString(), v: r.final.latencyMs }], now);
    appendSamples(state, SERIES.up(id), [{ t: now.toISOString(), v: r.final.status === 'fail' ? 0 : 1 }], now);
  }

  const checks: Check[] = [...httpChecks, ...hosts.checks, ...dbChecks, ...natsChecks];
  const notes = [...inputs.notes];
  if (freshness.status !== 'ok') {
    notes.push(`Freshness: ${freshness.message}.`);
    // Issues show a check's details: a gap in the schedule means a failure may have begun unseen earlier.
    for (const c of checks.filter((x) => x.status === 'fail' && x.id !== freshness.id)) c.details = `${c.details ? `${c.details}\n\n` : ''}Note: ${freshness.message}.`;
  }
  if (state.lastScheduledRunAt || ctx.eventName === 'schedule') checks.push(freshness);

  const sections: ReportSection[] = [];
  const chart = renderHistoryChart(
    state,
    inputs.targets.map((t) => ({ id: httpCheckId(t), label: t.name })),
    now
  );
  if (chart) sections.push({ title: 'Response time history', markdown: chart });

  for (const c of checks.filter((x) => x.status !== 'ok')) log.warn(`${c.status.toUpperCase()} ${c.target}: ${c.message}`);
  const report = buildReport({ action: HEALTH_ACTION.name, title: HEALTH_ACTION.title, startedAt, checks, sections, notes });
  return {
    report,
    outputs: { [HEALTH_OUTPUTS.failedChecks]: checks.filter((c) => c.status === 'fail').map((c) => c.id).join(',') }
  };
}

function runDatabaseChecks(database: NonNullable<HealthInputs['database']>, pool: SshPool | undefined): Promise<Check[]> {
  const opts = { target: database.target, timeoutMs: database.timeoutMs };
  if (database.route && pool) return checkDatabaseThroughSsh(pool, database.route, database.clientConfig, database.thresholds, opts);
  return checkDatabase(database.clientConfig, database.thresholds, opts);
}
