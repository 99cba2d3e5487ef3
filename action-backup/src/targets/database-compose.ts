// The runbook's `docker-compose exec -T postgres pg_dump ...` over SSH, so client and server versions
// match: `pg_dump -Fc -Z0 | zstd -T2 -1` runs on the host (compressed there, fewer bytes on the wire),
// every remote stage's exit checked, streamed to a temporary file on the runner while hashed, checked
// with pg_restore --list, then renamed with its metadata.
import { mkdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  BackupError,
  MeteredFile,
  assertClientNotOlder,
  backupStamp,
  composeCommand,
  composeExec,
  composeExecArgs,
  countRows,
  databaseBackupExtension,
  databaseRestoreCommand,
  formatDuration,
  listArchive,
  parseClientVersion,
  publishBackup,
  readBackupMetadata,
  scrubSecrets,
  tablesMissingFromArchive,
  temporaryPathFor,
  type ComposeProject,
  type RunContext,
  type SshSession
} from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';
import { discardHostCopy, prepareHostCopy, publishHostCopy } from './host-copy.js';
import { progressLog, type BackupOutcome } from './types.js';

/** How long the dump may run over SSH before it is killed (a bound, never "forever"). */
const DUMP_TIMEOUT_MS = 6 * 3600_000;

/** psql in the postgres service: rows as records (tab-separated, header first), ON_ERROR_STOP. */
async function psqlRows(session: SshSession, project: ComposeProject, service: string, user: string, db: string, sql: string): Promise<Array<Record<string, string>>> {
  const r = await composeExec(session, project, service, ['psql', '-X', '-v', 'ON_ERROR_STOP=1', '-A', '-F', '\t', '-P', 'footer=off', '-U', user, '-d', db, '-c', sql], {
    timeoutMs: 10 * 60_000
  });
  if (r.code !== 0) throw new BackupError(`psql in the ${service} service on ${session.target.name} failed: ${scrubSecrets(r.stderr.trim().split('\n').slice(-3).join(' | ')) || `exit ${r.code}`}`);
  const [header, ...lines] = r.stdout.split('\n').filter((l) => l.length > 0);
  const cols = (header ?? '').split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

export async function backUpDatabaseCompose(inputs: BackupInputs, ctx: RunContext, session: SshSession, project: ComposeProject): Promise<BackupOutcome> {
  const { service, user } = ctx.config.database;
  const db = inputs.databaseName;
  const host = session.target.name;
  const log = progressLog(ctx, host);
  const createdAt = new Date();
  const started = performance.now();

  const versionRun = await composeExec(session, project, service, ['pg_dump', '--version']);
  const client = parseClientVersion(versionRun.stdout);
  if (versionRun.code !== 0 || !client) throw new BackupError(`pg_dump in the ${service} service on ${host} could not be run: ${scrubSecrets(versionRun.stderr.trim()) || `exit ${versionRun.code}`}`);
  const [server] = await psqlRows(session, project, service, user, db, "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num");
  assertClientNotOlder('pg_dump', client, server.version, Number(server.num));
  const zstd = await session.exec('command -v zstd', { timeoutMs: 10_000 });
  if (zstd.code !== 0) throw new BackupError(`zstd is not installed on ${host}: the dump is compressed on the host (apt-get install zstd). Nothing was written.`);

  // Counted just before the dump in their own transaction (compose mode cannot share pg_dump's snapshot): exact when nothing writes meanwhile.
  const tables = await countRows((sql) => psqlRows(session, project, service, user, db, sql));

  await mkdir(inputs.destination, { recursive: true });
  const finalPath = join(inputs.destination, `${db}-${backupStamp(createdAt)}${databaseBackupExtension('zstd')}`);
  const tempPath = temporaryPathFor(finalPath);
  const dump = composeCommand(project, composeExecArgs(service, ['pg_dump', '--format=custom', '--compress=0', '--no-password', '-U', user, '-d', db]));
  log(`pg_dump ${client.version} in ${service} (PostgreSQL ${server.version}) | zstd on ${host} → ${inputs.destination}`);
  const hostCopy = await prepareHostCopy(session, inputs.hostDestination, basename(finalPath), ctx);
  const sink = new MeteredFile(tempPath, 'dump and transfer', log);
  try {
    try {
      await session.execToStream([dump, 'zstd -q -c -T2 -1', ...(hostCopy ? [hostCopy.stage] : [])], sink, { timeoutMs: DUMP_TIMEOUT_MS, label: `pg_dump ${db} | zstd`, onStderr: (l) => log(scrubSecrets(l)) });
    } catch (err) {
      throw new BackupError(`the dump of ${db} on ${host} failed: ${scrubSecrets((err as Error).message)}. No backup was written.`);
    }
    const sha256 = sink.digest();
    const listing = await listArchive(tempPath, 'zstd', ctx.signal);
    const missing = tablesMissingFromArchive(tables, listing);
    if (missing.length) throw new BackupError(`the archive lacks the data of ${missing.join(', ')}: not a complete backup.`);
    const durationMs = Math.round(performance.now() - started);
    const published = await publishBackup(tempPath, finalPath, {
      kind: 'database',
      label: db,
      createdAt: createdAt.toISOString(),
      sizeBytes: sink.bytes,
      sha256,
      durationMs,
      content: 'pg_dump-custom',
      compression: 'zstd',
      encryption: 'none',
      restoreCommand: databaseRestoreCommand('zstd'),
      source: `compose ${host} ${service}`,
      database: { name: db, serverVersion: server.version, pgDumpVersion: client.version, tables, rowCountsFromSnapshot: false },
      verification: {
        status: 'checked',
        at: new Date().toISOString(),
        detail: `every stage exited 0; pg_restore --list read ${listing.entries} entries with the data of ${listing.tableData.length} tables`
      }
    });
    if (hostCopy) await publishHostCopy(session, hostCopy, published.metadata);
    log(`backup ${finalPath} in ${formatDuration(durationMs)}`);
    return { target: 'database', host, path: finalPath, metadataPath: published.metadataPath, metadata: await readBackupMetadata(published.metadataPath) };
  } catch (err) {
    sink.destroy();
    await unlink(tempPath).catch(() => undefined);
    if (hostCopy) await discardHostCopy(session, hostCopy);
    throw err;
  }
}
