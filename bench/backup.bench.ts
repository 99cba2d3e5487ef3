// Benchmark: a backup of a database of app-like rows (text, jsonb, numbers; ≈1.2 GB on disk, generated
// once by bench/backup-data.sql and reused), in one run:
//  - `pg_dump` alone to /dev/null (the floor);
//  - the runbook's `pg_dump | gzip > backup.sql.gz`;
//  - action-backup (the committed bundle: row counts in the dump's snapshot, `pg_dump -Fc -Z0 | zstd
//    -T2 -1`, SHA-256 while streaming, pg_restore --list check, metadata, rename);
// directly against the lab cluster and over SSH into the compose postgres service of lab host app2
// (`ssh host "docker-compose exec -T postgres pg_dump ..." | gzip`). Peak memory (VmHWM) of the
// action's node process at two sizes (≈280 MB and ≈1.2 GB). Targets: time ≤ 1.3× pg_dump alone, a file
// no larger than the runbook's, peak memory ≤ 150 MB and flat across sizes.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackupLab, psql, readLabPostgres, urlOf } from '../test-support/backup-lab.js';
import { readLabPlatform } from '../test-support/lab-platform.js';
import { inputEnvName } from '../test-support/run-bundle.js';
import type { BenchResult } from './types.js';

const ROOT = join(import.meta.dirname, '..');
const SIZES = { small: 750_000, large: 3_200_000 } as const;
// app2: the lab's app1 postgres is restarted by other suites' fault tests more often.
const SSH_HOST = 'app2';
const CONTAINER = `a2a-${SSH_HOST}_postgres_1`;

/** Creates `a2a_backup_bench_<size>` on the lab cluster once (kept for the next run). */
function ensureDatabase(size: keyof typeof SIZES): string {
  const pg = readLabPostgres();
  const name = `a2a_backup_bench_${size}`;
  if (psql(pg, 'postgres', `SELECT 1 FROM pg_database WHERE datname = '${name}'`).trim() !== '1') {
    psql(pg, 'postgres', `CREATE DATABASE ${name}`);
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `rows=${SIZES[size]}`, '-d', urlOf(pg.superuser.url, name), '-f', join(ROOT, 'bench', 'backup-data.sql')], { stdio: 'inherit' });
  }
  return urlOf(pg.superuser.url, name);
}

/** The same large database in the compose postgres service of the SSH host, copied once from the cluster. */
function ensureComposeDatabase(source: string): string {
  const { user } = readLabPlatform().postgres;
  const name = 'a2a_backup_bench_large';
  const exists = execFileSync('docker', ['exec', CONTAINER, 'psql', '-U', user, '-d', 'postgres', '-Atc', `SELECT 1 FROM pg_database WHERE datname = '${name}'`], { encoding: 'utf8' }).trim();
  if (exists !== '1') {
    execFileSync('docker', ['exec', CONTAINER, 'psql', '-U', user, '-d', 'postgres', '-c', `CREATE DATABASE ${name}`]);
    execFileSync('sh', ['-c', `pg_dump -Fc -Z0 -d '${source}' | docker exec -i ${CONTAINER} pg_restore -U ${user} -d ${name} --no-owner --exit-on-error`], { stdio: 'inherit' });
  }
  return name;
}

/** Runs a shell pipeline; its wall time in ms. */
function timeShell(script: string): number {
  const t = performance.now();
  execFileSync('bash', ['-c', `set -o pipefail; ${script}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t;
}

/** Runs the action bundle with `inputs`; wall time and the node process's peak RSS (VmHWM, sampled until exit). */
async function runAction(inputs: Record<string, string>): Promise<{ ms: number; peakMb: number; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-bench-backup-run-'));
  const output = join(dir, 'output');
  writeFileSync(output, '');
  writeFileSync(join(dir, 'summary.md'), '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    A2A_OPS_STATE_DIR: join(dir, 'state'),
    [inputEnvName('issue')]: 'off'
  };
  for (const [k, v] of Object.entries(inputs)) env[inputEnvName(k)] = v;
  const t = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'action-backup', 'dist', 'index.js')], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  let peakKb = 0;
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // Exited between samples.
    }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sample);
  const ms = performance.now() - t;
  if (code !== 0) throw new Error(`action-backup exited ${code}: ${log.slice(-2000)}`);
  const path = /backup-path<<(\S+)\n(.*)\n/.exec(readFileSync(output, 'utf8'))?.[2] ?? '';
  rmSync(dir, { recursive: true, force: true });
  return { ms, peakMb: peakKb / 1024, path };
}

/** One retry: another suite may restart the lab's compose postgres mid-measurement (the timing of a failed try is thrown away). */
async function retried<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    console.error(`  retrying once after: ${(err as Error).message.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 15_000));
    return work();
  }
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

export default async function backupBench(): Promise<BenchResult[]> {
  const large = ensureDatabase('large');
  const small = ensureDatabase('small');
  const out = mkdtempSync(join(tmpdir(), 'a2a-bench-backup-'));
  try {
    // Direct, on the runner.
    const dumpMs = timeShell(`pg_dump -d '${large}' > /dev/null`);
    const gzipFile = join(out, 'runbook.sql.gz');
    const gzipMs = timeShell(`pg_dump -d '${large}' | gzip > '${gzipFile}'`);
    const ours = await runAction({ 'database-url': large, destination: join(out, 'direct') });
    const ourSize = statSync(ours.path).size;
    const gzipSize = statSync(gzipFile).size;
    const oursSmall = await runAction({ 'database-url': small, destination: join(out, 'small') });
    rmSync(join(out, 'direct'), { recursive: true, force: true });
    rmSync(join(out, 'small'), { recursive: true, force: true });

    // Over SSH, into the compose postgres service of the SSH host.
    const composeDb = ensureComposeDatabase(large);
    const lab = openBackupLab({ name: composeDb, user: readLabPlatform().postgres.user });
    const host = lab.hosts.find((h) => h.name === SSH_HOST)!;
    const keyFile = join(out, 'id');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    const knownHosts = join(out, 'known_hosts');
    writeFileSync(knownHosts, `${host.ssh.address} ${readFileSync(host.ssh.hostKeyPath, 'utf8').trim()}\n`);
    const ssh = `ssh -i '${keyFile}' -o UserKnownHostsFile='${knownHosts}' -o StrictHostKeyChecking=yes -o BatchMode=yes ${lab.user}@${host.ssh.address}`;
    const remoteDump = `cd ${host.compose.composeDir} && docker-compose -p ${host.compose.projectName} -f docker-compose.production.yml exec -T postgres pg_dump -U ${readLabPlatform().postgres.user} ${composeDb}`;
    const sshDumpMs = await retried(async () => timeShell(`${ssh} "${remoteDump}" > /dev/null`));
    const sshGzipFile = join(out, 'runbook-ssh.sql.gz');
    const sshGzipMs = await retried(async () => timeShell(`${ssh} "${remoteDump}" | gzip > '${sshGzipFile}'`));
    const oursSsh = await retried(() => runAction({ ...lab.sshInputs, hosts: SSH_HOST, destination: join(out, 'ssh') }));
    const oursSshSize = statSync(oursSsh.path).size;
    const sshGzipSize = statSync(sshGzipFile).size;
    const memory = `peak memory of the action's node process: ${oursSmall.peakMb.toFixed(0)} MB at ≈280 MB, ${ours.peakMb.toFixed(0)} MB at ≈1.2 GB (target ≤ 150 MB, flat); over SSH ${oursSsh.peakMb.toFixed(0)} MB`;
    return [
      {
        name: 'backup of ≈1.2 GB, direct: action-backup vs pg_dump alone',
        ours: { label: `action-backup (pg_dump -Fc -Z0 | zstd -T2 -1, counts, checks), ${mb(ourSize)}`, ms: ours.ms },
        baseline: { label: 'pg_dump > /dev/null', ms: dumpMs },
        ratio: dumpMs / ours.ms,
        notes: [`time ${(ours.ms / dumpMs).toFixed(2)}× pg_dump alone (target ≤ 1.3×)`, memory]
      },
      {
        name: "backup of ≈1.2 GB, direct: action-backup vs the runbook's pg_dump | gzip",
        ours: { label: `action-backup, ${mb(ourSize)}`, ms: ours.ms },
        baseline: { label: `pg_dump | gzip, ${mb(gzipSize)}`, ms: gzipMs },
        ratio: gzipMs / ours.ms,
        notes: [`file ${mb(ourSize)} vs the runbook's ${mb(gzipSize)} (target: no larger)`]
      },
      {
        name: 'backup of ≈1.2 GB over SSH (compose postgres on app2): action-backup vs ssh pg_dump alone',
        ours: { label: `action-backup compose mode, ${mb(oursSshSize)}`, ms: oursSsh.ms },
        baseline: { label: 'ssh host "docker-compose exec -T postgres pg_dump" > /dev/null', ms: sshDumpMs },
        ratio: sshDumpMs / oursSsh.ms,
        notes: [`time ${(oursSsh.ms / sshDumpMs).toFixed(2)}× ssh pg_dump alone (target ≤ 1.3×)`]
      },
      {
        name: "backup of ≈1.2 GB over SSH: action-backup vs the runbook's ssh pg_dump | gzip",
        ours: { label: `action-backup compose mode, ${mb(oursSshSize)}`, ms: oursSsh.ms },
        baseline: { label: `ssh host "... pg_dump" | gzip, ${mb(sshGzipSize)}`, ms: sshGzipMs },
        ratio: sshGzipMs / oursSsh.ms,
        notes: [`file ${mb(oursSshSize)} vs the runbook's ${mb(sshGzipSize)} (target: no larger)`]
      }
    ];
  } finally {
    for (const f of readdirSync(out)) rmSync(join(out, f), { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
