// The database checks against a real wire-protocol server in-process (PGlite), plus dead and silent ports.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { clearSecretsForTest, defaultConfig, parseDatabaseUrl } from '../src/index.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';
import { CHECK_APPLICATION_NAME, checkDatabase } from '../src/health/database/index.js';

const thresholds = defaultConfig().thresholds;
const PASSWORD = 'Pg/lite@pw%42-unique';
let server: PgliteServer;

beforeAll(async () => {
  server = await startPgliteServer({ pgStatStatements: true, password: PASSWORD });
  await server.db.exec(`
    CREATE TABLE agents (id serial PRIMARY KEY, name text NOT NULL, score int NOT NULL);
    CREATE INDEX agents_score_idx ON agents(score);
    INSERT INTO agents(name, score) SELECT 'agent-' || g, g FROM generate_series(1, 500) g;
    ANALYZE agents;`);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  clearSecretsForTest();
});

describe('checkDatabase on a healthy database', () => {
  it('reports every aspect as ok, with the server version and the unused index', async () => {
    const checks = await checkDatabase(server.clientConfig(), thresholds, { target: 'pglite', timeoutMs: 5000 });
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(checks.map((c) => c.status)).toEqual(checks.map(() => 'ok'));
    expect(byId['database:reachability'].message).toMatch(/accepting connections: PostgreSQL \d+/);
    expect(byId['database:connections'].value).toBeGreaterThanOrEqual(1);
    expect(byId['database:unused-indexes'].details).toContain('public.agents_score_idx on agents');
    expect(byId['database:top-queries'].details).toContain('agents');
  });

  it('warns on connections once the configured share of max_connections is reached', async () => {
    // PGlite has one backend and max_connections 100: 1 % is the share it can reach.
    const checks = await checkDatabase(server.clientConfig(), { ...thresholds, dbConnectionsWarnPercent: 1 }, { target: 'pglite', timeoutMs: 5000 });
    const connections = checks.find((c) => c.id === 'database:connections');
    expect(connections?.status).toBe('warn');
    expect(connections?.message).toContain('at or above the 1 % warning level');
  });

  it('fails on connections above the absolute limit', async () => {
    const checks = await checkDatabase(server.clientConfig(), { ...thresholds, dbConnectionsFail: 0 }, { target: 'pglite', timeoutMs: 5000 });
    expect(checks.find((c) => c.id === 'database:connections')?.status).toBe('fail');
  });

  it('says so, and stays ok, when pg_stat_statements is not installed', async () => {
    await server.db.exec('DROP EXTENSION pg_stat_statements');
    try {
      const checks = await checkDatabase(server.clientConfig(), thresholds, { target: 'pglite', timeoutMs: 5000 });
      const top = checks.find((c) => c.id === 'database:top-queries');
      expect(top?.status).toBe('ok');
      expect(top?.message).toContain('pg_stat_statements extension is not created');
    } finally {
      await server.db.exec('CREATE EXTENSION pg_stat_statements');
    }
  });
});

describe('the check session leaves nothing behind', () => {
  it('does not leave its application_name on the (shared) PGlite session', async () => {
    const checks = await checkDatabase(server.clientConfig(), thresholds, { target: 'pglite', timeoutMs: 5000 });
    expect(checks[0].status).toBe('ok');
    const after = await server.db.query<{ a: string }>(`SELECT current_setting('application_name') AS a`);
    expect(after.rows[0].a).not.toBe(CHECK_APPLICATION_NAME);
  });

  it('leaves the (shared) PGlite session writable afterwards', async () => {
    await checkDatabase(server.clientConfig(), thresholds, { target: 'pglite', timeoutMs: 5000 });
    const client = new pg.Client(server.clientConfig());
    await client.connect();
    try {
      const r = await client.query(`INSERT INTO agents(name, score) VALUES ('after-check', 1) RETURNING id`);
      expect(r.rowCount).toBe(1);
      expect((await client.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
      expect((await client.query('SHOW default_transaction_read_only')).rows[0].default_transaction_read_only).toBe('off');
    } finally {
      await client.end();
    }
  });
});

describe('an unreachable database', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    // Accepts TCP and never says a word: the handshake must time out, not hang.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('fails "not accepting connections" at once when the port is closed', async () => {
    const started = Date.now();
    const checks = await checkDatabase({ host: '127.0.0.1', port: closedPort, user: 'a', database: 'b' }, thresholds, { target: 'closed', timeoutMs: 2000 });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: 'database:reachability', status: 'fail' });
    expect(checks[0].message).toContain('not accepting connections');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails "no answer" within the timeout when the server stays silent', async () => {
    const started = Date.now();
    const checks = await checkDatabase({ host: '127.0.0.1', port: silentPort, user: 'a', database: 'b' }, thresholds, { target: 'silent', timeoutMs: 800 });
    const took = Date.now() - started;
    expect(checks[0]).toMatchObject({ id: 'database:reachability', status: 'fail' });
    expect(checks[0].message).toContain('no answer within 800 ms');
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(3000);
  });
});

describe('database URLs', () => {
  it('connects through the URL form, with the password decoded', async () => {
    const checks = await checkDatabase(parseDatabaseUrl(server.url, 'url'), thresholds, { target: 'pglite', timeoutMs: 5000 });
    expect(checks[0].status).toBe('ok');
  });
});
