// terminate-long-queries against the lab's real PostgreSQL 15 (catalogue case 37): real pg_sleep queries,
// a session idle in a transaction, a superuser's query, a real walsender (a replication=database
// connection running a query) and a query in another database. The action runs as a role with
// pg_signal_backend and pg_monitor, as a DBA would set it up; everything is created and dropped here.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { openDatabaseSession, readActivity, selectQueryTargets } from '../../shared/src/index.js';
import { DbMaintLab, waitForRow, type TestRole } from '../../test-support/database-lab.js';
import { cleanupRuns, reportOf, runInProcess, type HealthRun } from '../../action-health/__tests__/support/run-in-process.js';
import { run } from '../src/main.js';
import { signalTargets } from '../src/terminate/signal-targets.js';

const MAIN = 'a2a_dbmaint_main';
const OTHER = 'a2a_dbmaint_other';
const lab = new DbMaintLab();
let killer: TestRole;
let app: TestRole;
let admin: TestRole;
let repl: TestRole;

beforeAll(async () => {
  killer = await lab.createRole('a2a_dbmaint_killer', '', ['pg_signal_backend', 'pg_monitor']);
  app = await lab.createRole('a2a_dbmaint_app');
  admin = await lab.createRole('a2a_dbmaint_admin', 'SUPERUSER');
  repl = await lab.createRole('a2a_dbmaint_repl', 'REPLICATION');
  await lab.createDatabase(MAIN, app.name);
  await lab.createDatabase(OTHER, app.name);
});
afterAll(async () => {
  cleanupRuns();
  await lab.drop();
});

/** One session running `sql` (never awaited by the test until it ends), with its pid. */
interface Sleeper {
  client: pg.Client;
  pid: number;
  /** Settles when the query ends: the error when it was cancelled or the session terminated. */
  ended: Promise<{ ok: boolean; code?: string }>;
}
const sleepers: Sleeper[] = [];

async function start(config: pg.ClientConfig, sql: string | string[]): Promise<Sleeper> {
  const client = await lab.connect(config);
  const pid = await lab.identity(client);
  const statements = Array.isArray(sql) ? sql : [sql];
  for (const s of statements.slice(0, -1)) await client.query(s);
  const ended = client.query(statements[statements.length - 1]).then(
    () => ({ ok: true }),
    (e: { code?: string }) => ({ ok: false, code: e.code })
  );
  const s = { client, pid, ended };
  sleepers.push(s);
  return s;
}

afterEach(async () => {
  // A backend in pg_sleep does not notice its client leave: end each one, so no test sees the last one's.
  const done = sleepers.splice(0);
  const c = await lab.admin();
  try {
    await c.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE pid = ANY($1::int[])', [done.map((s) => s.pid)]);
  } finally {
    await lab.end(c);
  }
  for (const s of done) await lab.end(s.client);
});

/** Backends still there, by pid, as the lab superuser sees them. */
async function alive(pids: number[]): Promise<Record<number, string | null>> {
  const c = await lab.admin();
  try {
    const r = await c.query<{ pid: number; state: string | null }>('SELECT pid, state FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    return Object.fromEntries(r.rows.map((x) => [x.pid, x.state]));
  } finally {
    await lab.end(c);
  }
}

function terminate(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<HealthRun> {
  return runInProcess(run, { operation: 'terminate-long-queries', 'database-url': killer.url(MAIN), 'min-duration': '2s', 'grace-period': '1s', ...inputs }, env);
}

function expectNoPassword(r: HealthRun): void {
  const visible = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  for (const pw of [killer.password, encodeURIComponent(killer.password)]) {
    for (const [where, text] of [['log', visible], ['summary', r.summary], ['outputs', JSON.stringify(r.outputs)]]) expect([where, text.includes(pw)]).toEqual([where, false]);
  }
}

/** The long runners every test starts: one target and one of each protected kind. */
async function startScene(): Promise<Record<'target' | 'idleTx' | 'superuser' | 'walsender' | 'otherDb' | 'backup', Sleeper>> {
  const scene = {
    target: await start({ connectionString: app.url(MAIN), application_name: 'api' }, 'SELECT pg_sleep(60) /* a2a_dbmaint target */'),
    idleTx: await start({ connectionString: app.url(MAIN), application_name: 'worker' }, ['BEGIN', 'SELECT 1 /* a2a_dbmaint idle */']),
    superuser: await start({ connectionString: admin.url(MAIN), application_name: 'dba' }, 'SELECT pg_sleep(60) /* a2a_dbmaint superuser */'),
    // A real walsender: a replication=database connection, which may run SQL as well as replicate.
    walsender: await start({ connectionString: repl.url(MAIN), replication: 'database', application_name: 'replica' } as pg.ClientConfig, 'SELECT pg_sleep(60) /* a2a_dbmaint walsender */'),
    otherDb: await start({ connectionString: app.url(OTHER), application_name: 'api' }, 'SELECT pg_sleep(60) /* a2a_dbmaint other */'),
    // Named as pg_dump names its session: a long backup, which a query killer must not break.
    backup: await start({ connectionString: app.url(MAIN), application_name: 'pg_dump' }, 'SELECT pg_sleep(60) /* a2a_dbmaint backup */')
  };
  const c = await lab.admin();
  try {
    await waitForRow(c, `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND backend_type = 'walsender' AND state = 'active'`, [scene.walsender.pid]);
  } finally {
    await lab.end(c);
  }
  // Past min-duration (2 s) for all of them.
  await new Promise((r) => setTimeout(r, 2500));
  return scene;
}

describe('terminate-long-queries on the lab PostgreSQL', () => {
  it('lists the target and every protected session in a dry run, and signals nothing', async () => {
    const s = await startScene();
    const r = await terminate({});
    expect(r.outputs.targets).toBe(String(s.target.pid));
    expect(r.outputs.cancelled).toBe('0');
    const check = reportOf(r).checks.find((c) => c.id === 'database:long-queries');
    expect(check).toMatchObject({ status: 'warn', value: 1 });
    expect(check?.message).toContain('would be cancelled (dry run');
    expect(r.summary).toContain('dry run: nothing signalled');
    const line = (pid: number): string => r.summary.split('\n').find((l) => l.startsWith(`| ${pid} |`)) ?? `(no row for pid ${pid})`;
    expect(line(s.target.pid)).toContain('| target |');
    expect(line(s.walsender.pid)).toContain('protected: walsender');
    expect(line(s.superuser.pid)).toContain(`protected: superuser '${admin.name}'`);
    expect(line(s.otherDb.pid)).toContain(`protected: database '${OTHER}'`);
    expect(line(s.backup.pid)).toContain("protected: a backup (application 'pg_dump')");
    // Idle in a transaction is not a target unless asked for, so it is not even listed.
    expect(r.summary).not.toContain(`| ${s.idleTx.pid} |`);
    const states = await alive(Object.values(s).map((x) => x.pid));
    expect(Object.values(s).map((x) => states[x.pid])).toEqual(['active', 'idle in transaction', 'active', 'active', 'active', 'active']);
    expectNoPassword(r);
  });

  it('cancels the long query, terminates the idle transaction after the grace period, and leaves the protected ones running', async () => {
    const s = await startScene();
    const r = await terminate({ 'dry-run': 'false', 'include-idle-in-transaction': 'true' });
    expect(reportOf(r).checks.find((c) => c.id === 'database:long-queries')?.message).toContain('2 queries longer than 2 s: 1 cancelled, 1 terminated');
    expect([r.outputs.cancelled, r.outputs.terminated]).toEqual(['1', '1']);
    // The cancelled query failed with "canceling statement due to user request"; its session lives on.
    await expect(s.target.ended).resolves.toEqual({ ok: false, code: '57014' });
    const states = await alive(Object.values(s).map((x) => x.pid));
    expect(states[s.target.pid]).toBe('idle');
    expect(states[s.idleTx.pid]).toBeUndefined();
    expect([states[s.superuser.pid], states[s.walsender.pid], states[s.otherDb.pid], states[s.backup.pid]]).toEqual(['active', 'active', 'active', 'active']);
    expect(r.log).toMatch(new RegExp(`pid ${s.target.pid}: pg_cancel_backend sent`));
    expect(r.log).toMatch(new RegExp(`pid ${s.idleTx.pid}: pg_terminate_backend sent, backend exited`));
    expect(r.summary).toContain('### Signals sent');
    expect(r.summary).toMatch(new RegExp(`\| ${s.idleTx.pid} \| ${app.name} \| [0-9.]+ s \| terminated \|`));
    expect(r.exitCode).toBeUndefined();
    expectNoPassword(r);
  });

  it('signals at most max-targets, the longest first, and names the rest', async () => {
    const first = await start({ connectionString: app.url(MAIN) }, 'SELECT pg_sleep(60) /* a2a_dbmaint cap 1 */');
    await new Promise((r) => setTimeout(r, 300));
    const second = await start({ connectionString: app.url(MAIN) }, 'SELECT pg_sleep(60) /* a2a_dbmaint cap 2 */');
    await new Promise((r) => setTimeout(r, 300));
    const third = await start({ connectionString: app.url(MAIN) }, 'SELECT pg_sleep(60) /* a2a_dbmaint cap 3 */');
    await new Promise((r) => setTimeout(r, 2500));
    const r = await terminate({ 'dry-run': 'false', 'max-targets': '2' });
    expect(r.outputs.targets).toBe(`${first.pid},${second.pid}`);
    expect(r.outputs.cancelled).toBe('2');
    expect(reportOf(r).checks[0].message).toContain("1 more over the cap of 'max-targets' left alone");
    expect((await alive([third.pid]))[third.pid]).toBe('active');
  });

  it('fails, naming pg_signal_backend, when asked to signal a superuser it may not, and that query runs on', async () => {
    const su = await start({ connectionString: admin.url(MAIN) }, 'SELECT pg_sleep(60) /* a2a_dbmaint su */');
    await new Promise((r) => setTimeout(r, 2500));
    const r = await terminate({ 'dry-run': 'false', 'include-superusers': 'true' });
    const check = reportOf(r).checks.find((c) => c.id === 'database:long-queries');
    expect(check?.status).toBe('fail');
    expect(check?.message).toContain('1 refused');
    expect(r.summary).toContain('pg_signal_backend');
    expect(r.exitCode).toBe(1);
    expect((await alive([su.pid]))[su.pid]).toBe('active');
  });

  it('re-checks (pid, backend_start, query_start) before the signal: a session that moved on to another query is left alone', async () => {
    const victim = await start({ connectionString: app.url(MAIN) }, 'SELECT pg_sleep(60) /* a2a_dbmaint moved on */');
    await new Promise((r) => setTimeout(r, 2200));
    const session = await openDatabaseSession(killer.url(MAIN), { mode: 'read-write', applicationName: 'a2a_dbmaint test', connectTimeoutMs: 5000 });
    try {
      const picked = selectQueryTargets(await readActivity(session.client), { database: MAIN, minDurationMs: 2000, includeIdleInTransaction: false, includeSuperusers: false, allDatabases: false, max: 5 });
      expect(picked.targets.map((t) => t.pid)).toEqual([victim.pid]);
      // Between the choice and the signal, the query ends and the same session starts another one.
      const c = await lab.admin();
      await c.query('SELECT pg_cancel_backend($1)', [victim.pid]);
      await lab.end(c);
      await victim.ended;
      const next = victim.client.query('SELECT pg_sleep(60) /* a2a_dbmaint next query */').catch(() => undefined);
      await waitForRow(session.client, `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%next query%'`, [victim.pid]);
      const lines: string[] = [];
      const results = await signalTargets(session, picked.targets, { gracePeriodMs: 500, includeIdleInTransaction: false, serverVersionNum: 150000, log: (l) => lines.push(l) });
      expect(results.map((x) => x.outcome)).toEqual(['ended before any signal']);
      expect(lines).toEqual([`pid ${victim.pid}: ended before any signal (nothing sent)`]);
      expect((await alive([victim.pid]))[victim.pid]).toBe('active');
      void next;
    } finally {
      await session.close();
    }
  });
});

describe('a run cancelled during the grace period', () => {
  it('terminates nothing: the cancelled run leaves the idle transaction as it found it', async () => {
    const idle = await start({ connectionString: app.url(MAIN) }, ['BEGIN', 'SELECT 1 /* a2a_dbmaint abort */']);
    await new Promise((r) => setTimeout(r, 2200));
    const session = await openDatabaseSession(killer.url(MAIN), { mode: 'read-write', applicationName: 'a2a_dbmaint test', connectTimeoutMs: 5000 });
    try {
      const opts = { database: MAIN, minDurationMs: 2000, includeIdleInTransaction: true, includeSuperusers: false, allDatabases: false, max: 5 };
      const picked = selectQueryTargets(await readActivity(session.client), opts);
      expect(picked.targets.map((t) => t.pid)).toEqual([idle.pid]);
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 300);
      const started = Date.now();
      const results = await signalTargets(session, picked.targets, { gracePeriodMs: 10_000, includeIdleInTransaction: true, serverVersionNum: 150000, log: () => undefined, signal: abort.signal, pollMs: 100 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(results.map((x) => [x.outcome, x.detail])).toEqual([['still running', 'the run was cancelled before pg_terminate_backend']]);
      expect((await alive([idle.pid]))[idle.pid]).toBe('idle in transaction');
    } finally {
      await session.close();
    }
  });
});

describe('terminate-long-queries refuses before connecting', () => {
  it.each([
    ['pull_request', "refuses to run on 'pull_request' events"],
    ['pull_request_target', "refuses to run on 'pull_request_target' events"],
    ['workflow_run', "refuses to run on 'workflow_run' events"],
    ['push', "runs only from workflow_dispatch (or a schedule with 'allow-schedule: true'), not on 'push' events"],
    ['schedule', "does not run on a schedule unless the workflow opts in: set 'allow-schedule: true'"]
  ])('on %s', async (event, message) => {
    const r = await terminate({ 'dry-run': 'false' }, { GITHUB_EVENT_NAME: event });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain(message);
    // Nothing connected: the summary is empty and no check ran.
    expect(r.outputs.status).toBe('fail');
    expect(r.outputs.report).toBeUndefined();
  });
});
