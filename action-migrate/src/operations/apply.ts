// `apply`: the runbook's "Database Migrations" section end to end. The migration lock first (on the
// session that applies), then the state re-read under it, every refusal before anything changes, the
// backup, each pending migration in its own transaction with its schema_migrations row, and the
// runbook's verification query at the end.
import { markdownTable, type ActionResult, type Check, type DatabaseBackupResult, type RunContext } from '../../../shared/src/index.js';
import { reachDatabase } from '../connection/reach-database.js';
import { takeMigrationLock, releaseMigrationLock } from '../engine/advisory-lock.js';
import { applyMigrations, MigrationFailedError, type AppliedOutcome } from '../engine/apply-migrations.js';
import { ensureMigrationsTable, readAppliedOn, rerecordChecksum } from '../engine/bookkeeping.js';
import { invalidIndexAdvice, listInvalidIndexes } from '../engine/invalid-indexes.js';
import { RUNBOOK_VERSION_QUERY } from '../engine/verify-database.js';
import type { MigrateInputs } from '../inputs.js';
import { decideApply, type ApplyDecision } from '../migrations/decide-apply.js';
import { planStatus } from '../migrations/plan-status.js';
import type { MigrationFile } from '../migrations/read-migrations.js';
import { versionKey } from '../migrations/versions.js';
import { statusOutputs } from '../report/report-status.js';
import { backUpFirst, openApplySession, readFolder } from './common.js';

/** Back-off of lock_timeout retries: 1 s, 2 s, 4 s ... (jittered), at most 30 s each. */
export const LOCK_RETRY_BACKOFF = { baseMs: 1000, maxMs: 30_000 } as const;

const KIND = 'migration';

export async function apply(inputs: MigrateInputs, ctx: RunContext, backoff: { baseMs: number; maxMs: number } = LOCK_RETRY_BACKOFF): Promise<ActionResult> {
  const files = await readFolder(inputs, ctx);
  const db = await reachDatabase(inputs, ctx);
  const session = await openApplySession(db.url, db.target, inputs, ctx);

  await ctx.log.group('Taking the migration lock', async () => {
    const { waitedMs } = await takeMigrationLock(session, inputs.lockWaitMs, ctx.signal);
    ctx.log.info(`Migration lock held by this session${waitedMs > 500 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ''}.`);
  });

  // Read under the lock: a run that held it before us may have applied some of what we saw pending.
  const applied = await readAppliedOn(session);
  const decision = decideApply(files, applied, { target: inputs.targetVersion, allowChanged: inputs.allowChanged, dir: inputs.migrationsDirInput });
  reportDecision(decision, ctx, db.target);
  if (decision.blockers.length > 0) {
    for (const b of decision.blockers) ctx.report.add({ id: b.id, kind: KIND, target: b.target, status: 'fail', message: b.message });
    ctx.report.note('Nothing was applied and no backup was taken: fix what the failing checks name, then run again.');
    await releaseMigrationLock(session).catch(() => undefined);
    return { outputs: statusOutputs(decision.status) };
  }
  const before = await listInvalidIndexes(session);
  for (const index of before) {
    ctx.report.add({ id: `migrations:invalid-index:${index.name}`, kind: KIND, target: index.table, status: 'warn', message: `before this run: ${invalidIndexAdvice(index)}` });
  }

  if (decision.toApply.length === 0 && decision.acceptedEdits.length === 0) {
    ctx.report.add(upToDateCheck(decision, db.target));
    ctx.report.note('Nothing to apply, so no backup was taken.');
    await releaseMigrationLock(session).catch(() => undefined);
    return { outputs: statusOutputs(decision.status) };
  }

  const backup = await backUpFirst(db.url, inputs, ctx, session);

  await session.query('BEGIN');
  const tableChanges = await ensureMigrationsTable(session, applied);
  for (const edit of decision.acceptedEdits) await rerecordChecksum(session, edit.rowVersion, edit.entry.checksum!);
  await session.query('COMMIT');
  if (tableChanges.length) ctx.log.info(`schema_migrations: ${tableChanges.join(', ')}.`);
  for (const edit of decision.acceptedEdits) {
    ctx.report.add({
      id: `migration:${edit.entry.version}:checksum`,
      kind: KIND,
      target: edit.entry.file ?? edit.entry.version,
      status: 'ok',
      message: `${edit.entry.file} was edited after it was applied; allow-changed '${edit.by}' accepted it and its checksum is re-recorded as ${edit.entry.checksum?.slice(0, 12)} (its SQL was not run again).`
    });
  }

  let outcomes: AppliedOutcome[] = [];
  let failure: MigrationFailedError | undefined;
  await ctx.log.group(`Applying ${decision.toApply.length} migration${decision.toApply.length === 1 ? '' : 's'} to ${db.target}`, async () => {
    try {
      outcomes = await applyMigrations(session, decision.toApply, {
        retry: { attempts: inputs.lockRetries + 1, ...backoff },
        signal: ctx.signal,
        info: (m) => ctx.log.info(m),
        warn: (m) => ctx.log.warn(m)
      });
    } catch (error) {
      if (!(error instanceof MigrationFailedError)) throw error;
      failure = error;
      outcomes = error.applied;
    }
  });

  ctx.report.section({ title: 'Applied in this run', markdown: appliedTable(decision.toApply, outcomes, failure) });
  if (failure) {
    const f = failure;
    const version = decision.toApply.find((m) => m.file === f.file)?.version ?? f.file;
    ctx.report.add({ id: `migration:${version}:apply`, kind: KIND, target: f.file, status: 'fail', message: f.message });
    for (const index of f.invalidIndexes) ctx.report.add({ id: `migrations:invalid-index:${index.name}`, kind: KIND, target: index.table, status: 'fail', message: invalidIndexAdvice(index) });
    if (backup) ctx.report.note(`The backup taken before this run: ${backup.path} (restore: see README, "Undo by hand").`);
    if (f.connectionLost) return { outputs: statusOutputs(decision.status, { backup }) };
  }

  const after = await readAppliedOn(session);
  const finalStatus = planStatus(files, after.rows);
  if (!failure) ctx.report.add(await runbookCheck(session, decision, outcomes, db.target, backup));
  await releaseMigrationLock(session).catch(() => undefined);
  return { outputs: statusOutputs(finalStatus, { backup }) };
}

function reportDecision(decision: ApplyDecision, ctx: RunContext, target: string): void {
  const d = decision;
  ctx.log.info(
    `${d.status.applied.length} applied (current ${d.status.current ?? 'none'}), ${d.toApply.length} to apply${d.heldBack.length ? `, ${d.heldBack.length} above the target held back` : ''} on ${target}.`
  );
  if (d.heldBack.length) ctx.report.note(`${d.heldBack.length} pending migration${d.heldBack.length === 1 ? '' : 's'} above the target left for later: ${d.heldBack.map((m) => m.file).join(', ')}.`);
  if (d.unusedAllowances.length) ctx.report.note(`allow-changed entries that matched no edited migration (remove them): ${d.unusedAllowances.join(', ')}.`);
  if (d.status.unverified.length) ctx.report.note(`${d.status.unverified.length} applied migration(s) have no recorded checksum and cannot be checked for edits.`);
}

function upToDateCheck(decision: ApplyDecision, target: string): Check {
  return {
    id: 'migrations:apply',
    kind: KIND,
    target,
    status: 'ok',
    value: 0,
    unit: 'applied',
    message: decision.status.current ? `nothing to apply: up to date at version ${decision.status.current}` : 'nothing to apply: the folder has no migrations'
  };
}

/** The runbook's own verification query, run on the applying session after the last commit. */
async function runbookCheck(
  session: Awaited<ReturnType<typeof openApplySession>>,
  decision: ApplyDecision,
  outcomes: AppliedOutcome[],
  target: string,
  backup: DatabaseBackupResult | undefined
): Promise<Check> {
  const got = (await session.query<{ version: string }>(`SELECT version::text AS version FROM (${RUNBOOK_VERSION_QUERY}) v`)).rows[0]?.version ?? null;
  const expected = outcomes.at(-1)?.version ?? decision.status.current;
  const ok = got !== null && expected !== null && versionKey(got) === versionKey(expected);
  const total = outcomes.reduce((n, o) => n + o.durationMs, 0);
  return {
    id: 'migrations:apply',
    kind: KIND,
    target,
    status: ok ? 'ok' : 'fail',
    value: outcomes.length,
    unit: 'applied',
    message: ok
      ? `applied ${outcomes.length} migration${outcomes.length === 1 ? '' : 's'} in ${total} ms; the runbook's query now returns ${got}${backup ? '; backup taken first' : ''}`
      : `applied ${outcomes.length}, but the runbook's query (${RUNBOOK_VERSION_QUERY}) returns ${got ?? 'nothing'} instead of ${expected}`
  };
}

function appliedTable(planned: readonly MigrationFile[], outcomes: AppliedOutcome[], failure: MigrationFailedError | undefined): string {
  const done = new Map(outcomes.map((o) => [o.file, o]));
  const rows = planned.map((m) => {
    const o = done.get(m.file);
    const state = o ? '✅ applied' : failure?.file === m.file ? (failure.rolledBack ? '❌ failed, rolled back' : '❌ failed, partly applied') : '⏭️ not run';
    return [m.version, m.file, state, o ? `${o.durationMs} ms` : '', o ? (o.transactional ? 'yes' : 'no') : m.noTransaction ? 'no' : 'yes', o && o.attempts > 1 ? String(o.attempts) : ''];
  });
  return markdownTable(['Version', 'File', 'Result', 'Duration', 'Transaction', 'Attempts'], rows);
}
