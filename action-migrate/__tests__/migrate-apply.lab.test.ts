// action-migrate's bundle, run as the runner runs it, against real PostgreSQL 15 (issue 11's proofs and
// catalogue cases 32-36): databases of its own on the lab cluster, and a scratch cluster of its own for
// the restart (the shared cluster is never restarted).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandin } from '../../test-support/github-standin/index.js';
import { migrationsFolder } from '../../test-support/migrate-fixtures.js';
import { MigrateLab, startMigrateBundle, startMigrateScratchCluster } from '../../test-support/migrate-lab.js';
import { runBundle, type BundleRun } from '../../test-support/run-bundle.js';

const lab = new MigrateLab();
afterAll(async () => {
  await lab.dropAll();
});

const FILES = {
  '0001_agents.sql': 'CREATE TABLE agents (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO agents SELECT g, \'agent \' || g FROM generate_series(1, 1000) g;\n',
  '0002_patterns.sql': 'CREATE TABLE patterns (id bigint PRIMARY KEY, agent_id bigint REFERENCES agents (id));\n',
  '0003_agents_region.sql': 'ALTER TABLE agents ADD COLUMN region text;\n'
};

const apply = (url: string, dir: string, extra: Record<string, string> = {}, timeoutMs = 120_000): Promise<BundleRun> =>
  runBundle('migrate', { operation: 'apply', 'database-url': url, 'migrations-dir': dir, issue: 'off', ...extra }, {}, timeoutMs);

async function query<R extends Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const c = await lab.connect(url);
  try {
    return (await c.query<R>(sql, values)).rows;
  } finally {
    await c.end();
  }
}
const versions = async (url: string): Promise<string[]> => (await query<{ version: string }>(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
const runbookVersion = async (url: string): Promise<string> => (await query<{ version: string }>(url, 'SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1'))[0].version;
const exists = async (url: string, relation: string): Promise<boolean> => (await query<{ r: string | null }>(url, 'SELECT to_regclass($1)::text AS r', [relation]))[0].r !== null;

function neverPrintsPassword(r: BundleRun): void {
  const everything = [r.stdout.replace(/^::add-mask::.*$/gm, ''), r.stderr, r.summary, JSON.stringify(r.outputs)].join('\n');
  for (const form of [lab.lab.password, encodeURIComponent(lab.lab.password)]) expect(everything).not.toContain(form);
}

describe('apply on PostgreSQL 15', () => {
  let db: { name: string; url: string };
  let dir: string;
  beforeAll(async () => {
    db = await lab.createDatabase('apply');
    dir = migrationsFolder(FILES);
    // A database already in use: what the backup must keep.
    const c = await lab.connect(db.url);
    await c.query("CREATE TABLE app_settings (k text PRIMARY KEY, v text); INSERT INTO app_settings VALUES ('mode', 'live')");
    await c.end();
  });

  it('applies a fresh database after a verified backup, and the runbook query returns the newest version', async () => {
    const backupDir = join(migrationsFolder({}), 'backups');
    const r = await apply(db.url, dir, { 'backup-dir': backupDir });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'ok', 'current-version': '0003', 'applied-count': '3', 'pending-count': '0' });
    expect(await runbookVersion(db.url)).toBe('0003');
    expect(r.outputs['backup-path']).toMatch(new RegExp(`^${backupDir}/${db.name}-premigrate-.*\\.dump\\.zst$`));
    expect(existsSync(r.outputs['backup-path'])).toBe(true);
    expect(r.summary).toContain('backup taken and verified before any change');
    const rows = await query<{ version: string; name: string; checksum: string; duration_ms: number }>(db.url, 'SELECT version, name, checksum, duration_ms FROM schema_migrations ORDER BY version');
    expect(rows.map((x) => [x.version, x.name, /^[0-9a-f]{64}$/.test(x.checksum), x.duration_ms >= 0])).toEqual([
      ['0001', 'agents', true, true],
      ['0002', 'patterns', true, true],
      ['0003', 'agents_region', true, true]
    ]);
    neverPrintsPassword(r);
  });

  it('applies nothing on a re-run and takes no backup', async () => {
    const before = await query(db.url, 'SELECT version, applied_at FROM schema_migrations ORDER BY version');
    const r = await apply(db.url, dir);
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('nothing to apply: up to date at version 0003');
    expect(r.outputs['backup-path']).toBeUndefined();
    expect(await query(db.url, 'SELECT version, applied_at FROM schema_migrations ORDER BY version')).toEqual(before);
  });

  it('stops everything before any change when an applied file was edited (case 33)', async () => {
    const edited = migrationsFolder({ ...FILES, '0002_patterns.sql': FILES['0002_patterns.sql'].replace('agent_id', 'owner_id'), '0004_more.sql': 'CREATE TABLE more (i int);\n' });
    const r = await apply(db.url, edited, { 'skip-backup': 'true' });
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('0002_patterns.sql was edited after it was applied');
    expect(r.summary).toContain('nothing was run');
    expect(await exists(db.url, 'more')).toBe(false);
    expect(await versions(db.url)).toEqual(['0001', '0002', '0003']);
  });

  it('rolls back a migration whose second statement fails: its row absent, later ones not run, earlier ones kept (case 35)', async () => {
    const more = migrationsFolder({
      ...FILES,
      '0004_ok.sql': 'CREATE TABLE kept (i int);\n',
      '0005_broken.sql': "CREATE TABLE half (i int);\nINSERT INTO half VALUES ('not a number');\n",
      '0006_after.sql': 'CREATE TABLE after_broken (i int);\n'
    });
    const r = await apply(db.url, more, { 'skip-backup': 'true' });
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('0005_broken.sql:2:');
    expect(r.summary).toContain('invalid input syntax for type integer');
    expect(r.summary).toContain('0005_broken.sql was rolled back completely');
    expect(await versions(db.url)).toEqual(['0001', '0002', '0003', '0004']);
    expect(await exists(db.url, 'kept')).toBe(true);
    expect(await exists(db.url, 'half')).toBe(false);
    expect(await exists(db.url, 'after_broken')).toBe(false);
    expect(await runbookVersion(db.url)).toBe('0004');
  });
});

describe('two apply runs at once (case 32)', () => {
  it('lets exactly one apply; the other fails fast naming the holder and applies nothing', async () => {
    const db = await lab.createDatabase('concurrent');
    const dir = migrationsFolder({ '0001_slow.sql': 'CREATE TABLE slow (i int);\nSELECT pg_sleep(3);\n', '0002_next.sql': 'CREATE TABLE next_one (i int);\n' });
    const a = startMigrateBundle({ operation: 'apply', 'database-url': db.url, 'migrations-dir': dir, 'skip-backup': 'true' });
    const b = startMigrateBundle({ operation: 'apply', 'database-url': db.url, 'migrations-dir': dir, 'skip-backup': 'true' });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.exitCode, rb.exitCode].sort();
    expect(codes).toEqual([0, 1]);
    const loser = ra.exitCode === 1 ? ra : rb;
    expect(loser.summary).toContain('Another migration run holds the migration lock: pid');
    expect(loser.summary).toContain("(a2a-ops migrate");
    expect(await versions(db.url)).toEqual(['0001', '0002']);
  });

  it('with lock-wait, the second waits, re-reads the table under the lock, and applies nothing twice', async () => {
    const db = await lab.createDatabase('queued');
    const dir = migrationsFolder({ '0001_slow.sql': 'CREATE TABLE slow (i int);\nSELECT pg_sleep(2);\n' });
    const a = startMigrateBundle({ operation: 'apply', 'database-url': db.url, 'migrations-dir': dir, 'skip-backup': 'true' });
    await new Promise((r) => setTimeout(r, 700));
    const b = startMigrateBundle({ operation: 'apply', 'database-url': db.url, 'migrations-dir': dir, 'skip-backup': 'true', 'lock-wait': '30s' });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.exitCode, rb.exitCode]).toEqual([0, 0]);
    expect(rb.summary).toContain('nothing to apply: up to date at version 0001');
    expect(await versions(db.url)).toEqual(['0001']);
  });
});

describe('a conflicting long transaction (case 34)', () => {
  it('lock_timeout fires, bounded retries, the migration rolls back, and an application query is never blocked longer than lock_timeout', async () => {
    const db = await lab.createDatabase('locked');
    const base = migrationsFolder({ '0001_agents.sql': FILES['0001_agents.sql'] });
    expect((await apply(db.url, base, { 'skip-backup': 'true' })).exitCode).toBe(0);
    // A long transaction holding ACCESS SHARE on agents (an open report query, a running pg_dump).
    const holder = await lab.connect(db.url, 'a2a_migrate_long_tx');
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM agents');
    // The application: a query every 50 ms; its worst wait is what users feel.
    const app = await lab.connect(db.url, 'a2a_migrate_app');
    let worst = 0;
    let probes = 0;
    let stop = false;
    const probing = (async () => {
      while (!stop) {
        const t = performance.now();
        await app.query('SELECT name FROM agents WHERE id = 7');
        worst = Math.max(worst, performance.now() - t);
        probes++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const dir = migrationsFolder({ '0001_agents.sql': FILES['0001_agents.sql'], '0002_alter.sql': 'ALTER TABLE agents ADD COLUMN region text;\n' });
    const started = performance.now();
    const r = await apply(db.url, dir, { 'skip-backup': 'true', 'lock-timeout': '1s', 'lock-retries': '2' });
    const took = performance.now() - started;
    stop = true;
    await probing;
    await holder.query('ROLLBACK');
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('canceling statement due to lock timeout (SQLSTATE 55P03)');
    expect(r.summary).toContain('lock_timeout on all 3 attempts');
    expect(r.stdout).toContain('lock_timeout hit (attempt 1 of 3)');
    expect(r.stdout).toContain('lock_timeout hit (attempt 2 of 3)');
    // Three 1 s waits plus backoff (about 1 s, then 2 s, jittered): bounded.
    expect(took).toBeGreaterThan(3000);
    expect(took).toBeLessThan(20_000);
    expect(probes).toBeGreaterThan(20);
    expect(worst).toBeLessThan(1000 + 400);
    expect(await versions(db.url)).toEqual(['0001']);
    expect((await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'agents' AND column_name = 'region'`))[0].n).toBe(0);
    // Once the long transaction is gone, the same run goes through.
    const again = await apply(db.url, dir, { 'skip-backup': 'true', 'lock-timeout': '1s' });
    expect(again.exitCode).toBe(0);
    await holder.end();
    await app.end();
  }, 60_000);
});

describe('non-transactional migrations (case 35)', () => {
  it('builds an index CONCURRENTLY, and a failed one left INVALID is detected, reported with the fix, and not recorded', async () => {
    const db = await lab.createDatabase('concurrently');
    const dir = migrationsFolder({
      '0001_agents.sql': "CREATE TABLE agents (id bigint PRIMARY KEY, name text);\nINSERT INTO agents SELECT g, 'dup' FROM generate_series(1, 100) g;\n",
      '0002_idx.sql': '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY agents_name_idx ON agents (name);\n',
      '0003_unique.sql': '-- migrate:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY agents_name_key ON agents (name);\n',
      '0004_after.sql': 'CREATE TABLE after_unique (i int);\n'
    });
    const r = await apply(db.url, dir, { 'skip-backup': 'true' });
    expect(r.exitCode).toBe(1);
    expect(await versions(db.url)).toEqual(['0001', '0002']);
    expect((await query<{ valid: boolean }>(db.url, `SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'agents_name_idx'::regclass`))[0].valid).toBe(true);
    expect(r.summary).toContain('0003_unique.sql:2:');
    expect(r.summary).toContain('could not create unique index');
    expect(r.summary).toContain('index agents_name_key on agents is INVALID');
    expect(r.summary).toContain('DROP INDEX CONCURRENTLY agents_name_key;');
    expect(await exists(db.url, 'after_unique')).toBe(false);
    // verify says so too, until someone drops it.
    const v = await runBundle('migrate', { operation: 'verify', 'database-url': db.url, 'migrations-dir': dir, issue: 'off' });
    expect(v.exitCode).toBe(1);
    expect(v.summary).toContain('agents_name_key on agents is INVALID');
  });
});

describe('PostgreSQL restarted mid-run (case 36), on a scratch cluster of this test', () => {
  it('surfaces the connection error, and the re-run applies nothing twice', async () => {
    const cluster = await startMigrateScratchCluster();
    try {
      const admin = await lab.connect(cluster.url());
      await admin.query('CREATE DATABASE a2a_migrate_restart');
      await admin.end();
      const url = cluster.url('a2a_migrate_restart');
      const dir = migrationsFolder({
        '0001_first.sql': 'CREATE TABLE first_t (i int);\n',
        '0002_slow.sql': 'CREATE TABLE slow_t (i int);\nSELECT pg_sleep(10);\n',
        '0003_third.sql': 'CREATE TABLE third_t (i int);\n'
      });
      const run = startMigrateBundle({ operation: 'apply', 'database-url': url, 'migrations-dir': dir, 'skip-backup': 'true' });
      // Restart once 0001 is recorded and 0002 is running.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const seen = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(10)%' AND application_name = 'a2a-ops migrate'`).catch(() => [{ n: 0 }]);
        if (seen[0].n > 0) break;
        if (Date.now() > deadline) throw new Error('0002 never started');
        await new Promise((r) => setTimeout(r, 100));
      }
      cluster.restart();
      const r = await run.done;
      expect(r.exitCode).toBe(1);
      expect(r.summary).toMatch(/0002_slow\.sql: .*(terminating connection|Connection terminated)/);
      expect(await versions(url)).toEqual(['0001']);
      expect(await exists(url, 'slow_t')).toBe(false);
      // 0001 has no IF NOT EXISTS: running it twice would fail the re-run.
      const again = await apply(url, dir, { 'skip-backup': 'true' });
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain('[1/2] 0002_slow.sql');
      expect(await versions(url)).toEqual(['0001', '0002', '0003']);
    } finally {
      await cluster.stop();
    }
  }, 90_000);
});

describe('plan on a pull request, with scratch-apply', () => {
  it('posts the plan once and updates it in place on the GitHub stand-in, proves every migration runs on a scratch database, and drops it', async () => {
    const db = await lab.createDatabase('plan');
    const github = await startGitHubStandin();
    try {
      const pr = github.seedIssue({ title: 'Add region', pullRequest: true });
      const eventDir = migrationsFolder({ 'event.json': JSON.stringify({ pull_request: { number: pr.number } }) });
      const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(eventDir, 'event.json'), GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}` };
      const dir = migrationsFolder(FILES);
      const inputs = { operation: 'plan', 'database-url': lab.urlOf(db.name), 'migrations-dir': dir, 'scratch-apply': 'true', 'github-token': github.token, 'squawk-path': join(process.cwd(), 'node_modules/.bin/squawk'), issue: 'off' };
      // The scratch database is created beside the named one: the app user needs CREATEDB there, the lab superuser has it.
      inputs['database-url'] = lab.lab.superuser.url.replace(/\/[^/]+$/, `/${db.name}`);
      const first = await runBundle('migrate', inputs, env);
      expect(first.exitCode).toBe(0);
      expect(first.summary).toContain('Scratch apply: all 3 migrations applied cleanly to a fresh database');
      writeFileSync(join(dir, '0004_unsafe.sql'), 'CREATE INDEX agents_name_idx ON agents (name);\n');
      const second = await runBundle('migrate', inputs, env);
      expect(second.exitCode).toBe(0);
      const comments = github.state.comments.filter((c) => c.issueNumber === pr.number);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toContain('0004_unsafe.sql');
      expect(comments[0].body).toContain('squawk/require-concurrent-index-creation');
      expect(github.violations).toEqual([]);
      expect((await lab.listOurDatabases()).filter((n) => n.startsWith('a2a_migrate_scratch_'))).toEqual([]);
      // The named database was only read.
      expect(await exists(lab.urlOf(db.name), 'schema_migrations')).toBe(false);
      // A failing migration fails the scratch apply (and so files an issue when issue: auto).
      writeFileSync(join(dir, '0005_broken.sql'), 'ALTER TABLE nowhere ADD COLUMN x int;\n');
      const third = await runBundle('migrate', inputs, env);
      expect(third.exitCode).toBe(1);
      expect(third.summary).toContain('0005_broken.sql: relation "nowhere" does not exist (SQLSTATE 42P01)');
    } finally {
      await github.close();
    }
  }, 90_000);
});

describe('cancelled mid-migration (SIGTERM, as the runner cancels a step)', () => {
  it('cancels the statement in flight, rolls the migration back, releases the lock at once, and the next run applies it', async () => {
    const db = await lab.createDatabase('cancel');
    const dir = migrationsFolder({ '0001_first.sql': 'CREATE TABLE first_t (i int);\n', '0002_long.sql': 'CREATE TABLE long_t (i int);\nSELECT pg_sleep(30);\n' });
    const run = startMigrateBundle({ operation: 'apply', 'database-url': db.url, 'migrations-dir': dir, 'skip-backup': 'true' });
    const deadline = Date.now() + 20_000;
    while ((await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND application_name = 'a2a-ops migrate'`))[0].n === 0) {
      if (Date.now() > deadline) throw new Error('0002 never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    const signalled = performance.now();
    process.kill(run.pid, 'SIGTERM');
    const r = await run.done;
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('was cancelled (SIGTERM)');
    expect(await versions(db.url)).toEqual(['0001']);
    expect(await exists(db.url, 'long_t')).toBe(false);
    const busy = await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'a2a-ops migrate'`);
    expect(busy[0].n).toBe(0);
    const fixed = migrationsFolder({ '0001_first.sql': 'CREATE TABLE first_t (i int);\n', '0002_long.sql': 'CREATE TABLE long_t (i int);\nSELECT pg_sleep(30);\n'.replace('30', '0') });
    // The edited 0002 was never applied, so it is just pending, not a checksum mismatch.
    const again = await apply(db.url, fixed, { 'skip-backup': 'true' });
    expect(again.exitCode).toBe(0);
    expect(await versions(db.url)).toEqual(['0001', '0002']);
  }, 60_000);
});
