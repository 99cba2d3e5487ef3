// action-backup against the lab's PostgreSQL cluster, direct mode (database-url on the runner): the
// round trip backup → verify → restore compared table by table, and every failure of the Proof list and
// catalogue cases 27–31: a dump killed mid-way, a flipped byte / cut / empty file, a full disk, a wrong
// password, a pg_dump older than the server, an error during the drill. Secrets are scanned in every run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  backupDatabases,
  backupDir,
  createSeededDatabase,
  dropDatabase,
  leaks,
  psql,
  readLabPostgres,
  runBackup,
  tableContents,
  urlOf,
  type BackupRun
} from '../../test-support/backup-lab.js';

const ROOT = join(import.meta.dirname, '..', '..');
const pg = readLabPostgres();
const tag = randomBytes(3).toString('hex');
const db = `a2a_backup_rt_${tag}`;
const url = urlOf(pg.url, db);
const scratch = urlOf(pg.superuser.url, 'postgres');
const secrets = [pg.password, pg.superuser.password, encodeURIComponent(pg.password)];
const dirs: string[] = [];
const created: string[] = [db];
const runs: BackupRun[] = [];

async function backup(inputs: Record<string, string>, env?: Record<string, string>): Promise<BackupRun> {
  const r = await runBackup(inputs, { env });
  runs.push(r);
  return r;
}
const dir = (): string => {
  const d = backupDir();
  dirs.push(d);
  return d;
};
const files = (d: string): string[] => readdirSync(d).sort();
const meta = (path: string): { verification: { status: string; detail: string }; sha256: string; sizeBytes: number } => JSON.parse(readFileSync(`${path}.meta.json`, 'utf8'));

beforeAll(() => createSeededDatabase(pg, db));
afterAll(() => {
  for (const d of created) dropDatabase(pg, d);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  // No scratch database of a drill may outlive its run.
  expect(backupDatabases(pg).filter((n) => n.startsWith('a2a_backup_verify_'))).toEqual([]);
  // Secrets never in any run's logs, outputs or summary.
  for (const r of runs) expect(leaks(r, secrets)).toEqual([]);
});

describe('round trip, direct mode', () => {
  const dest = dir();
  let first: string;

  it('backup writes a checked, compressed custom archive with its metadata, and sets the outputs', async () => {
    const r = await backup({ 'database-url': url, destination: dest });
    expect(r.exitCode).toBe(0);
    first = r.outputs['backup-path'];
    expect(first).toMatch(new RegExp(`^${dest}/${db}-\\d{8}T\\d{6}Z\\.dump\\.zst$`));
    expect(files(dest)).toEqual([first.slice(dest.length + 1), `${first.slice(dest.length + 1)}.meta.json`]);
    const m = JSON.parse(readFileSync(`${first}.meta.json`, 'utf8'));
    expect(m.sha256).toBe(createHash('sha256').update(readFileSync(first)).digest('hex'));
    expect(r.outputs.sha256).toBe(m.sha256);
    expect(Number(r.outputs['size-bytes'])).toBe(readFileSync(first).length);
    expect(m.database.tables).toEqual([
      { schema: 'agents', name: 'discovery runs', rows: 700 },
      { schema: 'public', name: 'empty_table', rows: 0 },
      { schema: 'public', name: 'patterns', rows: 5000 }
    ]);
    expect(m.database.rowCountsFromSnapshot).toBe(true);
    expect(m.verification.status).toBe('checked');
    expect(r.summary).toContain('zstd -dc FILE | pg_restore --exit-on-error --no-owner -d DATABASE_URL');
  });

  it('the backup restores without this action, with the one documented command', () => {
    const copy = `a2a_backup_plain_${tag}`;
    created.push(copy);
    psql(pg, 'postgres', `CREATE DATABASE ${copy}`);
    execSync(`zstd -dc '${first}' | pg_restore --exit-on-error --no-owner -d '${urlOf(pg.superuser.url, copy)}'`);
    expect(tableContents(pg, copy)).toEqual(tableContents(pg, db));
  });

  it('verify restores it into a throwaway database, compares the row counts and records the recovery time', async () => {
    const r = await backup({ operation: 'verify', 'database-url': url, 'scratch-database-url': scratch, destination: dest });
    expect(r.exitCode).toBe(0);
    const check = r.report!.checks.find((c) => c.kind === 'verify')!;
    expect(check.status).toBe('ok');
    expect(check.message).toMatch(/restored into a scratch database in .* with --exit-on-error; 3 tables, row counts match the metadata/);
    expect(typeof check.value).toBe('number');
    expect(meta(first).verification.status).toBe('restored');
    expect(r.summary).toContain('| public.patterns | 5000 | 5000 |');
  });

  it('restore refuses without confirm, then with it takes a fresh backup and brings every table back', async () => {
    const before = tableContents(pg, db);
    psql(pg, db, `DELETE FROM public.patterns WHERE id % 2 = 0; UPDATE agents."discovery runs" SET result = 'changed'; INSERT INTO public.empty_table VALUES (1)`);
    const damaged = tableContents(pg, db);
    expect(damaged).not.toEqual(before);

    const refused = await backup({ operation: 'restore', 'database-url': url, destination: dest, confirm: 'a2a_world' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`set 'confirm' to exactly '${db}' to confirm (got 'a2a_world')`);
    expect(tableContents(pg, db)).toEqual(damaged);

    const pushEvent = await backup({ operation: 'restore', 'database-url': url, destination: dest, confirm: db }, { GITHUB_EVENT_NAME: 'schedule' });
    expect(pushEvent.exitCode).toBe(1);
    expect(pushEvent.stdout).toContain("runs only on workflow_dispatch (a person asking for it), not on 'schedule'");

    const r = await backup({ operation: 'restore', 'database-url': url, destination: dest, confirm: db, 'backup-path': first });
    expect(r.exitCode).toBe(0);
    expect(tableContents(pg, db)).toEqual(before);
    const fresh = r.report!.checks.find((c) => c.id === 'restore:fresh-backup')!;
    expect(fresh.status).toBe('ok');
    // The fresh backup holds the damaged state: it is the undo of this restore.
    expect(files(dest).filter((f) => f.endsWith('.dump.zst'))).toHaveLength(2);
  });

  it('list shows every backup with age, size, checksum and verification; freshness judges the newest good one', async () => {
    const l = await backup({ operation: 'list', destination: dest });
    expect(l.exitCode).toBe(0);
    expect(l.summary).toMatch(/\| database \| .*\.dump\.zst \| .* \| .* \| ok \| restored \(restore .*\) \|/);
    const fresh = await backup({ operation: 'freshness', 'database-url': url, destination: dest, 'max-age': '1h' });
    expect(fresh.exitCode).toBe(0);
    const none = await backup({ operation: 'freshness', 'database-url': url, destination: dir(), 'max-age': '1h' });
    expect(none.exitCode).toBe(1);
    expect(none.report!.checks[0].message).toBe(`no good backup of ${db} at all`);
  });

  it('prune keeps the last verified backup and everything newer; it removes an older one', async () => {
    // An older verified copy, a day earlier.
    const older = first.replace(/\d{8}T\d{6}Z/, '20200101T000000Z');
    copyFileSync(first, older);
    const m = JSON.parse(readFileSync(`${first}.meta.json`, 'utf8'));
    writeFileSync(`${older}.meta.json`, JSON.stringify({ ...m, file: older.slice(dest.length + 1), createdAt: '2020-01-01T00:00:00.000Z' }));
    const r = await backup({ operation: 'prune', destination: dest, retention: 'last=1' });
    expect(r.exitCode).toBe(0);
    expect(existsSync(older)).toBe(false);
    expect(existsSync(`${older}.meta.json`)).toBe(false);
    expect(existsSync(first)).toBe(true);
    expect(files(dest).filter((f) => f.endsWith('.dump.zst'))).toHaveLength(2);
  });
});

describe('failures (catalogue cases 27–31)', () => {
  it('27: a dump killed mid-way leaves no file under the final name, no temp file, and the earlier backups untouched', async () => {
    // Its own database, big enough (≈100 MB of the bench's app-like rows) that the dump is still running when its sessions are killed.
    const big = `a2a_backup_kill_${tag}`;
    created.push(big);
    psql(pg, 'postgres', `CREATE DATABASE "${big}"`);
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'rows=300000', '-d', urlOf(pg.superuser.url, big), '-f', join(ROOT, 'bench', 'backup-data.sql')]);
    const dest = dir();
    const keep = join(dest, `${big}-20200101T000000Z.dump.zst`);
    writeFileSync(keep, 'an earlier backup');
    writeFileSync(`${keep}.meta.json`, '{"kept": true}');
    const running = backup({ 'database-url': urlOf(pg.superuser.url, big), destination: dest });
    // Once the dump is writing, terminate its server sessions (a Postgres restart looks the same to pg_dump).
    let killed = 0;
    for (let i = 0; i < 400 && killed === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!readdirSync(dest).some((f) => f.includes('.partial-'))) continue;
      killed = Number(psql(pg, 'postgres', `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'a2a-ops backup' AND datname = '${big}'`));
    }
    expect(killed).toBeGreaterThan(0);
    const r = await running;
    expect(r.exitCode).toBe(1);
    expect(r.report!.checks[0].message).toMatch(new RegExp(`the dump of .*${big} failed: .*pg_dump exited with code 1.*No backup was written`));
    expect(files(dest)).toEqual([`${big}-20200101T000000Z.dump.zst`, `${big}-20200101T000000Z.dump.zst.meta.json`]);
    expect(readFileSync(`${keep}.meta.json`, 'utf8')).toBe('{"kept": true}');
  }, 120_000);

  describe('29: verify detects a damaged archive and marks it failed', () => {
    let source: string;
    beforeAll(async () => {
      const d = dir();
      const r = await backup({ 'database-url': url, destination: d });
      source = r.outputs['backup-path'];
    });
    const copyOf = (): string => {
      const d = dir();
      const path = join(d, source.split('/').pop()!);
      copyFileSync(source, path);
      copyFileSync(`${source}.meta.json`, `${path}.meta.json`);
      return path;
    };
    const forge = (path: string): void => {
      const m = JSON.parse(readFileSync(`${path}.meta.json`, 'utf8'));
      const bytes = readFileSync(path);
      writeFileSync(`${path}.meta.json`, JSON.stringify({ ...m, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }));
    };
    it.each([
      {
        name: 'a flipped byte',
        damage: (p: string) => {
          const b = readFileSync(p);
          b[Math.floor(b.length / 2)] ^= 0xff;
          writeFileSync(p, b);
        },
        forged: false,
        message: /SHA-256 [0-9a-f]{64} differs from the metadata's/
      },
      { name: 'a truncated file', damage: (p: string) => truncateSync(p, 5000), forged: false, message: /bytes but the metadata says .*: the file was truncated/ },
      { name: 'a 0-byte file', damage: (p: string) => truncateSync(p, 0), forged: false, message: /is 0 bytes but the metadata says/ },
      {
        name: 'a flipped byte with the metadata forged to match (caught by the restore itself)',
        damage: (p: string) => {
          const b = readFileSync(p);
          b[Math.floor(b.length / 2)] ^= 0xff;
          writeFileSync(p, b);
        },
        forged: true,
        message: /the restore of .* failed: /
      },
      { name: 'a truncated file with the metadata forged to match', damage: (p: string) => truncateSync(p, 5000), forged: true, message: /the restore of .* failed: / }
    ])('$name', async ({ damage, forged, message }) => {
      const path = copyOf();
      damage(path);
      if (forged) forge(path);
      const r = await backup({ operation: 'verify', 'database-url': url, 'scratch-database-url': scratch, 'backup-path': path, destination: path.replace(/\/[^/]+$/, '') });
      expect(r.exitCode).toBe(1);
      const check = r.report!.checks.find((c) => c.kind === 'verify')!;
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(message);
      expect(meta(path).verification.status).toBe('failed');
    });
  });

  it('29: a restore whose row counts differ from the metadata fails the drill, naming the table', async () => {
    const d = dir();
    const r0 = await backup({ 'database-url': url, destination: d });
    const path = r0.outputs['backup-path'];
    const m = JSON.parse(readFileSync(`${path}.meta.json`, 'utf8'));
    m.database.tables = m.database.tables.map((t: { name: string; rows: number }) => (t.name === 'patterns' ? { ...t, rows: t.rows + 1 } : t));
    writeFileSync(`${path}.meta.json`, JSON.stringify(m));
    const r = await backup({ operation: 'verify', 'database-url': url, 'scratch-database-url': scratch, destination: d });
    expect(r.exitCode).toBe(1);
    expect(r.report!.checks.find((c) => c.kind === 'verify')!.message).toBe('restored, but the row counts differ from the metadata: public.patterns 5001 → 5000');
    expect(meta(path).verification.status).toBe('failed');
  }, 60_000);

  it('30: a full disk (small tmpfs) fails clearly, leaves no partial file, and keeps the last verified backup through prune', async () => {
    const mount = join(dir(), 'tmpfs');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', mount]);
    const big = `a2a_backup_full_${tag}`;
    created.push(big);
    try {
      createSeededDatabase(pg, big);
      const bigUrl = urlOf(pg.url, big);
      const good = await backup({ 'database-url': bigUrl, destination: mount });
      expect(good.exitCode).toBe(0);
      const goodPath = good.outputs['backup-path'];
      const verified = await backup({ operation: 'verify', 'database-url': bigUrl, 'scratch-database-url': scratch, destination: mount });
      expect(verified.exitCode).toBe(0);
      // Enough new, incompressible rows that the next backup cannot fit.
      psql(pg, big, "SET ROLE a2a_user; INSERT INTO public.patterns (id, name) SELECT 100000 + g, repeat(md5(random()::text) || md5(random()::text), 4) FROM generate_series(1, 20000) g");
      const full = await backup({ 'database-url': bigUrl, destination: mount });
      expect(full.exitCode).toBe(1);
      expect(full.report!.checks[0].message).toMatch(/the output could not be written \(ENOSPC: no space left on device/);
      expect(files(mount)).toEqual([goodPath.split('/').pop(), `${goodPath.split('/').pop()}.meta.json`]);
      const pruned = await backup({ operation: 'prune', destination: mount, retention: 'last=1' });
      expect(pruned.exitCode).toBe(0);
      expect(existsSync(goodPath)).toBe(true);
      expect(meta(goodPath).verification.status).toBe('restored');
    } finally {
      execFileSync('umount', [mount]);
    }
  }, 90_000);

  it('a wrong password fails naming authentication, writes nothing, and never prints the password', async () => {
    const dest = dir();
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const u = new URL(url);
    u.password = wrong;
    const r = await backup({ 'database-url': u.toString(), destination: dest });
    secrets.push(wrong);
    expect(r.exitCode).toBe(1);
    expect(r.report!.checks[0].message).toMatch(/password authentication failed for user "a2a_user"/);
    expect(files(dest)).toEqual([]);
  });

  describe('28: a pg_dump older than the server (a stub on PATH: this machine has only PostgreSQL 15 clients)', () => {
    it.each([
      {
        name: 'refused by the version check before anything is written',
        script: 'if [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 13.16"; exit 0; fi; echo should-not-run >&2; exit 99',
        message: /pg_dump 13\.16 is older than the server \(PostgreSQL 15\.\d+.*\): aborting because of server version mismatch\. Install postgresql-client-15/
      },
      {
        name: "pg_dump's own refusal is surfaced, with no fallback to a weaker dump",
        script:
          'if [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 15.18"; exit 0; fi; echo "pg_dump: error: aborting because of server version mismatch" >&2; echo "pg_dump: detail: server version: 16.4; pg_dump version: 15.18" >&2; exit 1',
        message: /pg_dump exited with code 1: pg_dump: error: aborting because of server version mismatch \| pg_dump: detail: server version: 16\.4; pg_dump version: 15\.18/
      }
    ])('$name', async ({ script, message }) => {
      const dest = dir();
      const bin = join(dir(), 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'pg_dump'), `#!/bin/sh\n${script}\n`);
      chmodSync(join(bin, 'pg_dump'), 0o755);
      const r = await backup({ 'database-url': url, destination: dest }, { PATH: `${bin}:${process.env.PATH}` });
      expect(r.exitCode).toBe(1);
      expect(r.report!.checks[0].message).toMatch(message);
      expect(files(dest)).toEqual([]);
    });
  });

  it('31: an error during the restore drill (--exit-on-error) fails it, and the scratch database is still dropped', async () => {
    const ext = `a2a_backup_ext_${tag}`;
    const role = `a2a_backup_verifier_${tag}`;
    const password = randomBytes(12).toString('hex');
    secrets.push(password);
    created.push(ext);
    createSeededDatabase(pg, ext);
    // file_fdw is untrusted: only a superuser may create it, so a restore by a non-superuser errors.
    psql(pg, ext, 'CREATE EXTENSION file_fdw');
    psql(pg, 'postgres', `CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}'`);
    try {
      const dest = dir();
      const b = await backup({ 'database-url': urlOf(pg.superuser.url, ext), destination: dest });
      expect(b.exitCode).toBe(0);
      const scratchUrl = new URL(scratch);
      scratchUrl.username = role;
      scratchUrl.password = password;
      const r = await backup({ operation: 'verify', 'database-url': urlOf(pg.superuser.url, ext), 'scratch-database-url': scratchUrl.toString(), destination: dest });
      expect(r.exitCode).toBe(1);
      const check = r.report!.checks.find((c) => c.kind === 'verify')!;
      expect(check.message).toMatch(/pg_restore exited with code 1: .*permission denied to create extension "file_fdw"/);
      expect(r.summary).toMatch(/Cleaned up: drop the scratch database a2a_backup_verify_/);
    } finally {
      psql(pg, 'postgres', `DROP ROLE IF EXISTS ${role}`);
    }
  }, 60_000);
});
