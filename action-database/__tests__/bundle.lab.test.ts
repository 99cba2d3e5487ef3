// The committed bundle, run as the runner runs it (a fresh node, INPUT_* env, output and summary files):
// the report against the lab's PostgreSQL with pg_stat_statements, and a terminate-long-queries dry run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { DbMaintLab, type TestRole } from '../../test-support/database-lab.js';
import { runBundle } from '../../test-support/run-bundle.js';

const DB = 'a2a_dbmaint_bundle';
const lab = new DbMaintLab();
let owner: TestRole;
let sleeper: pg.Client;
let sleeperPid: number;

beforeAll(async () => {
  owner = await lab.createRole('a2a_dbmaint_bundler', '', ['pg_signal_backend', 'pg_monitor']);
  await lab.createDatabase(DB, owner.name);
  const admin = await lab.admin(DB);
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await lab.end(admin);
  const c = await lab.connect({ connectionString: owner.url(DB) });
  await c.query('CREATE TABLE a2a_dbmaint_items (id int PRIMARY KEY, v int); INSERT INTO a2a_dbmaint_items SELECT g, g FROM generate_series(1, 1000) g;');
  // Heavy enough to top the extension's own CREATE statements by total time.
  for (let i = 0; i < 5; i++) await c.query('SELECT count(*) FROM a2a_dbmaint_items a, a2a_dbmaint_items b WHERE a.v + b.v = $1', [i]);
  sleeper = await lab.connect({ connectionString: owner.url(DB), application_name: 'api' });
  sleeperPid = await lab.identity(sleeper);
  void sleeper.query('SELECT pg_sleep(30) /* a2a_dbmaint bundle */').catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1500));
});
afterAll(async () => {
  const c = await lab.admin();
  await c.query('SELECT pg_terminate_backend($1, 5000)', [sleeperPid]);
  await lab.end(c);
  await lab.drop();
});

describe('action-database bundle', () => {
  it('reports, with pg_stat_statements, and never prints the password', async () => {
    const r = await runBundle('database', { operation: 'report', 'database-url': owner.url(DB), issue: 'off' });
    expect(r.exitCode).toBe(0);
    expect(r.report?.checks.find((c) => c.id === 'database:pg-stat-statements')?.status).toBe('ok');
    expect(r.summary).toContain('SELECT count(*) FROM a2a_dbmaint_items a, a2a_dbmaint_items b WHERE a.v + b.v = $1 | 5 |');
    for (const text of [r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), r.stderr, r.summary, JSON.stringify(r.outputs)]) {
      expect(text.includes(owner.password)).toBe(false);
      expect(text.includes(encodeURIComponent(owner.password))).toBe(false);
    }
  });

  it('lists the long query in a dry run and leaves it running', async () => {
    const r = await runBundle('database', { operation: 'terminate-long-queries', 'database-url': owner.url(DB), 'min-duration': '1s', issue: 'off' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.targets).toBe(String(sleeperPid));
    const c = await lab.admin();
    const state = (await c.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [sleeperPid])).rows[0]?.state;
    await lab.end(c);
    expect(state).toBe('active');
  });
});
