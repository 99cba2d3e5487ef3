// apply, verify and plan end to end in-process: the funnel, a real wire-protocol database (PGlite) and
// a temp migrations folder; asserts on rows, tables, outputs and the job summary.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/index.js';
import { migrationsFolder } from '../../test-support/migrate-fixtures.js';
import { runMigrateInProcess } from '../../test-support/migrate-run.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { run } from '../src/main.js';

let server: PgliteServer;
const FILES = {
  '0001_agents.sql': 'CREATE TABLE agents (id bigint PRIMARY KEY, name text);\n',
  '0002_patterns.sql': 'CREATE TABLE patterns (id bigint PRIMARY KEY, agent_id bigint REFERENCES agents (id));\nINSERT INTO agents VALUES (1, \'first\');\n',
  '0003_index.sql': 'CREATE INDEX patterns_agent_idx ON patterns (agent_id);\n'
};

beforeAll(async () => {
  server = await startPgliteServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await server.db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});

const apply = (dir: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runMigrateInProcess(run, { operation: 'apply', 'database-url': server.url, 'migrations-dir': dir, 'skip-backup': 'true', ...extra }, env);
const tables = async (): Promise<string[]> => (await server.db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);
const versions = async (): Promise<string[]> => (await server.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
const runbook = async (): Promise<string> => (await server.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1')).rows[0].version;

describe('apply', () => {
  it('applies every migration in order, records version, name, checksum, duration and time, and the runbook query returns the newest', async () => {
    const r = await apply(migrationsFolder(FILES));
    expect(r.exitCode).toBeUndefined();
    expect(r.outputs).toMatchObject({ status: 'ok', 'current-version': '0003', 'applied-count': '3', 'pending-count': '0' });
    expect(await tables()).toEqual(['agents', 'patterns', 'schema_migrations']);
    expect(await runbook()).toBe('0003');
    const rows = await server.db.query<{ version: string; name: string; checksum: string; duration_ms: number; applied_at: Date }>('SELECT * FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((x) => [x.version, x.name, x.checksum.length])).toEqual([
      ['0001', 'agents', 64],
      ['0002', 'patterns', 64],
      ['0003', 'index', 64]
    ]);
    for (const x of rows.rows) {
      expect(x.duration_ms).toBeGreaterThanOrEqual(0);
      expect(x.applied_at).toBeInstanceOf(Date);
    }
    expect(r.summary).toContain("the runbook's query now returns 0003");
    expect(r.summary).toContain('No backup was taken: skip-backup is true.');
    expect(r.log).toContain('[3/3] 0003_index.sql: applied in');
  });

  it('applies nothing on a second run', async () => {
    const dir = migrationsFolder(FILES);
    await apply(dir);
    const before = await server.db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    const r = await apply(dir);
    expect(r.outputs).toMatchObject({ status: 'ok', 'applied-count': '3', 'pending-count': '0' });
    expect(r.summary).toContain('nothing to apply: up to date at version 0003');
    expect((await server.db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows).toEqual(before.rows);
  });

  it('applies up to the target and leaves the rest for later', async () => {
    const dir = migrationsFolder(FILES);
    const r = await apply(dir, { target: '0002' });
    expect(r.outputs).toMatchObject({ 'current-version': '0002', 'pending-count': '1' });
    expect(await versions()).toEqual(['0001', '0002']);
    expect(r.summary).toContain('left for later: 0003_index.sql');
  });

  it('stops everything before any statement when an applied file was edited, naming the file', async () => {
    const dir = migrationsFolder(FILES);
    await apply(dir, { target: '0002' });
    writeFileSync(join(dir, '0001_agents.sql'), 'CREATE TABLE agents (id bigint PRIMARY KEY, name text, extra int);\n');
    const r = await apply(dir);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('fail');
    expect(r.summary).toContain('0001_agents.sql was edited after it was applied');
    expect(await versions()).toEqual(['0001', '0002']);
    expect((await server.db.query(`SELECT to_regclass('patterns_agent_idx') AS i`)).rows[0]).toEqual({ i: null });
  });

  it('takes a CRLF checkout of an applied file as unchanged', async () => {
    const dir = migrationsFolder(FILES);
    await apply(dir);
    writeFileSync(join(dir, '0001_agents.sql'), FILES['0001_agents.sql'].replace(/\n/g, '\r\n'));
    const r = await apply(dir);
    expect(r.outputs.status).toBe('ok');
  });

  it('accepts a named, known edit with allow-changed and re-records its checksum', async () => {
    const dir = migrationsFolder(FILES);
    await apply(dir, { target: '0002' });
    writeFileSync(join(dir, '0001_agents.sql'), `-- a comment added later\n${FILES['0001_agents.sql']}`);
    const r = await apply(dir, { 'allow-changed': '0001' });
    expect(r.outputs).toMatchObject({ status: 'ok', 'current-version': '0003' });
    expect(r.summary).toContain("allow-changed '0001' accepted it");
    const again = await apply(dir);
    expect(again.outputs.status).toBe('ok');
  });

  it('rolls back a migration whose second statement fails completely: no row, no table, later ones not run, earlier ones kept', async () => {
    const dir = migrationsFolder({
      ...FILES,
      '0002_patterns.sql': 'CREATE TABLE patterns (id bigint PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n'
    });
    const r = await apply(dir);
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ status: 'fail', 'current-version': '0001' });
    expect(await versions()).toEqual(['0001']);
    expect(await tables()).toEqual(['agents', 'schema_migrations']);
    expect(r.summary).toContain('0002_patterns.sql:2:13: relation "no_such_table" does not exist (SQLSTATE 42P01)');
    expect(r.summary).toContain('was rolled back completely');
    expect(r.summary).toMatch(/0003 \| 0003_index.sql \| ⏭️ not run/);
    expect(await runbook()).toBe('0001');
  });

  it('refuses a pending file numbered below the current version', async () => {
    const dir = migrationsFolder({ '0001_agents.sql': FILES['0001_agents.sql'], '0003_index.sql': 'SELECT 1;\n' });
    await apply(dir);
    writeFileSync(join(dir, '0002_late.sql'), 'CREATE TABLE late (i int);\n');
    const r = await apply(dir);
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('0002_late.sql is pending but numbered below the current version 0003');
    expect(await tables()).not.toContain('late');
  });

  it('adds the missing columns to an older tool\'s version-only table and keeps the runbook query answering', async () => {
    await server.db.exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY); INSERT INTO schema_migrations VALUES ('0001');`);
    await server.db.exec(FILES['0001_agents.sql']);
    const r = await apply(migrationsFolder(FILES));
    expect(r.outputs).toMatchObject({ status: 'ok', 'current-version': '0003' });
    expect(await runbook()).toBe('0003');
    expect(r.summary).toContain('no recorded checksum');
  });
});

describe('verify', () => {
  it.each([
    { case: 'everything applied', target: undefined, status: 'ok', says: 'returns 0003, the newest migration' },
    { case: 'one behind', target: '0002', status: 'fail', says: 'returns 0002, but the newest migration in' }
  ])('$case → $status', async ({ target, status, says }) => {
    const dir = migrationsFolder(FILES);
    await apply(dir, target ? { target } : {});
    const r = await runMigrateInProcess(run, { operation: 'verify', 'database-url': server.url, 'migrations-dir': dir });
    expect(r.outputs.status).toBe(status);
    expect(r.summary).toContain(says);
  });
});

describe('plan', () => {
  let github: GitHubStandin;
  beforeAll(async () => {
    github = await startGitHubStandin();
  });
  afterAll(async () => {
    await github?.close();
  });

  it('shows the pending migrations with their SQL and findings, executes nothing, and posts one comment updated in place', async () => {
    const dir = migrationsFolder({ ...FILES, '0004_unsafe.sql': 'UPDATE agents SET name = NULL;\n' });
    await apply(dir, { target: '0002' });
    const pr = github.seedIssue({ title: 'migrations', pullRequest: true });
    const event = join(mkdtempSync(join(tmpdir(), 'a2a-event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: pr.number } }));
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}` };
    const inputs = { operation: 'plan', 'database-url': server.url, 'migrations-dir': dir, 'github-token': github.token, 'squawk-path': join(process.cwd(), 'node_modules/.bin/squawk') };
    const r = await runMigrateInProcess(run, inputs, env);
    expect(r.outputs).toMatchObject({ status: 'warn', 'pending-count': '2' });
    expect(r.summary).toContain('apply would run 2 migrations: 0003_index.sql, 0004_unsafe.sql');
    expect(r.summary).toContain('a2a/update-without-where');
    expect(r.summary).toContain('squawk/require-concurrent-index-creation');
    expect(r.summary).toContain('UPDATE agents SET name = NULL;');
    expect(await versions()).toEqual(['0001', '0002']);
    const comments = () => github.state.comments.filter((c) => c.issueNumber === pr.number);
    expect(comments()).toHaveLength(1);
    expect(comments()[0].body).toContain('<!-- a2a-ops:pr-comment:migrate:plan -->');
    expect(comments()[0].body).toContain('0004_unsafe.sql');
    await runMigrateInProcess(run, inputs, env);
    expect(comments()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });
});

describe('plan with since (the base branch\'s newest version)', () => {
  it.each([
    { since: undefined, shown: ['0002_patterns.sql', '0003_index.sql'], hidden: null },
    { since: '0002', shown: ['0003_index.sql'], hidden: '1 pending migration numbered 0002 or below' },
    { since: '0003', shown: [], hidden: '2 pending migrations numbered 0003 or below' }
  ])('since $since shows and lints $shown', async ({ since, shown, hidden }) => {
    const dir = migrationsFolder(FILES);
    await apply(dir, { target: '0001' });
    const r = await runMigrateInProcess(run, { operation: 'plan', 'database-url': server.url, 'migrations-dir': dir, 'squawk-path': '/no/squawk', ...(since ? { since } : {}) });
    const plan = r.summary.slice(r.summary.indexOf('### Migration plan for'));
    for (const f of ['0002_patterns.sql', '0003_index.sql']) expect([f, plan.includes(`<code>${f}</code>`)]).toEqual([f, shown.includes(f)]);
    expect(r.summary).toContain('apply would run 2 migrations');
    if (hidden) expect(r.summary).toContain(hidden);
  });
});

describe('refusals before anything is touched', () => {
  it.each([
    [{ operation: 'apply' }, { GITHUB_EVENT_NAME: 'pull_request' }, "action-migrate 'apply' changes production and refuses to run on 'pull_request' events"],
    [{ operation: 'exec', 'exec-command': 'x' }, { GITHUB_EVENT_NAME: 'pull_request_target' }, "refuses to run on 'pull_request_target' events"],
    [{ target: 'latest' }, {}, "Input 'target' must be a migration version"],
    [{ operation: 'plan', since: 'main' }, {}, "Input 'since' must be a migration version"],
    [{ 'allow-changed': 'init' }, {}, "Input 'allow-changed': 'init' is not a migration"],
    [{ 'lock-timeout': 'soon' }, {}, "Input 'lock-timeout'"],
    [{ 'lock-retries': '50' }, {}, "Input 'lock-retries'"],
    [{ 'skip-backup': 'yes' }, {}, "Input 'skip-backup' must be 'true' or 'false'"],
    [{ operation: 'exec' }, {}, "Input 'exec-command' is required for operation 'exec'"],
    [{ operation: 'exec', 'exec-command': 'migrate; rm -rf /' }, {}, "Input 'exec-command' contains ';'"]
  ])('%j on %j: %s', async (inputs, env, says) => {
    const dir = migrationsFolder(FILES);
    const r = await runMigrateInProcess(run, { 'database-url': server.url, 'migrations-dir': dir, ...inputs }, env);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('fail');
    expect(r.log).toContain(says);
    expect(await tables()).toEqual([]);
  });
});
