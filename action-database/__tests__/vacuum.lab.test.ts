// vacuum-analyze against the lab's real PostgreSQL 15: a table an application transaction holds is skipped
// within lock_timeout (the other tables vacuumed, with progress lines), a real pg_dump running stops the
// whole run before any VACUUM, and `tables` names what to vacuum.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inputEnvName } from '../../test-support/run-bundle.js';
import { join } from 'node:path';
import type pg from 'pg';
import { DbMaintLab, waitForRow, type TestRole } from '../../test-support/database-lab.js';
import { cleanupRuns, reportOf, runInProcess } from '../../action-health/__tests__/support/run-in-process.js';
import { run } from '../src/main.js';

const DB = 'a2a_dbmaint_vacuum';
const lab = new DbMaintLab();
let owner: TestRole;
let setup: pg.Client;

beforeAll(async () => {
  owner = await lab.createRole('a2a_dbmaint_vac');
  await lab.createDatabase(DB, owner.name);
  setup = await lab.connect({ connectionString: owner.url(DB) });
  await setup.query(`
    CREATE TABLE free_rows (id int PRIMARY KEY, v text);
    CREATE TABLE held_rows (id int PRIMARY KEY, v text);
    INSERT INTO free_rows SELECT g, 'x' FROM generate_series(1, 5000) g;
    INSERT INTO held_rows SELECT g, 'x' FROM generate_series(1, 5000) g;
    UPDATE free_rows SET v = 'y';
    UPDATE held_rows SET v = 'y';`);
});
afterAll(async () => {
  cleanupRuns();
  await lab.drop();
});

async function vacuumCount(table: string): Promise<number> {
  const r = await setup.query<{ n: number }>('SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = $1', [table]);
  return r.rows[0].n;
}

/** An application transaction holding ACCESS EXCLUSIVE on held_rows until `release()`. */
async function holdLock(): Promise<{ release: () => Promise<void> }> {
  const holder = await lab.connect({ connectionString: owner.url(DB), application_name: 'api' });
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE held_rows IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await holder.query('ROLLBACK');
      await lab.end(holder);
    }
  };
}

describe('vacuum-analyze on the lab PostgreSQL', () => {
  it('vacuums each table with a progress line, and skips the one an application holds within lock_timeout', async () => {
    const lock = await holdLock();
    try {
      const before = await vacuumCount('free_rows');
      const started = Date.now();
      const r = await runInProcess(run, { operation: 'vacuum-analyze', 'database-url': owner.url(DB), 'lock-timeout': '500ms' });
      const elapsed = Date.now() - started;
      const checks = reportOf(r).checks;
      expect(checks.find((c) => c.id === 'database:vacuum:public.free_rows')).toMatchObject({ status: 'ok' });
      const held = checks.find((c) => c.id === 'database:vacuum:public.held_rows');
      expect(held?.status).toBe('warn');
      expect(held?.message).toContain('skipped: its lock was not granted within lock_timeout');
      expect(held?.value as number).toBeLessThan(2000);
      expect(checks.find((c) => c.id === 'database:vacuum-analyze')?.message).toMatch(/^1 of 2 table\(s\) vacuumed and analyzed in .*, 1 skipped$/);
      expect(r.log).toMatch(/\[\d\/2\] public\.free_rows \([^)]+, \d+ dead rows\): vacuumed and analyzed in /);
      expect(r.log).toMatch(/\[\d\/2\] public\.held_rows \([^)]+\): skipped \(its lock was not granted/);
      expect(r.outputs).toMatchObject({ vacuumed: '1', skipped: '1' });
      // A skipped table is a warning, not a failure of the step.
      expect(r.exitCode).toBeUndefined();
      expect(await vacuumCount('free_rows')).toBe(before + 1);
      expect(elapsed).toBeLessThan(15_000);
      expect(r.summary).toContain('### VACUUM ANALYZE');
    } finally {
      await lock.release();
    }
  });

  it('does not start while a real pg_dump runs, and names it', async () => {
    const lock = await holdLock();
    let dump: ChildProcess | undefined;
    try {
      // pg_dump waits for its ACCESS SHARE lock on held_rows: a backup that is running, for real.
      dump = spawn(join(lab.lab.binDir, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(lab.lab.port), '-U', owner.name, '-d', DB, '-f', '/dev/null'], {
        env: { ...process.env, PGPASSWORD: owner.password },
        stdio: 'ignore'
      });
      await waitForRow(setup, `SELECT 1 FROM pg_stat_activity WHERE application_name = 'pg_dump' AND datname = $1`, [DB]);
      const before = await vacuumCount('free_rows');
      const r = await runInProcess(run, { operation: 'vacuum-analyze', 'database-url': owner.url(DB), 'lock-timeout': '500ms' });
      const check = reportOf(r).checks.find((c) => c.id === 'database:vacuum-analyze');
      expect(check?.status).toBe('warn');
      expect(check?.message).toMatch(/^skipped: a backup is running \(pid \d+: a backup \(application 'pg_dump', client backend\) is running\)/);
      expect(reportOf(r).checks).toHaveLength(1);
      expect(r.outputs).toMatchObject({ vacuumed: '0', skipped: 'all' });
      expect(await vacuumCount('free_rows')).toBe(before);
    } finally {
      await lock.release();
      if (dump && dump.exitCode === null) await new Promise((resolve) => dump?.on('exit', resolve));
    }
  });

  it('cancels its own VACUUM when the runner cancels the step (SIGTERM), so no lock is held after it', async () => {
    const lock = await holdLock();
    const dir = mkdtempSync(join(tmpdir(), 'a2a_dbmaint_cancel-'));
    try {
      writeFileSync(join(dir, 'out'), '');
      writeFileSync(join(dir, 'summary'), '');
      const inputs = { operation: 'vacuum-analyze', 'database-url': owner.url(DB), tables: 'held_rows', 'lock-timeout': '60s', issue: 'off' };
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_EVENT_NAME: 'workflow_dispatch', A2A_OPS_STATE_DIR: join(dir, 'state'), RUNNER_TEMP: dir };
      for (const [k, v] of Object.entries(inputs)) env[inputEnvName(k)] = v;
      const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'dist', 'index.js')], { env, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // The VACUUM is queued behind the application's lock.
      await waitForRow(setup, `SELECT 1 FROM pg_stat_activity WHERE application_name = 'a2a-ops vacuum-analyze' AND state = 'active' AND query ILIKE 'VACUUM%' AND wait_event_type = 'Lock'`);
      child.kill('SIGTERM');
      expect(await exited).toBe(1);
      const left = await setup.query(`SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'a2a-ops vacuum-analyze%' AND state = 'active'`);
      expect(left.rows).toEqual([]);
      expect(readFileSync(join(dir, 'summary'), 'utf8')).toContain('Cleaned up: cancel the VACUUM of public.held_rows');
    } finally {
      await lock.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('vacuums only the tables named, and fails on a name that is not there', async () => {
    const r = await runInProcess(run, { operation: 'vacuum-analyze', 'database-url': owner.url(DB), tables: 'free_rows, public.no_such_table' });
    const ids = reportOf(r).checks.map((c) => [c.id, c.status]);
    expect(ids).toEqual([
      ['database:vacuum:public.no_such_table', 'fail'],
      ['database:vacuum:public.free_rows', 'ok'],
      ['database:vacuum-analyze', 'ok']
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('refuses a table name that is not an identifier before connecting', async () => {
    const r = await runInProcess(run, { operation: 'vacuum-analyze', 'database-url': owner.url(DB), tables: 'free_rows; DROP TABLE held_rows' });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain("Input 'tables' has 'free_rows; DROP TABLE held_rows', which is not a table name");
    expect(r.outputs.report).toBeUndefined();
  });

  it('refuses pull_request events before connecting', async () => {
    const r = await runInProcess(run, { operation: 'vacuum-analyze', 'database-url': owner.url(DB) }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain("action-database 'vacuum-analyze' changes production and refuses to run on 'pull_request' events");
  });
});
