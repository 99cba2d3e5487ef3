// What the operations share: reading the folder, the read-only look at the database, the read-write
// session that applies (settings and lock), the backup before a change, and the outputs.
import {
  backUpDatabaseToDirectory,
  DatabaseConnectError,
  openDatabaseSession,
  type DatabaseBackupResult,
  type DatabaseSession,
  type RunContext
} from '../../../shared/src/index.js';
import { MIGRATE_APPLICATION_NAME, readApplied, type AppliedState } from '../engine/bookkeeping.js';
import { CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, type MigrateInputs } from '../inputs.js';
import { readMigrations, type MigrationFile } from '../migrations/read-migrations.js';

/** Files first: a misnamed file is the user's to fix, and is reported before the database is contacted. */
export async function readFolder(inputs: MigrateInputs, ctx: RunContext): Promise<MigrationFile[]> {
  return ctx.log.group(`Reading ${inputs.migrationsDirInput}`, async () => {
    const found = await readMigrations(inputs.migrationsDir);
    const noTx = found.filter((f) => f.noTransaction).length;
    ctx.log.info(`${found.length} migration file${found.length === 1 ? '' : 's'}${noTx ? ` (${noTx} marked migrate:no-transaction)` : ''}.`);
    return found;
  });
}

/** Names the database in a connection failure: the session's message says what, this says where. */
export function withTarget(target: string): (err: unknown) => never {
  return (err: unknown) => {
    if (err instanceof DatabaseConnectError) throw new DatabaseConnectError(`${target}: ${err.message}`, err.code);
    throw err;
  };
}

/** schema_migrations read in a READ ONLY transaction. */
export async function readAppliedReadOnly(url: string, target: string, ctx: RunContext): Promise<AppliedState> {
  return ctx.log.group(`Reading schema_migrations on ${target}`, async () => {
    const state = await readApplied(url, READ_TIMEOUT_MS).catch(withTarget(target));
    ctx.log.info(state.tableExists ? `${state.rows.length} applied.` : 'No schema_migrations table.');
    return state;
  });
}

/** The session that applies: read-write, lock_timeout and statement_timeout from the inputs; closed by the cleanups. */
export async function openApplySession(url: string, target: string, inputs: Pick<MigrateInputs, 'lockTimeoutMs' | 'statementTimeoutMs'>, ctx: RunContext): Promise<DatabaseSession> {
  const session = await openDatabaseSession(url, {
    mode: 'read-write',
    applicationName: MIGRATE_APPLICATION_NAME,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    statementTimeoutMs: inputs.statementTimeoutMs,
    lockTimeoutMs: inputs.lockTimeoutMs
  }).catch(withTarget(target));
  const pid = (await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  // Closing rolls back anything open and ends the session, which also releases the migration lock. A
  // cancelled run first cancels the statement in flight: the server would otherwise run it to its end
  // (it does not notice a closed socket while busy) and hold the lock that long.
  ctx.cleanups.add('close the migration session (releases the migration lock)', async () => {
    if (ctx.signal.aborted) await cancelBackend(url, pid).catch(() => undefined);
    await session.close();
  });
  return session;
}

/** pg_cancel_backend on a short session of its own (the busy session cannot send it). */
async function cancelBackend(url: string, pid: number): Promise<void> {
  const side = await openDatabaseSession(url, { mode: 'read-only', applicationName: `${MIGRATE_APPLICATION_NAME} (cancel)`, connectTimeoutMs: 5000, statementTimeoutMs: 5000 });
  try {
    await side.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await side.close();
  }
}

/** The backup before a change, through the backup core (pg_dump on the runner, verified), unless skipped. */
export async function backUpFirst(
  url: string,
  inputs: Pick<MigrateInputs, 'skipBackup' | 'backupDir' | 'database'>,
  ctx: RunContext,
  session?: Pick<DatabaseSession, 'query'>
): Promise<DatabaseBackupResult | undefined> {
  if (inputs.skipBackup) {
    ctx.report.note('No backup was taken: skip-backup is true.');
    return undefined;
  }
  if (session && (await countUserRelations(session)) === 0) {
    // A fresh database: nothing to lose, and pg_dump's archive of nothing has no entries to verify.
    ctx.report.note('No backup was taken: the database has no tables, views or sequences yet (a fresh database).');
    return undefined;
  }
  return ctx.log.group(`Backing up ${inputs.database.target} into ${inputs.backupDir}`, async () => {
    const backup = await backUpDatabaseToDirectory({ databaseUrl: url, destinationDir: inputs.backupDir, signal: ctx.signal, log: (line) => ctx.log.info(line), label: `${inputs.database.database}-premigrate` });
    ctx.log.info(`Backup ${backup.path}: ${backup.sizeBytes} bytes, sha256 ${backup.sha256}, ${backup.durationMs} ms.`);
    ctx.report.add({
      id: 'migrations:backup',
      kind: 'migration',
      target: inputs.database.target,
      status: 'ok',
      value: backup.sizeBytes,
      unit: 'bytes',
      message: `backup taken and verified before any change: ${backup.path} (sha256 ${backup.sha256.slice(0, 16)}…)`
    });
    return backup;
  });
}

/** Tables, views, sequences and materialized views outside the system schemas. */
export async function countUserRelations(session: Pick<DatabaseSession, 'query'>): Promise<number> {
  const r = await session.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`
  );
  return r.rows[0]?.n ?? 0;
}
