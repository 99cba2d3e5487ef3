// The database checks against the lab's real PostgreSQL 15: load made with real sessions, a real stopped server.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { defaultConfig, scrubSecrets } from '../src/index.js';
import { LAB_DIR, readLabPart } from '../../test-support/lab.js';
import { checkDatabase } from '../src/health/database/index.js';
import { parseDatabaseUrl } from '../src/index.js';
import { freePort } from '../../test-support/free-port.js';

interface LabPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  url: string;
  maxConnections: number;
  superuser: { user: string; password: string; url: string };
  clusterScript: string;
}

const lab = readLabPart<LabPostgres>('postgres');
const base = defaultConfig().thresholds;
const opened: pg.Client[] = [];

async function openClients(n: number): Promise<pg.Client[]> {
  const clients = Array.from({ length: n }, () => new pg.Client({ connectionString: lab.url, application_name: 'lab-load' }));
  for (const c of clients) c.on('error', () => undefined);
  await Promise.all(clients.map((c) => c.connect()));
  opened.push(...clients);
  return clients;
}

async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((c) => c.end().catch(() => undefined)));
}

afterAll(closeAll);

async function check(thresholds = base, url = lab.url, timeoutMs = 5000) {
  const checks = await checkDatabase(parseDatabaseUrl(url, 'lab url'), thresholds, { target: 'lab', timeoutMs });
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

describe('checkDatabase on the lab PostgreSQL 15', () => {
  it('finds a healthy database ok, with pg_stat_statements and the seeded unused index', async () => {
    const byId = await check();
    for (const c of Object.values(byId)) expect([c.id, c.status]).toEqual([c.id, 'ok']);
    expect(byId['database:reachability'].message).toContain('PostgreSQL 15');
    expect(byId['database:top-queries'].details).toBeDefined();
    expect(byId['database:unused-indexes'].details).toContain('public.patterns_confidence_unused_idx on patterns');
  });

  it('warns at 80 % of max_connections and fails above the absolute limit', async () => {
    // 40 slots; our own session counts too: 31 + 1 = 32 = 80 %.
    await openClients(Math.ceil(lab.maxConnections * 0.8) - 1);
    try {
      const warn = await check();
      expect(warn['database:connections'].status).toBe('warn');
      expect(warn['database:connections'].value).toBeGreaterThanOrEqual(32);
      const fail = await check({ ...base, dbConnectionsFail: 20 });
      expect(fail['database:connections'].status).toBe('fail');
      expect(fail['database:connections'].message).toContain('above the alert threshold of 20');
    } finally {
      await closeAll();
    }
  });

  it('fails on a long-running query, naming its pid, and never cancels it', async () => {
    const [runner] = await openClients(1);
    const pid = (await runner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const sleeping = runner.query('SELECT pg_sleep(4)');
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const byId = await check({ ...base, longQueryMs: 1000 });
      expect(byId['database:long-queries'].status).toBe('fail');
      expect(byId['database:long-queries'].message).toContain(`pid ${pid}`);
      expect(byId['database:long-queries'].details).toContain('SELECT pg_sleep(4)');
      // Read-only: the query it found runs to completion.
      await expect(sleeping).resolves.toBeDefined();
    } finally {
      await sleeping.catch(() => undefined);
      await closeAll();
    }
  });

  it('warns about a session idle in a transaction, and about the query it blocks', async () => {
    const [holder, waiter] = await openClients(2);
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await holder.query('BEGIN');
    await holder.query(`UPDATE agents SET kind = kind WHERE id = 1`);
    // Blocked on the holder's row lock until the holder rolls back.
    const blocked = waiter.query(`UPDATE agents SET kind = kind WHERE id = 1`);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const byId = await check({ ...base, longQueryMs: 1000 });
      expect(byId['database:idle-in-transaction'].status).toBe('warn');
      expect(byId['database:idle-in-transaction'].details).toContain(`pid ${holderPid}`);
      expect(byId['database:blocked-queries'].status).toBe('warn');
      expect(byId['database:blocked-queries'].message).toContain(`pid ${holderPid}`);
      expect(byId['database:blocked-queries'].details).toContain('UPDATE agents SET kind = kind');
    } finally {
      await holder.query('ROLLBACK');
      await blocked.catch(() => undefined);
      await closeAll();
    }
  });

  it('fails on a wrong password without printing either password', async () => {
    const wrong = lab.url.replace(encodeURIComponent(lab.password), 'not-the-password-123');
    const byId = await check(base, wrong);
    const reach = byId['database:reachability'];
    expect(reach.status).toBe('fail');
    expect(reach.message).toContain('password authentication failed');
    expect(JSON.stringify(byId)).not.toContain(lab.password);
    expect(scrubSecrets(`x ${lab.password} y`)).toBe('x *** y');
  });
});

describe('a stopped PostgreSQL', () => {
  it('fails "not accepting connections" within the timeout', async () => {
    // A cluster of our own: stopping the shared lab server would break other tests.
    const dir = mkdtempSync(join(LAB_DIR, 'pg-stopped-'));
    // mkdtemp makes it 0700; the cluster runs as the postgres user, which must get through to its own dir.
    chmodSync(dir, 0o755);
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'stopped-cluster-pw\n');
    const port = await freePort();
    const clusterDir = join(dir, 'cluster');
    execFileSync('bash', [lab.clusterScript, 'up', clusterDir, String(port), 'tester', pw], { stdio: 'pipe', timeout: 60_000 });
    const url = `postgresql://tester:stopped-cluster-pw@127.0.0.1:${port}/postgres`;
    try {
      const up = await check(base, url);
      expect(up['database:reachability'].status).toBe('ok');
      execFileSync('bash', [lab.clusterScript, 'down', clusterDir], { stdio: 'pipe', timeout: 60_000 });
      const started = Date.now();
      const down = await check(base, url, 3000);
      expect(down['database:reachability'].status).toBe('fail');
      expect(down['database:reachability'].message).toContain('not accepting connections');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      execFileSync('bash', [lab.clusterScript, 'down', clusterDir], { stdio: 'pipe', timeout: 60_000 });
      execFileSync('rm', ['-rf', dir]);
    }
  });
});
