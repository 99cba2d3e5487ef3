// action-backup over SSH on a lab host: the database dumped inside the compose `postgres` service (as
// the runbook does, client and server versions matching), the app data volumes, and the config
// encrypted with age. Each restores without this action: pg_restore, tar, and Debian's `age` CLI.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readLabPlatform } from '../../test-support/lab-platform.js';
import {
  SEED_SQL,
  backupDir,
  composePsql,
  dropDatabase,
  leaks,
  openBackupLab,
  psql,
  readLabPostgres,
  runBackup,
  tableContents,
  tableContentsWith,
  urlOf,
  type BackupRun
} from '../../test-support/backup-lab.js';

const pg = readLabPostgres();
const platform = readLabPlatform();
const tag = randomBytes(3).toString('hex');
const db = `a2a_backup_compose_${tag}`;
const { user: pgUser } = platform.postgres;
const container = 'a2a-app1_postgres_1';
const lab = openBackupLab({ name: db, user: pgUser });
const ageKey = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  .split('\n')
  .find((l) => l.startsWith('AGE-SECRET-KEY-1'))!;
const work = backupDir('a2a-backup-compose-');
const runs: BackupRun[] = [];
const restoredCopy = `a2a_backup_fromcompose_${tag}`;
const envSecret = `lab-secret-${randomBytes(8).toString('hex')}`;

async function backup(inputs: Record<string, string>): Promise<BackupRun> {
  const r = await runBackup({ ...lab.sshInputs, hosts: 'app1', ...inputs }, { timeoutMs: 180_000 });
  runs.push(r);
  return r;
}

beforeAll(() => {
  composePsql(container, pgUser, 'postgres', `CREATE DATABASE ${db}`);
  composePsql(container, pgUser, db, SEED_SQL);
});
afterAll(() => {
  composePsql(container, pgUser, 'postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  dropDatabase(pg, restoredCopy);
  rmSync(work, { recursive: true, force: true });
  for (const r of runs) expect(leaks(r, [ageKey, envSecret, pg.superuser.password, ...lab.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))])).toEqual([]);
});

describe('compose mode over SSH', () => {
  const dest = join(work, 'backups');

  it('dumps inside the compose postgres service, compressed on the host; verify restores it into a scratch database', async () => {
    const r = await backup({ destination: dest });
    expect(r.exitCode).toBe(0);
    const path = r.outputs['backup-path'];
    const m = JSON.parse(readFileSync(`${path}.meta.json`, 'utf8'));
    expect(m.source).toBe('compose app1 postgres');
    expect(m.database.pgDumpVersion).toMatch(/^15\./);
    expect(m.database.tables).toContainEqual({ schema: 'public', name: 'patterns', rows: 5000 });
    expect(r.stdout).toContain('| zstd on app1');

    const v = await backup({ operation: 'verify', 'scratch-database-url': urlOf(pg.superuser.url, 'postgres'), destination: dest });
    expect(v.exitCode).toBe(0);
    expect(v.report!.checks.find((c) => c.kind === 'verify')!.message).toContain('row counts match the metadata');
  }, 120_000);

  it('with host-destination, the same pipeline keeps an identical copy on the host, renamed only once checked', async () => {
    const onHost = join(work, 'host-copy');
    chmodSync(work, 0o755);
    mkdirSync(onHost);
    execFileSync('chown', ['deploy:deploy', onHost]);
    const r = await backup({ destination: join(work, 'with-host-copy'), 'host-destination': onHost });
    expect(r.exitCode).toBe(0);
    const path = r.outputs['backup-path'];
    const name = path.split('/').pop()!;
    expect(readdirSync(onHost).sort()).toEqual([name, `${name}.meta.json`]);
    expect(readFileSync(join(onHost, name)).equals(readFileSync(path))).toBe(true);
    expect(JSON.parse(readFileSync(join(onHost, `${name}.meta.json`), 'utf8')).sha256).toBe(r.outputs.sha256);
  }, 120_000);

  it('the compose backup restores with the documented command and matches the source table by table', () => {
    const file = readdirSync(dest).find((f) => f.endsWith('.dump.zst'))!;
    psql(pg, 'postgres', `CREATE DATABASE ${restoredCopy}`);
    execSync(`zstd -dc '${join(dest, file)}' | pg_restore --exit-on-error --no-owner -d '${urlOf(pg.superuser.url, restoredCopy)}'`);
    const source = tableContentsWith((sql) => composePsql(container, pgUser, db, sql));
    expect(Object.keys(source)).toHaveLength(3);
    expect(tableContents(pg, restoredCopy)).toEqual(source);
  });
});

describe('volumes and config', () => {
  const data = join(work, 'opt', 'data');
  const project = join(work, 'project');
  const dest = join(work, 'files');
  let run: BackupRun;

  beforeAll(async () => {
    mkdirSync(join(data, 'uploads'), { recursive: true });
    writeFileSync(join(data, 'uploads', 'a.json'), '{"a": 1}\n');
    writeFileSync(join(data, 'blob.bin'), randomBytes(50_000));
    mkdirSync(join(project, 'infrastructure', 'nginx'), { recursive: true });
    writeFileSync(join(project, 'docker-compose.production.yml'), 'services: {}\n');
    writeFileSync(join(project, '.env.production'), `DATABASE_PASSWORD=${envSecret}\n`);
    writeFileSync(join(project, 'infrastructure', 'nginx', 'site.conf'), 'server { listen 80; }\n');
    chmodSync(work, 0o755);
    execFileSync('chown', ['-R', 'deploy:deploy', join(work, 'opt'), project]);
    // The config backup reads this project directory (a copy of the layout, so deploy tests may change the real one meanwhile).
    const config = readFileSync(lab.configPath, 'utf8').replace(/project-dir: [^,]+, project-name: a2a-app1/, `project-dir: ${project}, project-name: a2a-app1`);
    writeFileSync(join(work, 'ops.yml'), config);
    run = await backup({ config: join(work, 'ops.yml'), targets: 'volumes,config', destination: dest, 'data-dir': data, 'encryption-key': ageKey });
  }, 120_000);

  it('both are written and checked', () => {
    expect(run.exitCode).toBe(0);
    expect(run.report!.checks.map((c) => [c.id, c.status])).toEqual([
      ['backup:volumes:app1', 'ok'],
      ['backup:config:app1', 'ok']
    ]);
  });

  it('the volumes backup extracts byte-identical with zstd and tar', () => {
    const file = readdirSync(dest).find((f) => f.startsWith('volumes-app1-') && f.endsWith('.tar.zst'))!;
    const out = join(work, 'extract-volumes');
    mkdirSync(out);
    execSync(`zstd -dc '${join(dest, file)}' | tar -x -C '${out}'`);
    expect(readFileSync(join(out, 'data', 'blob.bin')).equals(readFileSync(join(data, 'blob.bin')))).toBe(true);
    expect(readFileSync(join(out, 'data', 'uploads', 'a.json'), 'utf8')).toBe('{"a": 1}\n');
  });

  it('the config backup cannot be read without the key, and decrypts byte-identical with the age CLI', () => {
    const file = join(dest, readdirSync(dest).find((f) => f.startsWith('config-app1-') && f.endsWith('.tar.age'))!);
    const encrypted = readFileSync(file);
    expect(encrypted.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(encrypted.includes(Buffer.from(envSecret))).toBe(false);
    expect(encrypted.includes(Buffer.from('DATABASE_PASSWORD'))).toBe(false);
    const keyFile = join(work, 'key.txt');
    writeFileSync(keyFile, `${ageKey}\n`, { mode: 0o600 });
    const otherKey = join(work, 'other.txt');
    execFileSync('age-keygen', ['-o', otherKey], { stdio: 'ignore' });
    expect(() => execFileSync('age', ['-d', '-i', otherKey, file], { stdio: 'pipe' })).toThrow(/no identity matched any of the recipients/);
    const out = join(work, 'extract-config');
    mkdirSync(out);
    execSync(`age -d -i '${keyFile}' '${file}' | tar -x -C '${out}'`);
    for (const f of ['docker-compose.production.yml', '.env.production', 'infrastructure/nginx/site.conf']) {
      expect(readFileSync(join(out, f)).equals(readFileSync(join(project, f)))).toBe(true);
    }
  });

  it('refuses a config backup without a key before touching anything', async () => {
    const r = await backup({ targets: 'config', destination: join(work, 'nokey') });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Target 'config' holds secrets (.env.production) and is always encrypted: pass 'encryption-key'");
  });
});
