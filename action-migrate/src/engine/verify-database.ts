// The runbook's "Verify migration" step, made strict: the recorded version (read with the runbook's own
// query) is the newest file's, every checksum matches, and no index is left INVALID.
import { openDatabaseSession, type Check } from '../../../shared/src/index.js';
import { planStatus, type MigrationStatus } from '../migrations/plan-status.js';
import type { MigrationFile } from '../migrations/read-migrations.js';
import { versionKey } from '../migrations/versions.js';
import { MIGRATE_APPLICATION_NAME, MIGRATIONS_TABLE, readAppliedOn } from './bookkeeping.js';
import { invalidIndexAdvice, listInvalidIndexes } from './invalid-indexes.js';

/** The runbook's verification query, verbatim. */
export const RUNBOOK_VERSION_QUERY = `SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version DESC LIMIT 1`;

export interface Verification {
  checks: Check[];
  status: MigrationStatus;
  /** What the runbook's query returns (null: no row or no table). */
  runbookVersion: string | null;
}

/** Verifies in one READ ONLY transaction. `expected` is the version that must be current (default: the newest file). */
export async function verifyDatabase(url: string, target: string, files: readonly MigrationFile[], opts: { timeoutMs: number; expected?: string; dir: string }): Promise<Verification> {
  const session = await openDatabaseSession(url, { mode: 'read-only', applicationName: MIGRATE_APPLICATION_NAME, connectTimeoutMs: opts.timeoutMs, statementTimeoutMs: opts.timeoutMs, lockTimeoutMs: opts.timeoutMs });
  try {
    await session.query('BEGIN READ ONLY');
    const applied = await readAppliedOn(session);
    const runbook = applied.tableExists ? ((await session.query<{ version: string }>(`SELECT version::text AS version FROM (${RUNBOOK_VERSION_QUERY}) v`)).rows[0]?.version ?? null) : null;
    const invalid = await listInvalidIndexes(session);
    const status = planStatus(files, applied.rows);
    return { checks: verificationChecks(status, runbook, invalid.map(invalidIndexAdvice), { target, expected: opts.expected ?? files.at(-1)?.version, dir: opts.dir }), status, runbookVersion: runbook };
  } finally {
    await session.close();
  }
}

/** Pure: the checks of a verification. */
export function verificationChecks(status: MigrationStatus, runbookVersion: string | null, invalid: string[], ctx: { target: string; expected?: string; dir: string }): Check[] {
  const checks: Check[] = [];
  const expected = ctx.expected;
  const ok = expected === undefined ? runbookVersion === null : runbookVersion !== null && versionKey(runbookVersion) === versionKey(expected);
  checks.push({
    id: 'migrations:version',
    kind: 'migration',
    target: ctx.target,
    status: ok ? 'ok' : 'fail',
    value: runbookVersion ?? '(none)',
    threshold: expected ?? '(no files)',
    message: ok
      ? `the runbook's query (${RUNBOOK_VERSION_QUERY}) returns ${runbookVersion ?? 'nothing'}, the newest migration in ${ctx.dir}`
      : `the runbook's query returns ${runbookVersion ?? 'nothing'}, but the newest migration in ${ctx.dir} is ${expected}` +
        (status.pending.length > 0 ? `: ${status.pending.length} pending (${status.pending.slice(0, 5).map((p) => p.file).join(', ')})` : '')
  });
  for (const e of status.changed) {
    checks.push({ id: `migration:${e.version}:checksum`, kind: 'migration', target: e.file ?? e.version, status: 'fail', message: `${e.file} was edited after it was applied: recorded checksum ${e.appliedChecksum?.slice(0, 12)}, file now ${e.checksum?.slice(0, 12)}.` });
  }
  for (const e of status.missing) {
    checks.push({ id: `migration:${e.version}:file`, kind: 'migration', target: e.version, status: 'fail', message: `version ${e.version} is applied in the database but has no file in ${ctx.dir}.` });
  }
  checks.push({
    id: 'migrations:invalid-indexes',
    kind: 'migration',
    target: ctx.target,
    status: invalid.length ? 'fail' : 'ok',
    value: invalid.length,
    message: invalid.length ? invalid.join(' ') : 'no INVALID index'
  });
  return checks;
}
