// action-migrate's status run end to end in-process: the funnel, a real wire-protocol database (PGlite)
// and a temp migrations folder; asserts on outputs and the job summary a workflow would see.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setActionEnv } from '../../test-support/action-env.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';
import { run } from '../src/main.js';
import { MIGRATIONS_TABLE_DDL } from '../src/engine/bookkeeping.js';
import { createHash } from 'node:crypto';

let server: PgliteServer;
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const MIGRATIONS = {
  '0001_init.sql': 'CREATE TABLE agents (id serial PRIMARY KEY);\n',
  '0002_patterns.sql': 'CREATE TABLE patterns (id serial PRIMARY KEY);\n',
  '0003_index.sql': 'CREATE INDEX ON patterns (id);\n'
};

beforeAll(async () => {
  server = await startPgliteServer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

async function runStatus(inputs: Record<string, string>, files: Record<string, string> = MIGRATIONS) {
  const env = setActionEnv({ 'database-url': server.url, issue: 'off', operation: 'status', ...inputs });
  process.exitCode = undefined;
  try {
    mkdirSync(join(env.dir, 'migrations'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(env.dir, 'migrations', name), text);
    await run();
    return { outputs: env.outputs(), summary: env.summary(), exitCode: process.exitCode };
  } finally {
    env.restore();
  }
}

async function record(rows: Array<[string, string, string | null]>): Promise<void> {
  await server.db.exec(`DROP TABLE IF EXISTS schema_migrations; ${MIGRATIONS_TABLE_DDL};`);
  for (const [version, name, checksum] of rows) {
    await server.db.query(`INSERT INTO schema_migrations(version, name, checksum, applied_at, duration_ms) VALUES ($1, $2, $3, now(), 7)`, [version, name, checksum]);
  }
}

describe('action-migrate operation: status', () => {
  it('counts everything as pending on a database without schema_migrations', async () => {
    await server.db.exec('DROP TABLE IF EXISTS schema_migrations');
    const r = await runStatus({});
    expect(r.outputs).toMatchObject({ status: 'warn', current: '', pending: '3', applied: '0', 'current-version': '', 'pending-count': '3', 'applied-count': '0' });
    expect(r.summary).toContain('no schema_migrations table');
    expect(r.exitCode).toBeFalsy();
  });

  it('reports the current version and what is pending', async () => {
    await record([
      ['0001', 'init', sha(MIGRATIONS['0001_init.sql'])],
      ['0002', 'patterns', sha(MIGRATIONS['0002_patterns.sql'])]
    ]);
    const r = await runStatus({});
    expect(r.outputs).toMatchObject({ status: 'warn', current: '0002', pending: '1', applied: '2' });
    expect(r.summary).toContain('0003_index.sql');
    expect(r.exitCode).toBeFalsy();
  });

  it('is ok when everything is applied as written', async () => {
    await record(Object.entries(MIGRATIONS).map(([f, text]) => [f.slice(0, 4), f.slice(5, -4), sha(text)]));
    const r = await runStatus({});
    expect(r.outputs).toMatchObject({ status: 'ok', current: '0003', pending: '0', applied: '3' });
  });

  it('fails the step, naming the file, when an applied migration was edited', async () => {
    await record([['0001', 'init', sha('the text as it was applied')]]);
    const r = await runStatus({});
    expect(r.outputs.status).toBe('fail');
    expect(r.summary).toContain('0001_init.sql was edited after it was applied');
    expect(r.exitCode).toBe(1);
  });

  it('fails when an applied migration has no file any more', async () => {
    await record([['0009', 'gone', sha('x')]]);
    const r = await runStatus({});
    expect(r.outputs).toMatchObject({ status: 'fail', current: '0009' });
    expect(r.summary).toContain('version 0009 (gone) is applied in the database but has no file');
  });

  it('leaves the database as it found it', async () => {
    await record([['0001', 'init', sha(MIGRATIONS['0001_init.sql'])]]);
    await runStatus({});
    const rows = await server.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => r.version)).toEqual(['0001']);
    const tables = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('agents', 'patterns')`);
    expect(tables.rows[0].n).toBe(0);
  });
});

describe('action-migrate refuses bad input before touching anything', () => {
  it.each([
    [{ operation: 'drop-everything' }, "Input 'operation' must be one of 'apply', 'status', 'plan', 'verify', 'exec'"],
    [{ 'database-url': 'mysql://u:pw@h/db' }, "Input 'database-url' must start with postgresql://"],
    [{ 'database-url': '' }, "Input 'database-url' is required"],
    [{ 'migrations-dir': 'no/such/folder' }, "Input 'migrations-dir': 'no/such/folder' is not a folder"]
  ])('%j fails the step: %s', async (inputs, says) => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let r;
    try {
      r = await runStatus(inputs);
    } finally {
      process.stdout.write = original;
    }
    expect(r.outputs.status).toBe('fail');
    expect(r.exitCode).toBe(1);
    expect(writes.join('')).toContain(says);
  });
});

describe('action-migrate against a database it cannot reach', () => {
  it('fails the step saying which database and why, without the password', async () => {
    const { closedPort } = await import('../../test-support/ssh-server.js');
    const port = await closedPort();
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let r;
    try {
      r = await runStatus({ 'database-url': `postgresql://a2a_user:unreachable-pw-123@127.0.0.1:${port}/a2a_world` });
    } finally {
      process.stdout.write = original;
    }
    expect(r.outputs.status).toBe('fail');
    expect(r.exitCode).toBe(1);
    const log = writes.join('').replace(/^::add-mask::.*$/gm, '');
    expect(log).toContain(`a2a_user@127.0.0.1:${port}/a2a_world: not accepting connections: connection refused`);
    expect(log).not.toContain('unreachable-pw-123');
  });
});
