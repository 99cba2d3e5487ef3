// Lab-test helpers for action-incident: the lab's two hosts, PostgreSQL and NATS as one incident run
// sees them, and the faults a test plants — a stopped container (started again and waited healthy),
// a long query on the lab cluster (cancelled and gone afterwards) — each with an undo that is safe to
// call twice.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { closeDeployLab, openDeployLab, opsConfig, type DeployLab } from './deploy-lab.js';
import { readLabPart } from './lab.js';
import { docker, listProjectContainers, waitForContainerHealth } from './lab-platform.js';
import { runBundle, type BundleRun } from './run-bundle.js';

/** `$A2A_LAB_DIR/postgres.json`, as far as these tests read it. */
interface LabPostgres {
  url: string;
  password: string;
  superuser: { url: string; password: string };
}

/** The lab as an incident run sees it. */
export interface IncidentLab {
  deploy: DeployLab;
  postgres: LabPostgres;
  natsUrl: string;
  configPath: string;
}

/** Reads the lab's parts (failing loudly when one is down) and writes an ops config with `endpoints`. */
export function openIncidentLab(endpoints: Array<{ name: string; url: string }>): IncidentLab {
  const deploy = openDeployLab();
  const postgres = readLabPart<LabPostgres>('postgres');
  const nats = readLabPart<{ url: string }>('nats');
  const configPath = join(deploy.dir, 'incident-ops.yml');
  const lines = endpoints.length ? ['endpoints:', ...endpoints.map((e) => `  - { name: ${e.name}, url: "${e.url}" }`), ''] : [];
  writeFileSync(configPath, `${opsConfig(deploy)}${lines.join('\n')}`);
  return { deploy, postgres, natsUrl: nats.url, configPath };
}

export function closeIncidentLab(lab: IncidentLab | undefined): void {
  if (lab) closeDeployLab(lab.deploy);
}

/** The inputs of an incident step against the whole lab; `extra` adds or overrides. */
export function incidentInputs(lab: IncidentLab, extra: Record<string, string> = {}): Record<string, string> {
  return {
    config: lab.configPath,
    'ssh-private-key': lab.deploy.privateKey,
    'ssh-fingerprint': lab.deploy.hosts.map((h) => h.ssh.fingerprint).join(','),
    'database-url': lab.postgres.url,
    'nats-url': lab.natsUrl,
    ...extra
  };
}

/** Runs the incident bundle (killed after `timeoutMs`, so a hang fails the test). */
export function runIncident(lab: IncidentLab, extra: Record<string, string>, env: Record<string, string> = {}, timeoutMs = 110_000): Promise<BundleRun> {
  return runBundle('incident', incidentInputs(lab, extra), env, timeoutMs);
}

/** Stops a lab container; the undo starts it again and waits for its Docker health to be `healthy`. */
export async function stopContainer(name: string): Promise<{ undo: () => Promise<string> }> {
  await docker(['stop', '-t', '5', name]);
  let done: Promise<string> | undefined;
  return {
    undo: () => {
      done ??= (async () => {
        await docker(['start', name]);
        return waitForContainerHealth(name, 'healthy', 90_000);
      })();
      return done;
    }
  };
}

/** A query sleeping on the lab cluster as the application user; the undo cancels it and closes the session. */
export async function startLongQuery(lab: IncidentLab, applicationName: string, seconds = 120): Promise<{ pid: number; undo: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: lab.postgres.url, application_name: applicationName });
  await client.connect();
  const pid = ((await client.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
  const running = client.query(`SELECT pg_sleep(${Math.floor(seconds)})`).catch(() => undefined);
  // Wait until pg_stat_activity shows it active, so the run cannot race its start.
  const admin = new pg.Client({ connectionString: lab.postgres.superuser.url });
  await admin.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const r = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep%'", [pid]);
      if (r.rowCount) break;
      await sleep(100);
    }
  } finally {
    await admin.end();
  }
  let done: Promise<void> | undefined;
  return {
    pid,
    undo: () => {
      done ??= (async () => {
        const a = new pg.Client({ connectionString: lab.postgres.superuser.url });
        await a.connect();
        try {
          await a.query('SELECT pg_cancel_backend($1)', [pid]);
        } finally {
          await a.end();
        }
        await running;
        await client.end().catch(() => undefined);
      })();
      return done;
    }
  };
}

/** Sessions with this application name still on the lab cluster (0 after an undo). */
export async function sessionsNamed(lab: IncidentLab, applicationName: string): Promise<number> {
  const a = new pg.Client({ connectionString: lab.postgres.superuser.url });
  await a.connect();
  try {
    return (await a.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rowCount ?? 0;
  } finally {
    await a.end();
  }
}

/** Every container of every lab host, as `name: state/health`, for "the lab is as before" checks. */
export async function labContainerStates(lab: IncidentLab): Promise<string[]> {
  const all = await Promise.all(lab.deploy.hosts.map((h) => listProjectContainers(h.compose.projectName)));
  return all
    .flat()
    .map((c) => `${c.name}: ${c.status}/${c.health}`)
    .sort();
}

/** The lines of the private key, for secret scans (any one line leaking is a leak). */
export function keyLines(lab: IncidentLab): string[] {
  return lab.deploy.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
}
