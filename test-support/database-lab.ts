// Lab-test helpers for action-database against the lab's real PostgreSQL 15: roles and databases of its
// own (prefix a2a_dbmaint_, dropped afterwards), real sessions that sleep, sit idle in a transaction, run
// as a superuser, as a walsender (a replication=database connection) or in another database, and a
// scratch cluster of its own when a test needs a server set up differently (no pg_stat_statements).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { LAB_DIR, readLabPart } from './lab.js';

/** `$A2A_LAB_DIR/postgres.json`. */
export interface LabPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  url: string;
  maxConnections: number;
  superuser: { user: string; password: string; url: string };
  socketDir: string;
  binDir: string;
  clusterScript: string;
}

export const readLabPostgres = (): LabPostgres => readLabPart<LabPostgres>('postgres');

/** A role of the test's own, with the URL that logs in as it to `database`. */
export interface TestRole {
  name: string;
  password: string;
  url(database: string): string;
}

/** What one test file creates on the lab server, and undoes in `drop()`. */
export class DbMaintLab {
  readonly lab = readLabPostgres();
  private readonly clients = new Set<pg.Client>();
  private readonly roles: string[] = [];
  private readonly databases: string[] = [];

  /** A client as the lab superuser to `database` (default postgres). */
  async admin(database = 'postgres'): Promise<pg.Client> {
    return this.connect({ connectionString: this.urlFor(this.lab.superuser.user, this.lab.superuser.password, database), application_name: 'a2a_dbmaint_setup' });
  }

  urlFor(user: string, password: string, database: string): string {
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.lab.port}/${database}`;
  }

  /** Creates a login role (password with URL-special characters, as the lab's own app password has). */
  async createRole(name: string, attributes = '', grants: string[] = []): Promise<TestRole> {
    const password = `pw-${Math.random().toString(36).slice(2)}@x/1`;
    const admin = await this.admin();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${name}`);
      await admin.query(`CREATE ROLE ${name} LOGIN ${attributes} PASSWORD ${admin.escapeLiteral(password)}`);
      for (const g of grants) await admin.query(`GRANT ${g} TO ${name}`);
    } finally {
      await this.end(admin);
    }
    this.roles.push(name);
    return { name, password, url: (db) => this.urlFor(name, password, db) };
  }

  async createDatabase(name: string, owner: string): Promise<void> {
    const admin = await this.admin();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name} OWNER ${owner}`);
    } finally {
      await this.end(admin);
    }
    this.databases.unshift(name);
  }

  /** Connects a client that the test owns (closed by `drop`). */
  async connect(config: pg.ClientConfig): Promise<pg.Client> {
    const client = new pg.Client(config);
    client.on('error', () => undefined);
    await client.connect();
    this.clients.add(client);
    return client;
  }

  async end(client: pg.Client): Promise<void> {
    this.clients.delete(client);
    await client.end().catch(() => undefined);
  }

  /** A session's pid and exact identity, as the action reads it. */
  async identity(client: pg.Client): Promise<number> {
    return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  }

  /** Closes every client, drops the databases (forcing sessions out) and the roles. Leaves the lab as it was. */
  async drop(): Promise<void> {
    await Promise.all([...this.clients].map((c) => this.end(c)));
    const admin = await this.admin();
    try {
      for (const db of this.databases) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      for (const role of this.roles.reverse()) {
        // Sessions of the role in other databases (a walsender) end with it.
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
        await admin.query(`DROP ROLE IF EXISTS ${role}`);
      }
    } finally {
      await this.end(admin);
    }
    this.databases.length = 0;
    this.roles.length = 0;
  }
}

/** Waits until `sql` (run by `client`) returns a row, polling; throws after `timeoutMs`. */
export async function waitForRow(client: pg.Client, sql: string, values: unknown[] = [], timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await client.query(sql, values)).rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no row for ${sql} within ${timeoutMs} ms`);
}

/** A cluster of the test's own (lab/postgres/cluster.sh), for a server configured unlike the lab's. */
export interface ScratchCluster {
  url(database?: string): string;
  user: string;
  password: string;
  stop(): void;
}

/** Starts a scratch cluster with `settings` (`name=value`), owned by superuser `tester`. About 1-2 s. */
export async function startScratchCluster(settings: string[] = []): Promise<ScratchCluster> {
  const lab = readLabPostgres();
  const dir = mkdtempSync(join(LAB_DIR, 'a2a_dbmaint_cluster-'));
  // mkdtemp makes it 0700; the cluster runs as the postgres user, which must get through to its own dir.
  chmodSync(dir, 0o755);
  const password = 'scratch-Pw1';
  const pw = join(dir, 'pw');
  writeFileSync(pw, `${password}\n`);
  const port = await freePort();
  const clusterDir = join(dir, 'cluster');
  execFileSync('bash', [lab.clusterScript, 'up', clusterDir, String(port), 'tester', pw, ...settings], { stdio: 'pipe', timeout: 60_000 });
  return {
    user: 'tester',
    password,
    url: (database = 'postgres') => `postgresql://tester:${password}@127.0.0.1:${port}/${database}`,
    stop: () => {
      execFileSync('bash', [lab.clusterScript, 'down', clusterDir], { stdio: 'pipe', timeout: 60_000 });
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
