// `verify` (the runbook's Wednesday "Test backup restoration process"): the checksum against the
// metadata, then a restore into a throwaway database (never the live one) with --exit-on-error, row
// counts per table compared with the metadata, the restore time recorded as the measured recovery time,
// the scratch database dropped. The outcome is written into the backup's metadata.
import { randomBytes } from 'node:crypto';
import {
  BackupError,
  checkBackupChecksum,
  compareRowCounts,
  formatDuration,
  markdownTable,
  openDatabaseSession,
  restoreDatabaseBackup,
  toError,
  writeBackupMetadata,
  metadataPathFor,
  type ActionResult,
  type BackupMetadata,
  type BackupVerification,
  type DatabaseUrl,
  type RunContext
} from '../../../shared/src/index.js';
import { BACKUP_OUTPUTS, type BackupInputs } from '../inputs.js';
import { selectDatabaseBackup, type SelectedBackup } from './select.js';

/** A scratch database name: never a name anyone uses for real data. */
export function scratchDatabaseName(now: Date, random = randomBytes(3).toString('hex')): string {
  return `a2a_backup_verify_${now.toISOString().slice(0, 10).replace(/-/g, '')}_${random}`;
}

/** Pure: refuses a scratch target that is the source database (same name, or the live database the run was given). */
export function assertNotLiveDatabase(scratch: string, sourceName: string, live?: DatabaseUrl, server?: DatabaseUrl): void {
  if (scratch === sourceName) throw new BackupError(`the scratch database '${scratch}' is the backup's own database: a restore drill never restores into the live database.`);
  if (live && server && live.host === server.host && live.port === server.port && live.database === scratch) {
    throw new BackupError(`the scratch database '${scratch}' is the live database of 'database-url': refused.`);
  }
}

/** The URL of `name` on the server of `server` (same credentials and options). */
export function urlOfDatabase(server: DatabaseUrl, name: string): string {
  const u = new URL(server.url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** Appends a verification to the metadata (newest first) and writes it atomically. */
export async function recordVerification(backup: SelectedBackup, verification: BackupVerification): Promise<BackupMetadata> {
  const metadata: BackupMetadata = { ...backup.metadata, verification, history: [backup.metadata.verification, ...(backup.metadata.history ?? [])].slice(0, 50) };
  await writeBackupMetadata(metadataPathFor(backup.path), metadata);
  return metadata;
}

/** The restore drill of one backup; records its checks in the report and returns whether it passed. */
export async function verifyBackup(backup: SelectedBackup, inputs: BackupInputs, ctx: RunContext): Promise<{ ok: boolean; restoreMs?: number }> {
  const id = `verify:${backup.metadata.file}`;
  const target = backup.path;
  const fail = async (message: string): Promise<{ ok: false }> => {
    ctx.report.add({ id, kind: 'verify', target, status: 'fail', message });
    await recordVerification(backup, { status: 'failed', at: new Date().toISOString(), detail: message }).catch(() => undefined);
    return { ok: false };
  };
  const sum = await ctx.log.group(`Checksum of ${backup.metadata.file}`, () => checkBackupChecksum(backup.path, backup.metadata, ctx.signal));
  ctx.report.add({ id: `checksum:${backup.metadata.file}`, kind: 'checksum', target, status: sum.ok ? 'ok' : 'fail', message: sum.message });
  if (!sum.ok) return fail(`not restored: ${sum.message}`);

  const server = inputs.scratch!;
  const scratch = scratchDatabaseName(new Date());
  assertNotLiveDatabase(scratch, backup.metadata.database?.name ?? inputs.databaseName, inputs.database, server);
  const admin = await openDatabaseSession(server, { mode: 'read-write', applicationName: 'a2a-ops restore drill', connectTimeoutMs: 15_000 });
  ctx.cleanups.add(`drop the scratch database ${scratch}`, async () => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    } finally {
      await admin.close();
    }
  });
  try {
    await admin.query(`CREATE DATABASE "${scratch}"`);
  } catch (err) {
    return fail(`the scratch database could not be created on ${server.target} (${toError(err).message}): give 'scratch-database-url' a role with CREATEDB`);
  }
  let restored: Awaited<ReturnType<typeof restoreDatabaseBackup>>;
  try {
    restored = await ctx.log.group(`Restore ${backup.metadata.file} into ${scratch}`, () =>
      restoreDatabaseBackup({ path: backup.path, compression: backup.metadata.compression === 'zstd' ? 'zstd' : 'none', databaseUrl: urlOfDatabase(server, scratch), signal: ctx.signal, log: (l) => ctx.log.info(l) })
    );
  } catch (err) {
    return fail(toError(err).message);
  }
  const expected = backup.metadata.database?.tables ?? [];
  const diffs = compareRowCounts(expected, restored.tables);
  const exact = backup.metadata.database?.rowCountsFromSnapshot ?? false;
  ctx.report.section({
    title: `Row counts: ${backup.metadata.file}`,
    markdown: markdownTable(
      ['Table', { title: 'In the metadata', align: 'right' }, { title: 'Restored', align: 'right' }],
      [...new Set([...expected, ...restored.tables].map((t) => `${t.schema}.${t.name}`))].sort().map((name) => {
        const e = expected.find((t) => `${t.schema}.${t.name}` === name)?.rows;
        const a = restored.tables.find((t) => `${t.schema}.${t.name}` === name)?.rows;
        return [name, e ?? '—', a ?? '—'];
      })
    )
  });
  if (diffs.length && exact) {
    return fail(`restored, but the row counts differ from the metadata: ${diffs.map((d) => `${d.table} ${d.expected ?? 'absent'} → ${d.actual ?? 'absent'}`).join(', ')}`);
  }
  const detail = `restored into a scratch database in ${formatDuration(restored.durationMs)} with --exit-on-error; ${restored.tables.length} tables, row counts ${diffs.length ? `differ in ${diffs.length} (counted beside the dump, not in its snapshot)` : 'match the metadata'}`;
  ctx.report.add({
    id,
    kind: 'verify',
    target,
    status: diffs.length ? 'warn' : 'ok',
    value: restored.durationMs,
    unit: 'ms',
    threshold: 'restore time = measured RTO',
    message: detail
  });
  await recordVerification(backup, { status: 'restored', at: new Date().toISOString(), detail, restoreMs: restored.durationMs });
  return { ok: true, restoreMs: restored.durationMs };
}

export async function verify(inputs: BackupInputs, ctx: RunContext): Promise<ActionResult> {
  const backup = await selectDatabaseBackup(inputs);
  await verifyBackup(backup, inputs, ctx);
  return { outputs: { [BACKUP_OUTPUTS.backupPath]: backup.path, [BACKUP_OUTPUTS.sha256]: backup.metadata.sha256, [BACKUP_OUTPUTS.sizeBytes]: String(backup.metadata.sizeBytes) } };
}
