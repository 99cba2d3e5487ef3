// The report against the lab's real PostgreSQL 15 with pg_stat_statements loaded (the lab preloads it):
// a seeded workload with an unused, a duplicate and a prefix-redundant index and dead rows; the week-over-week
// comparison from the stored state; a scratch cluster without pg_stat_statements loaded; and the compose
// `postgres` service of a lab host reached through the SSH tunnel.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { DbMaintLab, startScratchCluster, type ScratchCluster, type TestRole } from '../../test-support/database-lab.js';
import { readHostsLab } from '../../test-support/lab-faults.js';
import { readLabPlatform } from '../../test-support/lab-platform.js';
import { cleanupRuns, reportOf, runInProcess, type HealthRun } from '../../action-health/__tests__/support/run-in-process.js';
import { run } from '../src/main.js';

const DB = 'a2a_dbmaint_report';
const lab = new DbMaintLab();
let owner: TestRole;
let app: pg.Client;

async function workload(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await app.query('SELECT count(*) FROM a2a_dbmaint_patterns WHERE name = $1', [`n${i % 50}`]);
}

beforeAll(async () => {
  owner = await lab.createRole('a2a_dbmaint_rep');
  await lab.createDatabase(DB, owner.name);
  const admin = await lab.admin(DB);
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await lab.end(admin);
  app = await lab.connect({ connectionString: owner.url(DB), application_name: 'api' });
  await app.query(`
    CREATE TABLE a2a_dbmaint_patterns (id int PRIMARY KEY, name text NOT NULL, score int NOT NULL);
    INSERT INTO a2a_dbmaint_patterns SELECT g, 'n' || (g % 50), g % 7 FROM generate_series(1, 20000) g;
    CREATE INDEX a2a_dbmaint_by_name ON a2a_dbmaint_patterns (name);
    CREATE INDEX a2a_dbmaint_by_name_again ON a2a_dbmaint_patterns (name);
    CREATE INDEX a2a_dbmaint_by_name_score ON a2a_dbmaint_patterns (name, score);
    CREATE INDEX a2a_dbmaint_by_score_unused ON a2a_dbmaint_patterns (score);
    UPDATE a2a_dbmaint_patterns SET score = score + 1 WHERE id % 2 = 0;
    ANALYZE a2a_dbmaint_patterns;`);
  await workload(200);
});
afterAll(async () => {
  cleanupRuns();
  await lab.drop();
});

function expectNoPassword(r: HealthRun, password: string): void {
  const visible = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  for (const pw of [password, encodeURIComponent(password)]) {
    for (const [where, text] of [['log', visible], ['summary', r.summary], ['outputs', JSON.stringify(r.outputs)]]) expect([where, text.includes(pw)]).toEqual([where, false]);
  }
}

const check = (r: HealthRun, id: string) => reportOf(r).checks.find((c) => c.id === id);
const section = (r: HealthRun, title: string): string => {
  const at = r.summary.indexOf(`### ${title}`);
  if (at < 0) throw new Error(`no section '${title}' in the summary:\n${r.summary.slice(0, 3000)}`);
  const next = r.summary.indexOf('\n### ', at + 4);
  return r.summary.slice(at, next < 0 ? undefined : next);
};

describe('report on the lab PostgreSQL with pg_stat_statements', () => {
  let first: HealthRun;

  it('lists the top queries (PostgreSQL 13+ column names), index usage, unused and duplicate indexes, sizes, bloat and the cache hit rate', async () => {
    first = await runInProcess(run, { operation: 'report', 'database-url': owner.url(DB) });
    expect(check(first, 'database:pg-stat-statements')).toMatchObject({ status: 'ok' });
    expect(check(first, 'database:pg-stat-statements')?.message).toContain('columns total_exec_time, mean_exec_time');
    const top = section(first, 'Top queries');
    expect(top).toMatch(/\| SELECT count\(\*\) FROM a2a_dbmaint_patterns WHERE name = \$1 \| 200 \|/);
    const usage = section(first, 'Index usage');
    expect(usage).toMatch(/\| public \| a2a_dbmaint_patterns \| a2a_dbmaint_by_score_unused \| 0 \| 0 \| 0 \|/);
    expect(check(first, 'database:unused-indexes')).toMatchObject({ status: 'warn' });
    expect(section(first, 'Unused indexes')).toContain('public.a2a_dbmaint_by_score_unused');
    expect(section(first, 'Unused indexes')).not.toContain('a2a_dbmaint_patterns_pkey');
    const dup = check(first, 'database:duplicate-indexes');
    expect(dup?.status).toBe('warn');
    // The identical pair (one of them goes) and the prefix of (name, score).
    expect(dup?.message).toMatch(/a2a_dbmaint_by_name(_again)? is identical to public\.a2a_dbmaint_by_name(_again)?/);
    expect(dup?.message).toMatch(/is a leading prefix of public\.a2a_dbmaint_by_name_score/);
    const sizes = section(first, 'Table and index sizes');
    expect(sizes).toMatch(/\| public\.a2a_dbmaint_patterns \| [\d.]+ (kB|MB) \| [\d.]+ (kB|MB) \| [\d.]+ (kB|MB) \| \d+ \| \d+ \| \d+ % \(~[\d.]+ (B|kB|MB)\) \|/);
    expect(check(first, 'database:bloat')).toMatchObject({ status: 'ok' });
    expect(check(first, 'database:cache-hit-rate')?.message).toMatch(/^cache hit rate \d+\.\d\d %/);
    expect(section(first, 'Week over week')).toContain('first run: no history yet');
    expect(first.exitCode).toBeUndefined();
    expectNoPassword(first, owner.password);
  });

  it('compares with the run a week before from the stored state', async () => {
    // The first run's samples, moved a week back: as if it had been last week's scheduled run.
    const file = join(first.dir, 'state', 'database.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as { history: Record<string, Array<{ t: string; v: number }>> };
    for (const samples of Object.values(state.history)) for (const s of samples) s.t = new Date(Date.parse(s.t) - 7 * 86_400_000).toISOString();
    writeFileSync(file, JSON.stringify(state));
    await app.query(`INSERT INTO a2a_dbmaint_patterns SELECT g, 'n' || (g % 50), 1 FROM generate_series(20001, 60000) g`);
    await workload(50);

    const r = await runInProcess(run, { operation: 'report', 'database-url': owner.url(DB) }, {}, first.dir);
    const week = section(r, 'Week over week');
    expect(week).toMatch(/\| Table public\.a2a_dbmaint_patterns \| [\d.]+ MB \| [\d.]+ (kB|MB) \| \+[\d.]+ (kB|MB) \(\+\d+\.\d %\) \|/);
    expect(week).not.toContain('first run');
    // 250 calls now, 200 a week ago: 50 in the week.
    expect(section(r, 'Top queries')).toMatch(/\| SELECT count\(\*\) FROM a2a_dbmaint_patterns WHERE name = \$1 \| 250 \| [^|]+ \| [^|]+ \| [^|]+ \| 50 \| [^|]+ \|/);
  });
});

describe('report on a server without pg_stat_statements loaded', () => {
  let cluster: ScratchCluster;
  beforeAll(async () => {
    cluster = await startScratchCluster();
  });
  afterAll(() => cluster?.stop());

  it('warns that it is not loaded, and says how to enable it', async () => {
    const r = await runInProcess(run, { operation: 'report', 'database-url': cluster.url() });
    const c = check(r, 'database:pg-stat-statements');
    expect(c?.status).toBe('warn');
    expect(c?.message).toContain('pg_stat_statements is not loaded (it is not in shared_preload_libraries) and not created in this database');
    expect(c?.message).toContain("To enable it, add `shared_preload_libraries = 'pg_stat_statements'` to postgresql.conf");
    expect(r.summary).not.toContain('### Top queries');
    // Everything else is still reported.
    expect(check(r, 'database:cache-hit-rate')).toBeDefined();
    expect(r.exitCode).toBeUndefined();
  });

  it('says the extension is created but not loaded when only CREATE EXTENSION was done', async () => {
    const { default: pgLib } = await import('pg');
    const c = new pgLib.Client({ connectionString: cluster.url() });
    await c.connect();
    await c.query('CREATE EXTENSION pg_stat_statements');
    await c.end();
    const r = await runInProcess(run, { operation: 'report', 'database-url': cluster.url() });
    expect(check(r, 'database:pg-stat-statements')?.message).toMatch(/^the extension is created but not loaded: pg_stat_statements must be loaded via shared_preload_libraries/);
  });
});

describe('report on the compose postgres service through database-ssh-host', () => {
  it('reads the service’s database through the SSH tunnel, on a read-only session', async () => {
    const hosts = readHostsLab();
    const platform = readLabPlatform();
    const host = hosts.hosts[0];
    const project = platform.hosts.find((h) => h.name === host.name)?.projectName;
    if (!project) throw new Error(`docker.json has no compose project for lab host ${host.name}: is the docker part up?`);
    const pg = platform.postgres;
    const dir = mkdtempSync(join(tmpdir(), 'a2a_dbmaint_tunnel-'));
    const config = join(dir, 'ops.yml');
    writeFileSync(config, `hosts:\n  - name: ${host.name}\n    address: ${host.address}\n    port: ${host.port}\n    user: ${hosts.user}\n`);
    const r = await runInProcess(run, {
      operation: 'report',
      config,
      'database-url': `postgresql://${pg.user}:${encodeURIComponent(pg.password)}@${pg.service}:${pg.port}/${pg.database}`,
      'database-ssh-host': host.name,
      'compose-project': project,
      'ssh-private-key': readFileSync(hosts.privateKeyPath, 'utf8'),
      'ssh-fingerprint': host.fingerprint
    });
    const target = `${pg.user}@${pg.service}:${pg.port}/${pg.database} via ${host.name}`;
    expect(reportOf(r).checks.every((c) => c.target === target)).toBe(true);
    expect(r.summary).toMatch(new RegExp(`Reached through an SSH tunnel on ${host.name} to container ${project}[_-]postgres[_-]1 at \\d+\\.\\d+\\.\\d+\\.\\d+:5432`));
    expect(r.summary).toContain('### Table and index sizes');
    expect(r.log).toContain('Cleanup: close the database tunnel');
    expect(r.log).toContain(`Cleanup: close the SSH connection to ${host.name}`);
    expectNoPassword(r, pg.password);
    rmSync(dir, { recursive: true, force: true });
  });
});
