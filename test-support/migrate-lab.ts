// Lab helpers for action-migrate against real PostgreSQL 15: databases of its own on the lab cluster
// (prefix a2a_migrate_, dropped afterwards), the action's bundle run in the background, and a scratch
// cluster of its own (lab/postgres/cluster.sh) for tests that restart the server: never the shared one.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { LAB_DIR, readLabPart } from './lab.js';
import { inputEnvName, parseOutputFile, type BundleRun } from './run-bundle.js';

/** `$A2A_LAB_DIR/postgres.json` (the fields these tests use). */
export interface LabPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  superuser: { user: string; password: string; url: string };
  clusterScript: string;
}

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** Databases of one test file on the lab cluster, owned by the lab's app user, dropped by `dropAll()`. */
export class MigrateLab {
  readonly lab = readLabPart<LabPostgres>('postgres');
  private readonly made: string[] = [];
  private admin?: pg.Client;

  private async adminClient(): Promise<pg.Client> {
    if (!this.admin) {
      this.admin = new pg.Client({ connectionString: this.lab.superuser.url, application_name: 'a2a_migrate_setup' });
      await this.admin.connect();
    }
    return this.admin;
  }

  /** Creates `a2a_migrate_<suffix>_<pid>` and returns its URL as the lab's app user (a password with URL-special characters). */
  async createDatabase(suffix: string): Promise<{ name: string; url: string }> {
    const name = `a2a_migrate_${suffix}_${process.pid}`;
    const admin = await this.adminClient();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${this.lab.user}`);
    this.made.push(name);
    return { name, url: this.urlOf(name) };
  }

  urlOf(database: string): string {
    return `postgresql://${this.lab.user}:${encodeURIComponent(this.lab.password)}@${this.lab.host}:${this.lab.port}/${database}`;
  }

  /** A client as the app user to `url`, closed by the caller. */
  async connect(url: string, applicationName = 'a2a_migrate_probe'): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url, application_name: applicationName });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  }

  /** Databases named `a2a_migrate_*` that exist now (scratch databases a plan left behind would show here). */
  async listOurDatabases(): Promise<string[]> {
    const admin = await this.adminClient();
    return (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'a2a\\_migrate\\_%' ORDER BY 1`)).rows.map((r) => r.datname);
  }

  async dropAll(): Promise<void> {
    const admin = await this.adminClient();
    for (const name of this.made.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    this.admin = undefined;
  }
}

/** A bundle run started in the background: `done` resolves as runBundle does. */
export interface BackgroundRun {
  done: Promise<BundleRun>;
  pid: number;
}

/** Starts action-migrate's bundle as the runner would, without waiting for it. */
export function startMigrateBundle(inputs: Record<string, string>, env: Record<string, string> = {}, timeoutMs = 120_000): BackgroundRun {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-run-migrate-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_WORKSPACE: dir,
    A2A_OPS_STATE_DIR: join(dir, 'state'),
    ...env
  };
  for (const [name, value] of Object.entries({ issue: 'off', ...inputs })) childEnv[inputEnvName(name)] = value;
  const child = spawn(process.execPath, [join(ROOT, 'action-migrate', 'dist', 'index.js')], { env: childEnv, cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<BundleRun>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
      resolve({ exitCode: code, stdout, stderr, outputs, summary: readFileSync(summaryFile, 'utf8'), report: outputs.report ? JSON.parse(outputs.report) : undefined });
    })
  );
  return { done, pid: child.pid! };
}

/** A PostgreSQL 15 cluster of the test's own, to restart at will. */
export interface MigrateScratchCluster {
  url(database?: string): string;
  /** `pg_ctl restart -m fast`: every session is terminated, the server comes back. */
  restart(): void;
  stop(): Promise<void>;
}

/** Starts a scratch cluster (superuser `tester`) under the lab dir. About 1-2 s. */
export async function startMigrateScratchCluster(): Promise<MigrateScratchCluster> {
  const lab = readLabPart<LabPostgres>('postgres');
  const dir = mkdtempSync(join(LAB_DIR, 'a2a_migrate_cluster-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, `${password}\n`);
  const clusterDir = join(dir, 'cluster');
  execFileSync('bash', [lab.clusterScript, 'up', clusterDir, String(port), 'tester', pwFile], { stdio: 'pipe', timeout: 60_000 });
  const pgCtl = '/usr/lib/postgresql/15/bin/pg_ctl';
  return {
    url: (database = 'postgres') => `postgresql://tester:${password}@127.0.0.1:${port}/${database}`,
    // pg_ctl restart reuses the options the server was started with (postmaster.opts).
    restart: () => {
      execFileSync('su', ['postgres', '-s', '/bin/bash', '-c', `${pgCtl} -D '${clusterDir}/data' -m fast -w -t 30 -l '${clusterDir}/log' restart`], { stdio: 'pipe', timeout: 60_000 });
    },
    stop: async () => {
      try {
        execFileSync('bash', [lab.clusterScript, 'down', clusterDir], { stdio: 'pipe', timeout: 60_000 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
}
