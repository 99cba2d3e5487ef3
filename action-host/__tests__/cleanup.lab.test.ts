// action-host `cleanup` on the lab's dockerd (shared by both lab hosts, so the run names app1 only), run
// as the bundle: images the test loads with a past creation date (a2a-host-test/app t1..t4, 12 MB each,
// and one used by a container), a stopped test container, and local backups with core metadata. The dry
// run lists each item with the space it frees and removes nothing; the real run removes exactly those,
// keeps the newest tags, the image a container uses, every lab image, and the newest verified backup,
// and reports the space df measured. The lab has no systemd: the journal is reported as not vacuumed.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeBackupMetadata, type BackupMetadata } from '../../shared/src/index.js';
import { closeDeployLab } from '../../test-support/deploy-lab.js';
import { imageExists, imageTags, loadBackdatedImage, removeTestDocker, TEST_PREFIX } from '../../test-support/host-docker.js';
import { openHostLab, runHost, type HostLab, type HostRun } from '../../test-support/host-lab.js';

let lab: HostLab;
let backups: string;
let labImages: string[];
const MB = 1_000_000;
const DAY = 86_400_000;

beforeAll(async () => {
  lab = openHostLab();
  removeTestDocker();
  labImages = imageTags().filter((t) => !t.startsWith(TEST_PREFIX));
  for (const [i, tag] of ['t1', 't2', 't3', 't4'].entries()) loadBackdatedImage(`${TEST_PREFIX}/app:${tag}`, new Date(Date.UTC(2020, 0, 1 + i)), 12 * MB);
  loadBackdatedImage(`${TEST_PREFIX}/used:old`, new Date(Date.UTC(2019, 0, 1)), 2 * MB);
  execFileSync('docker', ['create', '--name', `${TEST_PREFIX}-user`, `${TEST_PREFIX}/used:old`], { stdio: 'pipe' });
  // A stopped container of a lab image (it exits at once): old enough with container-age 1s.
  const base = labImages.find((t) => t.includes('busybox')) ?? labImages[0];
  execFileSync('docker', ['run', '--name', `${TEST_PREFIX}-stopped`, '--entrypoint', 'true', base], { stdio: 'pipe' });
  // Past container-age (1s) for both containers before the first run.
  await sleep(1500);

  backups = join(lab.dir, 'backups');
  mkdirSync(backups);
  for (let i = 1; i <= 5; i++) {
    const file = `a2a_world_2026-11-0${i}.dump.zst`;
    writeFileSync(join(backups, file), Buffer.alloc(3 * MB, i));
    const metadata: BackupMetadata = {
      format: 'a2a-ops-backup/1',
      kind: 'database',
      file,
      label: 'a2a_world',
      createdAt: new Date(Date.now() - (6 - i) * DAY).toISOString(),
      sizeBytes: 3 * MB,
      sha256: 'a'.repeat(64),
      durationMs: 1000,
      content: 'pg_dump-custom',
      compression: 'zstd',
      encryption: 'none',
      restoreCommand: 'zstd -dc FILE | pg_restore -d TARGET',
      source: 'compose app1 postgres',
      // The newest backup failed its check: the one before it is the newest verified, and stays.
      verification: { status: i === 5 ? 'failed' : 'checked', at: new Date().toISOString(), detail: 'fixture' }
    };
    await writeBackupMetadata(join(backups, `${file}.meta.json`), metadata);
  }
  execFileSync('chown', ['-R', `${lab.user}:`, backups]);
  chownSync(lab.dir, 0, 0);
  execFileSync('chmod', ['755', lab.dir]);
});
afterAll(() => {
  try {
    removeTestDocker();
  } finally {
    closeDeployLab(lab);
  }
});

const inputs = (extra: Record<string, string>): Record<string, string> => ({
  operation: 'cleanup',
  hosts: 'app1',
  'image-age': '30d',
  'keep-images': '2',
  'container-age': '1s',
  'backup-dir': backups,
  'backup-retention': 'last=1',
  ...extra
});
const check = (run: HostRun, id: string) => run.report?.checks.find((c) => c.id === id);

describe('cleanup on the lab dockerd', () => {
  let dry: HostRun;

  it('lists each item with the space it frees on a dry run, and removes nothing', async () => {
    dry = await runHost(lab, inputs({ 'dry-run': 'true' }));
    expect(dry.exitCode).toBe(0);
    const plan = check(dry, 'cleanup:plan:app1');
    expect(plan?.status).toBe('ok');
    expect(plan?.message).toContain('journal: not vacuumed, this host does not run systemd (no /run/systemd/system)');
    expect(plan?.message).toContain('backups: 2 kept by the retention, 3 beyond it');
    expect(dry.summary).toMatch(/\| app1 \| image \| a2a-host-test\/app:t1 \| 11\.\d MiB \|/);
    expect(dry.summary).toMatch(/\| app1 \| image \| a2a-host-test\/app:t2 \| 11\.\d MiB \|/);
    expect(dry.summary).toMatch(/\| app1 \| container \| container a2a-host-test-stopped \(exited, /);
    expect(dry.summary).toMatch(/\| app1 \| container \| container a2a-host-test-user \(created, /);
    expect(dry.summary).toMatch(/\| app1 \| backup \| .*a2a_world_2026-11-01\.dump\.zst \(database:a2a_world, .*\| 2\.86 MiB \|/);
    expect(dry.summary).toContain('a2a-host-test/used:old | used by a2a-host-test-user');
    expect(dry.summary).toContain('a2a-host-test/app:t4 | among the newest 2 of a2a-host-test/app');
    expect(dry.outputs['freed-bytes']).toBe('0');
    expect(imageExists(`${TEST_PREFIX}/app:t1`)).toBe(true);
    expect(existsSync(join(backups, 'a2a_world_2026-11-01.dump.zst'))).toBe(true);
  });

  it('removes exactly the planned items, keeps every lab image, and reports the space df measured', async () => {
    // The lab's dockerd is shared: the plan must hold nothing but this test's own things before it runs for real.
    const planned = [...dry.summary.matchAll(/^\| app1 \| (\S+) \| (.*?) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    const foreign = planned.filter((p) => !p.includes(TEST_PREFIX) && !p.includes(backups));
    expect(foreign).toEqual([]);

    const run = await runHost(lab, inputs({}));
    expect(run.exitCode).toBe(0);
    expect(imageExists(`${TEST_PREFIX}/app:t1`)).toBe(false);
    expect(imageExists(`${TEST_PREFIX}/app:t2`)).toBe(false);
    expect(imageExists(`${TEST_PREFIX}/app:t3`)).toBe(true);
    expect(imageExists(`${TEST_PREFIX}/app:t4`)).toBe(true);
    expect(imageExists(`${TEST_PREFIX}/used:old`)).toBe(true);
    for (const tag of labImages) expect([tag, imageExists(tag)]).toEqual([tag, true]);
    // Both test containers had stopped (one never started) longer than container-age ago: both go; the
    // image the second one used stays, because a container used it when the plan was made.
    const names = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' });
    expect(names).not.toContain(`${TEST_PREFIX}-stopped`);
    expect(names).not.toContain(`${TEST_PREFIX}-user`);
    for (const i of [1, 2, 3]) expect(existsSync(join(backups, `a2a_world_2026-11-0${i}.dump.zst`))).toBe(false);
    for (const i of [4, 5]) expect(existsSync(join(backups, `a2a_world_2026-11-0${i}.dump.zst`))).toBe(true);
    expect(existsSync(join(backups, 'a2a_world_2026-11-01.dump.zst.meta.json'))).toBe(false);

    const done = check(run, 'cleanup:app1');
    expect(done?.status).toBe('ok');
    expect(done?.message).toMatch(/^Removed 7 of 7; freed .* measured by df on \/\S+ \(/);
    // 2 x 12 MB of images, 3 x 3 MB of backups and two tiny containers; df on a shared disk is noisy, so within reason.
    const freed = Number(run.outputs['freed-bytes']);
    expect(freed).toBeGreaterThan(20 * MB);
    expect(freed).toBeLessThan(200 * MB);
    expect(existsSync(lab.hosts[0].lockDir)).toBe(false);
  });

  it('leaves a host alone whose disk use is below disk-threshold', async () => {
    const run = await runHost(lab, inputs({ 'disk-threshold': '99', 'dry-run': 'true' }));
    expect(run.exitCode).toBe(0);
    expect(check(run, 'cleanup:plan:app1')?.message).toMatch(/^Disk \d+ % used, below disk-threshold 99 %: nothing to clean$/);
  });
});
