// The core's database helpers, hermetic: the session's settings in effect on a real wire-protocol server
// (PGlite), reset when it closes, connection failures in plain words without the password (a closed
// port, a silent one, and a server that echoes the password it was sent), the URL reader, and `pg`
// loaded only when a session is opened.
import { execFileSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  clearSecretsForTest,
  ConfigurationError,
  DatabaseConnectError,
  defaultConfig,
  describeConnectError,
  describeDatabaseTarget,
  openDatabaseSession,
  parseDatabaseUrl,
  readDatabaseUrl,
  scrubSecrets,
  sessionSettingsSql,
  type DatabaseSessionOptions
} from '../src/index.js';
import { closedPort } from '../../test-support/ssh-server.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';

const PASSWORD = 'S3cret/pw@%#-unique';
const ENCODED = encodeURIComponent(PASSWORD);
let server: PgliteServer;

beforeAll(async () => {
  server = await startPgliteServer({ password: PASSWORD });
  await server.db.exec('CREATE TABLE notes (id serial PRIMARY KEY, body text)');
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => clearSecretsForTest());

const readOnly: DatabaseSessionOptions = { mode: 'read-only', applicationName: 'a2a-ops test', connectTimeoutMs: 5000, statementTimeoutMs: 1500, lockTimeoutMs: 700 };

/** What the one shared PGlite backend currently has, read without a socket. */
async function shared(setting: string): Promise<string> {
  return (await server.db.query<{ v: string }>(`SELECT current_setting('${setting}') AS v`)).rows[0].v;
}

describe('sessionSettingsSql', () => {
  const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  it.each([
    ['read-only with both timeouts', readOnly, "SET default_transaction_read_only = on; SET statement_timeout = 1500; SET lock_timeout = 700; SET application_name = 'a2a-ops test'"],
    ['read-write without timeouts (the server keeps its own)', { mode: 'read-write' as const, applicationName: "o'brien", connectTimeoutMs: 1 }, "SET application_name = 'o''brien'"],
    ['timeouts of 0 (none) and fractions rounded', { ...readOnly, statementTimeoutMs: 0, lockTimeoutMs: 2.6 }, "SET default_transaction_read_only = on; SET statement_timeout = 0; SET lock_timeout = 3; SET application_name = 'a2a-ops test'"]
  ])('sets %s', (_name, opts, sql) => {
    expect(sessionSettingsSql(opts, quote)).toBe(sql);
  });
});

describe('openDatabaseSession on PGlite', () => {
  it('has read-only, both timeouts and the application name in effect before the first query', async () => {
    const session = await openDatabaseSession(server.url, readOnly);
    try {
      const show = async (name: string): Promise<string> => (await session.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
      expect([await show('default_transaction_read_only'), await show('statement_timeout'), await show('lock_timeout'), await show('application_name')]).toEqual([
        'on',
        '1500ms',
        '700ms',
        'a2a-ops test'
      ]);
      expect(session.mode).toBe('read-only');
      expect(session.connectMs).toBeGreaterThanOrEqual(0);
    } finally {
      await session.close();
    }
  });

  it('refuses a write in read-only mode, in and outside an explicit transaction', async () => {
    const session = await openDatabaseSession(parseDatabaseUrl(server.url, 'url'), readOnly);
    try {
      await expect(session.query(`INSERT INTO notes(body) VALUES ('no')`)).rejects.toThrow(/read-only transaction/);
      await session.query('BEGIN');
      await expect(session.query('CREATE TABLE must_not_exist (a int)')).rejects.toThrow(/read-only transaction/);
    } finally {
      await session.close();
    }
    expect((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
    expect((await server.db.query<{ r: string | null }>(`SELECT to_regclass('must_not_exist')::text AS r`)).rows[0].r).toBeNull();
  });

  it('writes in read-write mode', async () => {
    const session = await openDatabaseSession(server.clientConfig(), { mode: 'read-write', applicationName: 'a2a-ops test', connectTimeoutMs: 5000, statementTimeoutMs: 1000 });
    try {
      expect((await session.query('SHOW default_transaction_read_only')).rows[0].default_transaction_read_only).toBe('off');
      expect((await session.query(`INSERT INTO notes(body) VALUES ('yes') RETURNING id`)).rowCount).toBe(1);
    } finally {
      await session.close();
    }
    expect((await server.db.query<{ body: string }>('SELECT body FROM notes')).rows.map((r) => r.body)).toEqual(['yes']);
  });

  it('rolls back what was left open and resets the settings when it closes (PGlite shares one backend)', async () => {
    const session = await openDatabaseSession(server.url, { ...readOnly, mode: 'read-write' });
    await session.query('BEGIN');
    await session.query(`INSERT INTO notes(body) VALUES ('left open')`);
    await session.close();
    await session.close();
    expect((await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes WHERE body = 'left open'`)).rows[0].n).toBe(0);
    expect([await shared('default_transaction_read_only'), await shared('statement_timeout'), await shared('lock_timeout')]).toEqual(['off', '0', '0']);
  });
});

describe('openDatabaseSession failures, in plain words and without the password', () => {
  let silent: Server;
  let echo: Server;
  const sockets: Socket[] = [];
  let silentPort = 0;
  let echoPort = 0;

  beforeAll(async () => {
    // Accepts TCP and never says a word: the start-up must time out, not hang.
    silent = createServer((s) => sockets.push(s));
    // A hostile server: asks for a cleartext password, then puts what it got into its error message.
    echo = createServer((s) => {
      sockets.push(s);
      let startup = true;
      s.on('data', (data: Buffer) => {
        if (startup) {
          startup = false;
          s.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
          return;
        }
        if (data[0] !== 0x70) return; // PasswordMessage
        const sent = data.subarray(5, data.length - 1).toString('utf8');
        const fields = Buffer.concat([
          Buffer.from('SFATAL\0'),
          Buffer.from('C28P01\0'),
          Buffer.from(`Mpassword authentication failed for user "u": got "${sent}" (${encodeURIComponent(sent)})\0`),
          Buffer.from([0])
        ]);
        const header = Buffer.alloc(5);
        header.write('E', 0);
        header.writeInt32BE(fields.length + 4, 1);
        s.end(Buffer.concat([header, fields]));
      });
      s.on('error', () => undefined);
    });
    await Promise.all([silent, echo].map((srv) => new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))));
    silentPort = (silent.address() as { port: number }).port;
    echoPort = (echo.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all([silent, echo].map((srv) => new Promise<void>((r) => srv.close(() => r()))));
  });

  /** The failure of opening `target`, with everything it carries that could reach a log. */
  async function failure(target: Parameters<typeof openDatabaseSession>[0], connectTimeoutMs = 2000): Promise<{ error: DatabaseConnectError; text: string }> {
    try {
      const s = await openDatabaseSession(target, { ...readOnly, connectTimeoutMs });
      await s.close();
    } catch (error) {
      expect(error).toBeInstanceOf(DatabaseConnectError);
      const e = error as DatabaseConnectError;
      return { error: e, text: [e.message, e.stack ?? '', JSON.stringify(e), String(e.cause ?? '')].join('\n') };
    }
    throw new Error('the session opened');
  }

  const expectNoPassword = (text: string): void => {
    for (const form of [PASSWORD, ENCODED, Buffer.from(PASSWORD).toString('base64')]) expect([form, text.includes(form)]).toEqual([form, false]);
  };

  it('says a closed port is not accepting connections, at once', async () => {
    const port = await closedPort();
    const started = Date.now();
    const { error, text } = await failure(`postgresql://u:${ENCODED}@127.0.0.1:${port}/db`);
    expect(error.message).toBe('not accepting connections: connection refused (is the server running and listening on this port?)');
    expect(error.code).toBe('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(2000);
    expectNoPassword(text);
  });

  it('says a silent server gave no answer within the connect timeout', async () => {
    const started = Date.now();
    const { error, text } = await failure(`postgresql://u:${ENCODED}@127.0.0.1:${silentPort}/db`, 600);
    expect(error.message).toBe('no answer within 600 ms (pg_isready: no response)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(3000);
    expectNoPassword(text);
  });

  it.each([
    ['a URL with the password URL-encoded', (): string => `postgresql://u:${ENCODED}@127.0.0.1:${echoPort}/db`],
    ['a client config with the raw password', () => ({ host: '127.0.0.1', port: echoPort, user: 'u', password: PASSWORD, database: 'db' })]
  ])('scrubs the password from a rejection that quotes it, given %s', async (_name, target) => {
    const { error, text } = await failure(target());
    expect(error.code).toBe('28P01');
    expect(error.message).toMatch(/^rejected the credentials: password authentication failed for user "u": got "\*\*\*" \(\*\*\*\)$/);
    expectNoPassword(text);
  });
});

describe('describeConnectError', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'not accepting connections: connection refused'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db' }, 'host name does not resolve'],
    [{ message: 'Connection terminated due to connection timeout' }, 'no answer within 3000 ms'],
    [{ code: '28P01', message: 'password authentication failed for user "a2a_user"' }, 'rejected the credentials'],
    [{ code: '3D000', message: 'database "nope" does not exist' }, 'database "nope" does not exist'],
    [{ code: '57P03', message: 'the database system is starting up' }, 'not accepting connections: the database system is starting up'],
    [{ code: '53300', message: 'sorry, too many clients already' }, 'max_connections reached'],
    [{ message: 'Connection terminated unexpectedly' }, 'closed the connection during start-up']
  ])('%j reads "%s"', (error, text) => {
    expect(describeConnectError(error, 3000)).toContain(text);
  });
});

describe('database URLs', () => {
  it('parses a DSN and registers its password, raw and encoded, before anything prints it', () => {
    const url = `postgresql://a2a_user:${ENCODED}@db.internal:6543/a2a_world?sslmode=require`;
    expect(parseDatabaseUrl(url, "Input 'database-url'")).toEqual({
      url,
      target: 'a2a_user@db.internal:6543/a2a_world',
      host: 'db.internal',
      port: 6543,
      database: 'a2a_world',
      user: 'a2a_user',
      source: "Input 'database-url'"
    });
    const scrubbed = scrubSecrets(`raw ${PASSWORD} encoded ${ENCODED} url ${url}`);
    expect(scrubbed).not.toContain(PASSWORD);
    expect(scrubbed).not.toContain(ENCODED);
    expect(describeDatabaseTarget('postgres://[::1]/x')).toBe('[::1]:5432/x');
    expect(parseDatabaseUrl('postgres://[::1]/x', 'u')).toMatchObject({ host: '::1', port: 5432, user: '' });
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['mysql://u:topsecretpw@h:3306/db', 'must start with postgresql://'],
    ['postgresql://u:topsecretpw@h:5432', 'names no database'],
    ['postgresql://u:topsecretpw@h:5432/', 'names no database'],
    ['postgresql://u:top%ZZsecretpw@h:5432/db', 'badly percent-encoded']
  ])('rejects %p with a ConfigurationError naming the input and never echoing it', (url, says) => {
    let thrown: unknown;
    try {
      parseDatabaseUrl(url, "Input 'database-url'");
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as Error).message).toContain(says);
    expect((thrown as Error).message).toContain("Input 'database-url'");
    expect((thrown as Error).message).not.toContain('topsecretpw');
  });

  describe('readDatabaseUrl', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of ['INPUT_DATABASE-URL', 'A2A_TEST_DB_URL']) {
        if (key in saved) process.env[key] = saved[key];
        else delete process.env[key];
      }
    });
    const config = { database: { ...defaultConfig().database, urlEnv: 'A2A_TEST_DB_URL' } };

    it.each([
      ['the input', { 'INPUT_DATABASE-URL': 'postgresql://a:pw1234@h1/d1', A2A_TEST_DB_URL: 'postgresql://b:pw5678@h2/d2' }, "Input 'database-url'", 'a@h1:5432/d1'],
      ['the env var the config names, without the input', { A2A_TEST_DB_URL: ' postgresql://b:pw5678@h2/d2 ' }, "Environment variable 'A2A_TEST_DB_URL' (config database.url-env)", 'b@h2:5432/d2'],
      ['nothing when neither is set', {}, undefined, undefined]
    ])('reads %s', (_name, env, source, target) => {
      Object.assign(process.env, env);
      const db = readDatabaseUrl('database-url', config);
      expect([db?.source, db?.target]).toEqual([source, target]);
      if (db) expect(scrubSecrets(db.url)).toBe('***');
    });

    it('names the env var in its error', () => {
      process.env.A2A_TEST_DB_URL = 'http://x/y';
      expect(() => readDatabaseUrl('database-url', config)).toThrow("Environment variable 'A2A_TEST_DB_URL' (config database.url-env) must start with postgresql://");
    });
  });
});

describe('loading pg', () => {
  it('happens only when a session is opened, not when the core is imported', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    // A fresh process: jest's module registry would hide what Node itself loaded.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const pgLoaded = () => Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(k));
      const core = await import('./shared/src/index.ts');
      const before = pgLoaded();
      await core.openDatabaseSession('postgresql://u:p@127.0.0.1:1/db', { mode: 'read-only', applicationName: 't', connectTimeoutMs: 1000 }).catch(() => undefined);
      console.log(JSON.stringify({ before, after: pgLoaded() }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toEqual({ before: false, after: true });
  });
});
