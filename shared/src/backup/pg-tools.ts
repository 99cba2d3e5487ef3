// The PostgreSQL client programs a backup uses (pg_dump, pg_restore), their versions, the per-table row
// counts stored in metadata, and the archive listing check (`pg_restore --list`).
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { LineSplitter } from '../ssh/stream.js';
import { runLocalPipeline, type LocalStage } from './local-pipeline.js';
import type { TableRowCount } from './metadata.js';

const execFileAsync = promisify(execFile);

/** A failed backup step whose message is the whole story (stage, reason, what was left in place). */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → `{ version: '15.18', major: 15 }`. */
export function parseClientVersion(text: string): { version: string; major: number } | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { version: m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`, major: Number(m[1]) };
}

/** Major version from `server_version_num` (150018 → 15). */
export function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

/** The version of a client program on the runner (`pg_dump --version`). */
export async function localClientVersion(file: string): Promise<{ version: string; major: number }> {
  let out: string;
  try {
    out = (await execFileAsync(file, ['--version'], { timeout: 10_000 })).stdout;
  } catch (err) {
    throw new BackupError(`${file} could not be run on the runner (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): install the PostgreSQL client (apt-get install postgresql-client).`);
  }
  const parsed = parseClientVersion(out);
  if (!parsed) throw new BackupError(`${file} --version printed '${out.trim().slice(0, 80)}', which names no PostgreSQL version.`);
  return parsed;
}

/**
 * pg_dump refuses a server newer than itself ("aborting because of server version mismatch"); checking
 * first says so before anything is written, and there is deliberately no fallback to a weaker dump.
 */
export function assertClientNotOlder(program: string, client: { version: string; major: number }, serverVersion: string, serverVersionNum: number): void {
  const major = serverMajor(serverVersionNum);
  if (client.major < major) {
    throw new BackupError(
      `${program} ${client.version} is older than the server (PostgreSQL ${serverVersion}): aborting because of server version mismatch. ` +
        `Install postgresql-client-${major} on the runner, or back up inside the compose postgres service (mode compose), whose ${program} matches its server. Nothing was written.`
    );
  }
}

/** The user tables pg_dump writes data for (ordinary tables outside system schemas and extensions). */
export const USER_TABLES_SQL = `
SELECT n.nspname AS schema, c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2`;

/** `"schema"."table"` with embedded quotes doubled. */
export function quoteTable(schema: string, name: string): string {
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return `${q(schema)}.${q(name)}`;
}

/** One SQL statement that counts every table's rows (`ONLY`, as pg_dump dumps each table's own rows) in one pass: schema, name, rows per line. */
export function rowCountSql(tables: ReadonlyArray<{ schema: string; name: string }>): string | undefined {
  if (tables.length === 0) return undefined;
  const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  return tables.map((t) => `SELECT ${lit(t.schema)} AS schema, ${lit(t.name)} AS name, count(*)::bigint AS rows FROM ONLY ${quoteTable(t.schema, t.name)}`).join('\nUNION ALL\n');
}

/** Counts rows per table through a query function (a pg session in a transaction, or psql in a container). */
export async function countRows(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<TableRowCount[]> {
  const tables = (await query(USER_TABLES_SQL)).map((r) => ({ schema: String(r.schema), name: String(r.name) }));
  const sql = rowCountSql(tables);
  if (!sql) return [];
  return (await query(sql)).map((r) => ({ schema: String(r.schema), name: String(r.name), rows: Number(r.rows) })).sort(byTable);
}

export function byTable(a: { schema: string; name: string }, b: { schema: string; name: string }): number {
  return a.schema === b.schema ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.schema < b.schema ? -1 : 1;
}

/**
 * From one `pg_restore --list` line, what follows `TABLE DATA` (`public items owner`): pg_restore
 * prints names unquoted, so `s2 odd name owner` is only split against the names one expects.
 */
export function tableDataEntry(line: string): string | undefined {
  const m = /^\d+;\s+\d+\s+\d+\s+TABLE DATA\s+(.+)$/.exec(line);
  return m ? m[1] : undefined;
}

/** The result of listing an archive: how many TOC entries, and the tables with a data entry. */
export interface ArchiveListing {
  entries: number;
  /** What follows `TABLE DATA` on each data line: `schema name owner`. */
  tableData: string[];
}

/** Stages that print a backup file's content: `zstd -dc FILE` for a compressed one, nothing for a plain archive. */
export function decompressStages(path: string, compression: 'zstd' | 'none'): LocalStage[] {
  return compression === 'zstd' ? [{ file: 'zstd', args: ['-dc', '-q', '--', path], name: 'zstd' }] : [];
}

/**
 * `pg_restore --list` of a backup file (through `zstd -dc` when compressed): proves it is a readable
 * custom-format archive and names the tables whose data it holds. Throws BackupError when it is not.
 */
export async function listArchive(path: string, compression: 'zstd' | 'none', signal?: AbortSignal, pgRestore = 'pg_restore'): Promise<ArchiveListing> {
  const listing: ArchiveListing = { entries: 0, tableData: [] };
  const lines = new LineSplitter((line) => {
    if (/^\d+;/.test(line)) listing.entries++;
    const t = tableDataEntry(line);
    if (t !== undefined) listing.tableData.push(t);
  });
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk);
      done();
    },
    final(done) {
      lines.end();
      done();
    }
  });
  const pre = decompressStages(path, compression);
  try {
    await runLocalPipeline([...pre, { file: pgRestore, args: pre.length ? ['--list'] : ['--list', '--', path], name: 'pg_restore --list' }], sink, {
      signal,
      lastStageMayStopEarly: true
    });
  } catch (err) {
    throw new BackupError(`${path} is not a readable pg_dump archive: ${(err as Error).message}`);
  }
  if (listing.entries === 0) throw new BackupError(`${path}: pg_restore --list found no entries: the archive is empty or not a pg_dump custom archive.`);
  return listing;
}

/** Tables whose counted rows are not in the archive's data entries (a dump that lost a table). */
export function tablesMissingFromArchive(tables: readonly TableRowCount[], listing: ArchiveListing): string[] {
  const has = (t: TableRowCount): boolean => listing.tableData.some((rest) => rest === `${t.schema} ${t.name}` || rest.startsWith(`${t.schema} ${t.name} `));
  return tables.filter((t) => t.rows > 0 && !has(t)).map((t) => `${t.schema}.${t.name}`);
}
