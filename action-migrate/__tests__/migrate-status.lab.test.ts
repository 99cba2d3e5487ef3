// The committed bundle, run as the runner runs it, against the lab's real PostgreSQL 15 (a scratch database).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readLabPart } from '../../test-support/lab.js';
import { runBundle } from '../../test-support/run-bundle.js';
import { MIGRATIONS_TABLE_DDL } from '../src/engine/bookkeeping.js';

interface LabPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  superuser: { user: string; password: string; url: string };
}

const lab = readLabPart<LabPostgres>('postgres');
const dbName = `a2a_migrate_status_${process.pid}`;
const admin = new pg.Client({ connectionString: lab.superuser.url });
const url = `postgresql://${lab.user}:${encodeURIComponent(lab.password)}@${lab.host}:${lab.port}/${dbName}`;
const sha = (t: string): string => createHash('sha256').update(t).digest('hex');

beforeAll(async () => {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName} OWNER ${lab.user}`);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(MIGRATIONS_TABLE_DDL);
  await db.query(`INSERT INTO schema_migrations VALUES ('0001', 'init', $1, now(), 12), ('0002', 'edited', $2, now(), 3)`, [
    sha('create table a(i int);\n'),
    sha('the original text\n')
  ]);
  await db.end();
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

describe('action-migrate bundle on PostgreSQL 15', () => {
  it('reports current, pending and an edited file, fails the step, and never prints the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-migrate-lab-'));
    writeFileSync(join(dir, '0001_init.sql'), 'create table a(i int);\n');
    writeFileSync(join(dir, '0002_edited.sql'), 'the text someone changed later\n');
    writeFileSync(join(dir, '0003_next.sql'), 'create table c(i int);\n');
    const r = await runBundle('migrate', { operation: 'status', 'database-url': url, 'migrations-dir': dir, issue: 'off', 'fail-on': 'fail' });
    expect(r.outputs).toMatchObject({ status: 'fail', current: '0002', pending: '1', applied: '2' });
    expect(r.summary).toContain('0002_edited.sql was edited after it was applied');
    expect(r.summary).toContain('0003_next.sql');
    expect(r.exitCode).toBe(1);
    // ::add-mask:: lines are commands the runner consumes, never shown in the log.
    const everything = [r.stdout.replace(/^::add-mask::.*$/gm, ''), r.stderr, r.summary, JSON.stringify(r.outputs)].join('\n');
    for (const form of [lab.password, encodeURIComponent(lab.password), Buffer.from(lab.password).toString('base64')]) {
      expect(everything).not.toContain(form);
    }
  });

  it('refuses operation: apply on a pull_request event before connecting', async () => {
    const r = await runBundle('migrate', { 'database-url': url, 'migrations-dir': tmpdir(), operation: 'apply', issue: 'off' }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('fail');
    expect(r.stdout).toContain("action-migrate 'apply' changes production and refuses to run on 'pull_request' events");
    expect(r.stdout).not.toContain('Taking the migration lock');
  });
});
