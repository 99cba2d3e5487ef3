// The lab as the backup suites use it: a seeded database of varied rows (created per test with an
// `a2a_backup_` name, dropped after), its contents per table for comparisons, and runs of the bundle.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { openDeployLab, type DeployLab } from './deploy-lab.js';
import { readLabPart } from './lab.js';
import { runBundle, type BundleRun } from './run-bundle.js';

/** `$A2A_LAB_DIR/postgres.json`, as far as the backup tests read it. */
export interface LabPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  url: string;
  superuser: { user: string; password: string; url: string };
  binDir: string;
}

export function readLabPostgres(): LabPostgres {
  return readLabPart<LabPostgres>('postgres');
}

/** The URL of `database` with the credentials of `base`. */
export function urlOf(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** psql as the lab superuser against `database` (ON_ERROR_STOP); returns stdout. */
export function psql(pg: LabPostgres, database: string, sql: string): string {
  return execFileSync('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-At', '-d', urlOf(pg.superuser.url, database), '-c', sql], { encoding: 'utf8' });
}

/** The seed: text with quotes and unicode, jsonb, numerics, bytea, NULLs, a second schema, an odd table name. */
export const SEED_SQL = `
CREATE TABLE public.patterns (id bigint PRIMARY KEY, name text NOT NULL, doc jsonb, score numeric(12,4), blob bytea, seen timestamptz);
INSERT INTO public.patterns
  SELECT g, 'pattern ' || g || E' \\u00e9\\u4e2d ''q'' "d"', jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g % 7), 'nested', jsonb_build_object('x', g * 1.5)),
         (g * 3.1415)::numeric(12,4), decode(md5(g::text), 'hex'), CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2026-01-01' + g * interval '1 minute' END
  FROM generate_series(1, 5000) g;
CREATE SCHEMA agents;
CREATE TABLE agents."discovery runs" (id serial PRIMARY KEY, agent text, started timestamptz DEFAULT now(), result text);
INSERT INTO agents."discovery runs" (agent, result) SELECT 'agent-' || (g % 13), repeat('r', g % 50) FROM generate_series(1, 700) g;
CREATE TABLE public.empty_table (id int);
CREATE INDEX patterns_doc ON public.patterns USING gin (doc);
CREATE VIEW public.recent AS SELECT id, name FROM public.patterns WHERE id > 4900;
`;

/** Creates `name` owned by the lab's application user and seeds it. */
export function createSeededDatabase(pg: LabPostgres, name: string): void {
  if (!name.startsWith('a2a_backup_')) throw new Error(`backup test databases are named a2a_backup_*: ${name}`);
  psql(pg, 'postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  psql(pg, 'postgres', `CREATE DATABASE "${name}" OWNER ${pg.user}`);
  psql(pg, name, `SET ROLE ${pg.user}; ${SEED_SQL}`);
}

export function dropDatabase(pg: LabPostgres, name: string): void {
  psql(pg, 'postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The `a2a_backup_*` databases that exist (a test must leave none behind). */
export function backupDatabases(pg: LabPostgres): string[] {
  return psql(pg, 'postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'a2a\\_backup\\_%' ORDER BY 1").split('\n').filter(Boolean);
}

/** Every user table's contents as one digest per table (rows in a stable order), for comparing databases table by table. */
export function tableContents(pg: LabPostgres, database: string): Record<string, string> {
  return tableContentsWith((sql) => psql(pg, database, sql));
}

/** psql in the compose postgres service of a lab host (docker exec, as its superuser). */
export function composePsql(container: string, user: string, database: string, sql: string): string {
  return execFileSync('docker', ['exec', '-i', container, 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-At', '-U', user, '-d', database, '-c', sql], { encoding: 'utf8' });
}

/** tableContents through any psql runner. */
export function tableContentsWith(run: (sql: string) => string): Record<string, string> {
  const tables = run(
    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1"
  )
    .split('\n')
    .filter(Boolean);
  const out: Record<string, string> = {};
  for (const t of tables) out[t] = run(`SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '-') FROM ${t} x`).trim();
  return out;
}

/** A temp directory for one test's backups. */
export function backupDir(prefix = 'a2a-backup-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface BackupReport {
  status: string;
  outcome: string;
  checks: Array<{ id: string; kind: string; target: string; status: string; value?: unknown; message: string }>;
}

export interface BackupRun extends Omit<BundleRun, 'report'> {
  report?: BackupReport;
}

/** Runs the action-backup bundle with `inputs` (issue off); `timeoutMs` bounds it. */
export async function runBackup(inputs: Record<string, string>, opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<BackupRun> {
  const run = await runBundle('backup', { issue: 'off', ...inputs }, opts.env ?? {}, opts.timeoutMs ?? 120_000);
  return { ...run, report: run.outputs.report ? (JSON.parse(run.outputs.report) as BackupReport) : undefined };
}

/** The deploy lab (hosts + compose) with an ops config whose database block names `database` in the compose postgres. */
export function openBackupLab(database: { name: string; user: string }): DeployLab & { sshInputs: Record<string, string> } {
  const lab = openDeployLab();
  const config = join(lab.dir, 'ops.yml');
  const hosts = lab.hosts.map(
    (h) => `  - { name: ${h.name}, address: ${h.ssh.address}, port: ${h.ssh.port}, user: ${lab.user}, compose: { project-dir: ${h.compose.composeDir}, project-name: ${h.compose.projectName} } }`
  );
  writeFileSync(config, ['hosts:', ...hosts, 'compose: { file: docker-compose.production.yml, env-file: .env.production }', `database: { service: postgres, name: ${database.name}, user: ${database.user} }`, ''].join('\n'));
  return {
    ...lab,
    configPath: config,
    sshInputs: { config, 'ssh-private-key': lab.privateKey, 'ssh-fingerprint': lab.hosts.map((h) => h.ssh.fingerprint).join(',') }
  };
}

/** The secrets found in a run's stdout, stderr, outputs or summary (the runner's own `::add-mask::` registrations aside: the runner never prints those). */
export function leaks(run: BundleRun, secrets: readonly string[]): string[] {
  const log = (t: string): string => t.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  const text = [log(run.stdout), log(run.stderr), run.summary, JSON.stringify(run.outputs)].join('\n');
  return secrets.filter((s) => s && text.includes(s));
}
