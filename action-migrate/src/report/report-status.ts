// Pure: turns a migration status into report checks, a Markdown table, notes and the action's outputs.
import { markdownTable, type Check, type DatabaseBackupResult, type ReportSection } from '../../../shared/src/index.js';
import { MIGRATE_OUTPUTS } from '../inputs.js';
import type { MigrationEntry, MigrationStatus } from '../migrations/plan-status.js';
import { MIGRATIONS_TABLE } from '../engine/bookkeeping.js';

/** What the status operation reports. */
export interface StatusReportParts {
  checks: Check[];
  sections: ReportSection[];
  notes: string[];
  outputs: Record<string, string>;
}

const KIND = 'migration';

/**
 * One failing check per edited or vanished applied migration (their ids are stable issue keys), one
 * `migrations:pending` check (warn while anything is pending), a table of every migration, and the
 * outputs `current`, `pending` and `applied`.
 */
export function reportStatus(
  status: MigrationStatus,
  ctx: { target: string; dir: string; tableExists: boolean; missingColumns: string[] }
): StatusReportParts {
  const checks: Check[] = [];
  for (const e of status.changed) {
    checks.push({
      id: `migration:${e.version}:checksum`,
      kind: KIND,
      target: e.file ?? e.version,
      status: 'fail',
      threshold: 'checksum as applied',
      message: `${e.file} was edited after it was applied: recorded checksum ${short(e.appliedChecksum)}, file now ${short(e.checksum)}. Restore the applied text and put the change in a new migration.`
    });
  }
  for (const e of status.missing) {
    checks.push({
      id: `migration:${e.version}:file`,
      kind: KIND,
      target: `${e.version}${e.name ? `_${e.name}` : ''}`,
      status: 'fail',
      message: `version ${e.version}${e.name ? ` (${e.name})` : ''} is applied in the database but has no file in ${ctx.dir}: restore the file (renamed or deleted?).`
    });
  }
  const pending = status.pending;
  const outOfOrder = pending.filter((e) => e.outOfOrder);
  checks.push({
    id: 'migrations:pending',
    kind: KIND,
    target: ctx.target,
    status: pending.length > 0 ? 'warn' : 'ok',
    value: pending.length,
    unit: 'pending',
    threshold: 'none',
    message:
      pending.length > 0
        ? `${pending.length} pending migration${pending.length === 1 ? '' : 's'}: ${listFiles(pending)}` +
          (outOfOrder.length > 0 ? `; ${outOfOrder.length} numbered below the current version ${status.current} (would run out of order)` : '')
        : status.current === null
          ? 'no migrations in the folder and none applied'
          : `up to date at version ${status.current}`
  });

  const notes: string[] = [];
  if (!ctx.tableExists) notes.push(`The database has no ${MIGRATIONS_TABLE} table: nothing has been applied by a migration tool yet.`);
  if (ctx.missingColumns.length > 0) {
    notes.push(`${MIGRATIONS_TABLE} lacks the column${ctx.missingColumns.length === 1 ? '' : 's'} ${ctx.missingColumns.join(', ')} (made by an older tool).`);
  }
  if (status.unverified.length > 0) {
    notes.push(`${status.unverified.length} applied migration${status.unverified.length === 1 ? ' has' : 's have'} no recorded checksum and cannot be checked for edits.`);
  }

  return {
    checks,
    sections: status.entries.length > 0 ? [{ title: 'Migrations', markdown: table(status.entries) }] : [],
    notes,
    outputs: statusOutputs(status)
  };
}
/** The outputs every operation sets from a status. */
export function statusOutputs(status: MigrationStatus, extra: { backup?: DatabaseBackupResult } = {}): Record<string, string> {
  const O = MIGRATE_OUTPUTS;
  const current = status.current ?? '';
  return {
    [O.currentVersion]: current,
    [O.appliedCount]: String(status.applied.length),
    [O.pendingCount]: String(status.pending.length),
    [O.current]: current,
    [O.applied]: String(status.applied.length),
    [O.pending]: String(status.pending.length),
    ...(extra.backup ? { [O.backupPath]: extra.backup.path } : {})
  };
}


function short(checksum: string | null | undefined): string {
  return checksum ? checksum.slice(0, 12) : '(none)';
}

function listFiles(entries: MigrationEntry[]): string {
  const names = entries.map((e) => e.file ?? e.version);
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}

const STATE_LABEL: Record<MigrationEntry['state'], string> = {
  applied: '✅ applied',
  pending: '⏳ pending',
  changed: '❌ edited after applying',
  missing: '❌ file missing'
};

function table(entries: MigrationEntry[]): string {
  const rows = entries.map((e) => [e.version, e.name, `${STATE_LABEL[e.state]}${e.outOfOrder ? ' (out of order)' : ''}`, e.appliedAt ?? '', short(e.checksum ?? e.appliedChecksum)]);
  return markdownTable(['Version', 'Name', 'State', 'Applied at', 'Checksum'], rows);
}
