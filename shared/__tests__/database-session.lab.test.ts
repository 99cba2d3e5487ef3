// The core's database session against the lab's real PostgreSQL 15 (a scratch database): read-only
// refusing writes, statement and lock timeouts really cancelling, settings confined to the session,
// and a wrong password refused with a message that holds no password.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { clearSecretsForTest, DatabaseConnectError, openDatabaseSession, type DatabaseSessionOptions } from '../src/index.js';
import { readLabPart } from '../../test-support/lab.js';

interface LabPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  superuser: { user: string; password: string; url: string };
}

const lab = readLabPart<LabPostgres>('postgres');
const dbName = `db_session_lab_${process.pid}`;
const url = `postgresql://${lab.user}:${encodeURIComponent(lab.password)}@${lab.host}:${lab.port}/${dbName}`;
const admin = new pg.Client({ connectionString: lab.superuser.url });
const options: DatabaseSessionOptions = { mode: 'read-only', applicationName: 'a2a-ops session lab', connectTimeoutMs: 5000, statementTimeoutMs: 5000, lockTimeoutMs: 5000 };

beforeAll(async () => {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName} OWNER ${lab.user}`);
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  await owner.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await owner.query(`INSERT INTO items VALUES (1, 'one')`);
  await owner.end();
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  clearSecretsForTest();
});

describe('openDatabaseSession on PostgreSQL 15', () => {
  it('refuses writes in read-only mode (SQLSTATE 25006) and leaves the table as it was', async () => {
    const session = await openDatabaseSession(url, options);
    try {
      await expect(session.query(`INSERT INTO items VALUES (2, 'two')`)).rejects.toMatchObject({ code: '25006' });
      expect((await session.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(1);
    } finally {
      await session.close();
    }
  });

  it('writes in read-write mode', async () => {
    const session = await openDatabaseSession(url, { ...options, mode: 'read-write' });
    try {
      expect((await session.query(`INSERT INTO items VALUES (3, 'three') RETURNING id`)).rows).toEqual([{ id: 3 }]);
    } finally {
      await session.close();
    }
  });

  it('cancels a statement at statement_timeout (SQLSTATE 57014)', async () => {
    const session = await openDatabaseSession(url, { ...options, statementTimeoutMs: 300 });
    try {
      const started = Date.now();
      await expect(session.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await session.close();
    }
  });

  it('gives up waiting for a lock at lock_timeout (SQLSTATE 55P03) while a writer holds it', async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    const session = await openDatabaseSession(url, { ...options, lockTimeoutMs: 300 });
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      await expect(session.query('SELECT * FROM items')).rejects.toMatchObject({ code: '55P03' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await session.close();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('keeps its settings to itself: another session sees the server defaults, and pg_stat_activity the application name', async () => {
    const session = await openDatabaseSession(url, { ...options, statementTimeoutMs: 1234 });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      expect((await session.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('1234ms');
      expect((await other.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
      expect((await other.query('SHOW default_transaction_read_only')).rows[0].default_transaction_read_only).toBe('off');
      const seen = await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'a2a-ops session lab'`, [dbName]);
      expect(seen.rows[0].n).toBe(1);
    } finally {
      await session.close();
      await other.end();
    }
  });

  it('refuses a wrong password with SQLSTATE 28P01 and a message holding neither password', async () => {
    const wrong = 'Wr0ng@pass/word%';
    let error: unknown;
    try {
      await openDatabaseSession(`postgresql://${lab.user}:${encodeURIComponent(wrong)}@${lab.host}:${lab.port}/${dbName}`, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseConnectError);
    const e = error as DatabaseConnectError;
    expect(e.code).toBe('28P01');
    expect(e.message).toBe(`rejected the credentials: password authentication failed for user "${lab.user}"`);
    const text = [e.message, e.stack ?? '', JSON.stringify(e)].join('\n');
    for (const form of [wrong, encodeURIComponent(wrong), lab.password, encodeURIComponent(lab.password)]) expect([form, text.includes(form)]).toEqual([form, false]);
  });
});
