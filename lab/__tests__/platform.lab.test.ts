// Lab tests of the container platform (`lab/parts/docker.sh`): real dockerd, registry, compose projects
// on the lab hosts and the nginx load balancer — asserted through what they serve, not how they were made.
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import ssh2 from 'ssh2';
import { readLabPart } from '../../test-support/lab.js';
import {
  docker,
  listProjectContainers,
  probeLoadBalancer,
  readLabPlatform,
  runOnLabHost,
  shellQuote,
  waitForContainerHealth,
  type LabPlatformHost,
} from '../../test-support/lab-platform.js';

const { Client } = ssh2;

/** The parts of `$A2A_LAB_DIR/hosts.json` (written by the hosts part) these tests use to reach a host's sshd. */
interface LabSshHost {
  name: string;
  address: string;
  sshPort: number;
  user: string;
  privateKeyFile: string;
  hostKeyFingerprint?: string;
}

/**
 * Reads each host's SSH coordinates from hosts.json. The hosts part was written in parallel with this
 * test, so a few spellings are accepted; a missing one fails with the keys that are there.
 */
function readSshHosts(): LabSshHost[] {
  const raw = readLabPart<Record<string, unknown>[] | { hosts: Record<string, unknown>[]; [key: string]: unknown }>('hosts');
  const top: Record<string, unknown> = Array.isArray(raw) ? {} : raw;
  const hosts = Array.isArray(raw) ? raw : raw.hosts;
  const pick = (h: Record<string, unknown>, keys: string[]): unknown => {
    for (const key of keys) if (h[key] !== undefined) return h[key];
    for (const key of keys) if (top[key] !== undefined) return top[key];
    return undefined;
  };
  return hosts.map((h) => {
    const host = {
      name: pick(h, ['name']),
      address: pick(h, ['address', 'host', 'ip', 'sshHost']),
      sshPort: Number(pick(h, ['sshPort', 'port']) ?? 22),
      user: pick(h, ['user', 'deployUser', 'sshUser']) ?? 'deploy',
      privateKeyFile: pick(h, ['privateKeyFile', 'privateKeyPath', 'keyFile', 'identityFile', 'deployKeyFile', 'clientKeyFile']),
      hostKeyFingerprint: pick(h, ['hostKeyFingerprint', 'fingerprint', 'hostFingerprint']),
    };
    if (typeof host.address !== 'string' || typeof host.privateKeyFile !== 'string' || typeof host.name !== 'string') {
      throw new Error(`hosts.json entry has no address/private key file this test knows: keys ${Object.keys(h).join(', ')}`);
    }
    return host as LabSshHost;
  });
}

/** What one command over SSH did; `stdout` as bytes (a gzip stream is not text). */
interface SshRunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs one command over the host's real sshd as its deploy user, feeding `stdin` (then EOF) when
 * given — the way `ssh host 'cmd' < file` does; bounded by `timeoutMs`.
 */
function sshRun(host: LabSshHost, command: string, options: { stdin?: Buffer | string; timeoutMs?: number } = {}): Promise<SshRunResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const conn = new Client();
    const stdout: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      conn.end();
      reject(new Error(`ssh ${host.user}@${host.address}:${host.sshPort} '${command}' took over ${timeoutMs} ms`));
    }, timeoutMs);
    conn
      .on('ready', () => {
        conn.exec(command, (err, stream) => {
          if (err) {
            clearTimeout(timer);
            conn.end();
            reject(err);
            return;
          }
          stream.on('data', (d: Buffer) => stdout.push(d));
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
          stream.on('close', (code: number | null) => {
            clearTimeout(timer);
            conn.end();
            resolve({ code, stdout: Buffer.concat(stdout), stderr });
          });
          if (options.stdin !== undefined) stream.end(options.stdin);
        });
      })
      .on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      })
      .connect({
        host: host.address,
        port: host.sshPort,
        username: host.user,
        privateKey: readFileSync(host.privateKeyFile),
        readyTimeout: 10_000,
        hostHash: 'sha256',
        // Pin the lab host's key when hosts.json publishes it: a wrong key must fail, not connect.
        hostVerifier: (hashHex: string) =>
          host.hostKeyFingerprint === undefined ||
          `SHA256:${Buffer.from(hashHex, 'hex').toString('base64').replace(/=+$/, '')}` === host.hostKeyFingerprint,
      });
  });
}

/** Runs one command over the host's real sshd as its deploy user, with text output; bounded by `timeoutMs`. */
async function sshExec(host: LabSshHost, command: string, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await sshRun(host, command, { timeoutMs });
  return { ...result, stdout: result.stdout.toString('utf8') };
}

async function getJson(url: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // leave as text: the assertion shows what came back
  }
  return { status: res.status, body, headers: res.headers };
}

describe('the lab container platform', () => {
  const platform = readLabPlatform();

  it('serves every host\'s v1 api replicas behind the load balancer with no failed request', async () => {
    const result = await probeLoadBalancer({ url: `${platform.lbUrl}/health`, clients: 8, durationMs: 2_000 });
    expect(result.failureSamples).toEqual([]);
    expect(result.ok).toBe(result.total);
    expect(result.total).toBeGreaterThan(50);
    expect(Object.keys(result.versions)).toEqual(['v1']);
    for (const host of platform.hosts) {
      const replicas = Object.keys(result.replicas).filter((key) => key.startsWith(`${host.name}/`));
      expect({ host: host.name, replicas: replicas.length }).toEqual({ host: host.name, replicas: 2 });
    }
  });

  it('serves each host\'s frontend page and health behind the frontend load balancer', async () => {
    const page = await fetch(`${platform.frontendUrl}/`, { signal: AbortSignal.timeout(5_000) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>A2A World</h1>');
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < platform.hosts.length; i++) {
      const { status, body } = await getJson(`${platform.frontendUrl}/health`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', service: 'frontend' });
      seen.add((body as { labHost: string }).labHost);
    }
    expect([...seen].sort()).toEqual(platform.hosts.map((h) => h.name).sort());
  });

  it('serves every api tag from the registry\'s HTTP API', async () => {
    const { status, body } = await getJson(`${platform.registryUrl}/v2/a2a-world/api/tags/list`);
    expect(status).toBe(200);
    expect(body).toEqual({ name: 'a2a-world/api', tags: expect.arrayContaining(['v1', 'v2', 'v3']) });
  });

  it('runs each host\'s api from an image pulled from the registry (same digest the registry serves)', async () => {
    const res = await fetch(`${platform.registryUrl}/v2/a2a-world/api/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      signal: AbortSignal.timeout(5_000),
    });
    expect(res.status).toBe(200);
    const registryDigest = res.headers.get('docker-content-digest');
    expect(registryDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const repoDigests = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', `${platform.registry}/a2a-world/api:v1`])) as string[];
    expect(repoDigests).toContain(`${platform.registry}/a2a-world/api@${registryDigest}`);
  });

  describe.each(['docker-compose', 'docker compose'])('over each host\'s sshd as the deploy user, `%s ps`', (compose) => {
    it.each(readLabPlatform().hosts.map((h) => [h.name, h] as const))('on %s lists api x2, frontend, agent-pattern-discovery and postgres up', async (_name, host: LabPlatformHost) => {
      const ssh = readSshHosts().find((h) => h.name === host.name);
      expect(ssh).toBeDefined();
      const result = await sshExec(ssh!, `cd '${host.composeDir}' && ${compose} -f docker-compose.production.yml ps`);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Services of the containers that are up, from compose v1's `<project>_<service>_<n>` names
      // (the numbers change with every rolling deploy, the services do not).
      const servicesUp = result.stdout
        .split('\n')
        .filter((line) => / Up( |$)/.test(line))
        .map((line) => new RegExp(`^${host.projectName}_(.+)_\\d+\\s`).exec(line)?.[1] ?? `unparsed: ${line}`)
        .sort();
      expect(servicesUp).toEqual(['agent-pattern-discovery', 'api', 'api', 'frontend', 'postgres']);
    });
  });

  it.each(readLabPlatform().hosts.map((h) => [h.name, h] as const))(
    'reports every api, frontend and postgres container of %s healthy under Docker',
    async (_name, host: LabPlatformHost) => {
      const containers = await listProjectContainers(host.projectName);
      const summary = containers
        .filter((c) => c.service !== 'agent-pattern-discovery')
        .map((c) => `${c.service} ${c.status} ${c.health}`)
        .sort();
      expect(summary).toEqual(['api running healthy', 'api running healthy', 'frontend running healthy', 'postgres running healthy']);
    },
  );

  describe('each api tag under Docker\'s health check', () => {
    it.each([
      ['v1', 'healthy'],
      ['v2', 'healthy'],
      ['v3', 'unhealthy'],
    ])('%s pulled from the registry becomes %s', async (tag, want) => {
      const image = `${platform.registry}/a2a-world/api:${tag}`;
      const name = `lab-platform-test-${tag}-${randomBytes(3).toString('hex')}`;
      await docker(['pull', '-q', image]);
      await docker(['run', '-d', '--name', name, image]);
      try {
        expect(await waitForContainerHealth(name, want, 20_000)).toBe(want);
        const logs = JSON.parse(await docker(['inspect', '--format', '{{json .State.Health.Log}}', name])) as Array<{ ExitCode: number; Output: string }>;
        const last = logs[logs.length - 1]!;
        if (want === 'healthy') {
          const health = JSON.parse(await docker(['exec', name, 'wget', '-q', '-O', '-', 'http://127.0.0.1/health'])) as { version: string };
          expect(health.version).toBe(tag);
          expect(last.ExitCode).toBe(0);
        } else {
          expect(last.ExitCode).not.toBe(0);
          expect(last.Output).toContain('500');
        }
      } finally {
        await docker(['rm', '-f', name]);
      }
    });
  });

  describe('the agent-pattern-discovery image', () => {
    it('is healthy while it sees NATS\'s INFO greeting from the nats part\'s server', async () => {
      const nats = readLabPart<{ host: string; port: number }>('nats');
      const name = `lab-platform-test-agent-${randomBytes(3).toString('hex')}`;
      await docker(['run', '-d', '--name', name, '--network', 'host', '-e', `NATS_HOST=${nats.host}`, '-e', `NATS_PORT=${nats.port}`, `${platform.registry}/a2a-world/agent-pattern-discovery:v1`]);
      try {
        expect(await waitForContainerHealth(name, 'healthy', 20_000)).toBe('healthy');
        expect(await docker(['logs', name])).toContain(`connected to NATS at ${nats.host}:${nats.port}: INFO`);
      } finally {
        await docker(['rm', '-f', name]);
      }
    });

    it('turns unhealthy when nothing answers at its NATS address', async () => {
      const name = `lab-platform-test-agent-${randomBytes(3).toString('hex')}`;
      // Port 9 (discard) on loopback: nothing listens there in the lab, so every connect is refused.
      await docker(['run', '-d', '--name', name, '--network', 'host', '-e', 'NATS_HOST=127.0.0.1', '-e', 'NATS_PORT=9', `${platform.registry}/a2a-world/agent-pattern-discovery:v1`]);
      try {
        expect(await waitForContainerHealth(name, 'unhealthy', 20_000)).toBe('unhealthy');
        expect(await docker(['logs', name])).toContain('cannot reach NATS at 127.0.0.1:9');
      } finally {
        await docker(['rm', '-f', name]);
      }
    });
  });

  it('lets a scaled-up api replica join and a removed one leave the load balancer with no failed request', async () => {
    const host = platform.hosts[0]!;
    const compose = 'docker-compose -f docker-compose.production.yml';
    const before = (await listProjectContainers(host.projectName)).filter((c) => c.service === 'api').map((c) => c.id);
    expect(before).toHaveLength(2);
    const stop = new AbortController();
    const probe = probeLoadBalancer({ url: `${platform.lbUrl}/health`, clients: 8, durationMs: 60_000, signal: stop.signal });
    try {
      const scaled = await runOnLabHost(host, `${compose} up -d --no-deps --no-recreate --scale api=3 api`);
      expect(scaled.code).toBe(0);
      const added = (await listProjectContainers(host.projectName)).find((c) => c.service === 'api' && !before.includes(c.id));
      expect(added).toBeDefined();
      expect(await waitForContainerHealth(added!.name, 'healthy', 20_000)).toBe('healthy');
    } finally {
      // Back to the lab's declared state (2 replicas) whatever happened above; compose removes the newest.
      const restored = await runOnLabHost(host, `${compose} up -d --no-deps --no-recreate --scale api=2 api`);
      // Keep probing a moment after the removal, so requests aimed at the removed replica are counted.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      stop.abort();
      expect(restored.code).toBe(0);
    }
    const result = await probe;
    console.log(`scale 2->3->2 on ${host.name}: ${result.total} requests in ${result.durationMs} ms, ${result.non2xx} non-2xx, ${result.errors} errors`);
    expect(result.failureSamples).toEqual([]);
    expect(result.ok).toBe(result.total);
    // The third replica answered while it was up: 3 distinct containers of this host served requests.
    const replicas = Object.keys(result.replicas).filter((key) => key.startsWith(`${host.name}/`));
    expect(replicas.length).toBe(3);
    const after = (await listProjectContainers(host.projectName)).filter((c) => c.service === 'api').map((c) => c.id).sort();
    expect(after).toEqual([...before].sort());
  });
});

/** The compose-mode database as `$A2A_LAB_DIR/docker.json` records it (written by lab/parts/docker.sh). */
interface LabComposePostgres {
  /** Compose service name, as in the runbook's `docker-compose exec -T postgres ...`. */
  service: string;
  image: string;
  database: string;
  /** Superuser; trusted on the container's local socket, password (scram-sha-256) over the network. */
  user: string;
  password: string;
  port: number;
  /** Compose volume name (the Docker volume is `<project>_<volume>`). */
  volume: string;
  /** A table the image seeds on first start, so dumps and restores have rows to carry. */
  seededTable: string;
}

describe('the compose-mode postgres service on each lab host (the runbook\'s backups)', () => {
  const platform = readLabPlatform();
  const { postgres } = readLabPart<{ postgres: LabComposePostgres }>('docker');
  const hosts = platform.hosts.map((h) => [h.name, h] as const);
  const compose = 'docker-compose -f docker-compose.production.yml';
  /** `docker-compose ... exec -T postgres <args>` run from the host's compose directory. */
  const execPg = (host: LabPlatformHost, args: string): string =>
    `cd ${shellQuote(host.composeDir)} && ${compose} exec -T ${postgres.service} ${args}`;
  const sshOf = (host: LabPlatformHost): LabSshHost => {
    const ssh = readSshHosts().find((h) => h.name === host.name);
    if (ssh === undefined) throw new Error(`hosts.json has no SSH entry for ${host.name}`);
    return ssh;
  };
  /** One value from `psql -Atc` over sshd; fails the test with psql's stderr when psql fails. */
  const psqlValue = async (host: LabPlatformHost, database: string, sql: string): Promise<string> => {
    const result = await sshExec(sshOf(host), execPg(host, `psql -U ${postgres.user} -d ${database} -v ON_ERROR_STOP=1 -Atc ${shellQuote(sql)}`));
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return result.stdout.trim();
  };
  /** The runbook's backup, streamed back to the test: `exec -T postgres pg_dump -U a2a_user a2a_world | gzip`. */
  const dumpGzip = (host: LabPlatformHost): Promise<SshRunResult> =>
    sshRun(sshOf(host), execPg(host, `pg_dump -U ${postgres.user} ${postgres.database} | gzip`), { timeoutMs: 60_000 });
  const table = (): string => `public.${postgres.seededTable}`;
  // Row count and a digest of every row, in id order: equal digests mean the same data, not just as many rows.
  const contentSql = (): string => `SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM ${table()} t`;

  it('is recorded in docker.json with its service, database, user, password and image', () => {
    expect(postgres).toMatchObject({
      service: 'postgres',
      database: 'a2a_world',
      user: 'a2a_user',
      image: `${platform.registry}/a2a-world/postgres:15`,
      seededTable: 'patterns',
    });
    expect(postgres.password).toMatch(/^[0-9a-f]{32}$/);
    expect(platform.images.postgres).toEqual({ repository: `${platform.registry}/a2a-world/postgres`, tags: ['15'] });
  });

  it.each(hosts)('on %s answers `exec -T postgres pg_isready -U a2a_user` over sshd with "accepting connections"', async (_name, host) => {
    const result = await sshExec(sshOf(host), execPg(host, `pg_isready -U ${postgres.user}`));
    expect({ code: result.code, stdout: result.stdout.trim(), stderr: result.stderr }).toEqual({
      code: 0,
      stdout: '/var/run/postgresql:5432 - accepting connections',
      stderr: '',
    });
  });

  it.each(hosts)('on %s keeps its data in the project\'s named volume', async (_name, host) => {
    const [container] = (await listProjectContainers(host.projectName)).filter((c) => c.service === postgres.service);
    expect(container).toBeDefined();
    const mounts = JSON.parse(await docker(['inspect', '--format', '{{json .Mounts}}', container!.id])) as Array<{ Type: string; Name?: string; Destination: string }>;
    expect(mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: `${host.projectName}_${postgres.volume}`, Destination: '/var/lib/postgresql/data' })]);
  });

  it.each(hosts)('on %s checks the password over the container network and refuses a wrong one', async (_name, host) => {
    // The password travels on stdin, never in a command line a process listing would show.
    const overNetwork = (password: string): Promise<SshRunResult> =>
      sshRun(sshOf(host), execPg(host, `sh -c ${shellQuote(
        `read -r PGPASSWORD && export PGPASSWORD && exec psql -h ${postgres.service} -p ${postgres.port} -U ${postgres.user} -d ${postgres.database} -Atc 'SELECT inet_server_addr() IS NOT NULL, count(*) > 0 FROM ${table()}'`,
      )}`), { stdin: `${password}\n` });
    const right = await overNetwork(postgres.password);
    expect({ code: right.code, stdout: right.stdout.toString('utf8').trim(), stderr: right.stderr }).toEqual({ code: 0, stdout: 't|t', stderr: '' });
    const wrong = await overNetwork(`not-${postgres.password}`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`password authentication failed for user "${postgres.user}"`);
  });

  it.each(hosts)('on %s: `exec -T postgres pg_dump -U a2a_user a2a_world | gzip` writes a complete gzip holding the seeded table and every row', async (_name, host) => {
    const [liveCount] = (await psqlValue(host, postgres.database, contentSql())).split(' ');
    expect(Number(liveCount)).toBeGreaterThan(0);
    const dump = await dumpGzip(host);
    expect({ code: dump.code, stderr: dump.stderr }).toEqual({ code: 0, stderr: '' });
    expect([...dump.stdout.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const sql = gunzipSync(dump.stdout).toString('utf8');
    expect(sql).toContain(`CREATE TABLE ${table()} (`);
    expect(sql).toContain('-- PostgreSQL database dump complete');
    // The COPY block's data lines: one per row, between `COPY public.patterns (...) FROM stdin;` and `\.`.
    const lines = sql.split('\n');
    const copyAt = lines.findIndex((line) => line.startsWith(`COPY ${table()} (`));
    expect(copyAt).toBeGreaterThan(-1);
    const endAt = lines.indexOf('\\.', copyAt);
    expect(endAt - copyAt - 1).toBe(Number(liveCount));
  });

  it.each(hosts)('on %s: that dump piped into `exec -T postgres psql -v ON_ERROR_STOP=1` restores into a fresh database with the same rows', async (_name, host) => {
    const live = await psqlValue(host, postgres.database, contentSql());
    const dump = await dumpGzip(host);
    expect(dump.code).toBe(0);
    const drill = `restore_drill_${randomBytes(4).toString('hex')}`;
    await psqlValue(host, 'postgres', `CREATE DATABASE ${drill}`);
    try {
      const started = Date.now();
      // The runbook's `docker-compose exec -T postgres psql -U a2a_user -d a2a_world < backup.sql`, into the drill database.
      const restore = await sshRun(sshOf(host), execPg(host, `psql -U ${postgres.user} -d ${drill} -v ON_ERROR_STOP=1 -q`), {
        stdin: gunzipSync(dump.stdout),
        timeoutMs: 60_000,
      });
      console.log(`restore drill on ${host.name}: ${dump.stdout.length} gzip bytes restored in ${Date.now() - started} ms`);
      expect({ code: restore.code, stderr: restore.stderr }).toEqual({ code: 0, stderr: '' });
      expect(await psqlValue(host, drill, contentSql())).toBe(live);
    } finally {
      await psqlValue(host, 'postgres', `DROP DATABASE IF EXISTS ${drill} WITH (FORCE)`);
    }
  });

  it('stops a restore at the first error under ON_ERROR_STOP (a second restore into the same database) and changes nothing', async () => {
    const host = platform.hosts[0]!;
    const dump = await dumpGzip(host);
    expect(dump.code).toBe(0);
    const sql = gunzipSync(dump.stdout);
    const drill = `restore_drill_${randomBytes(4).toString('hex')}`;
    await psqlValue(host, 'postgres', `CREATE DATABASE ${drill}`);
    try {
      const restoreInto = (): Promise<SshRunResult> =>
        sshRun(sshOf(host), execPg(host, `psql -U ${postgres.user} -d ${drill} -v ON_ERROR_STOP=1 -q`), { stdin: sql, timeoutMs: 60_000 });
      expect((await restoreInto()).code).toBe(0);
      const first = await psqlValue(host, drill, contentSql());
      const again = await restoreInto();
      // psql exits 3 for a script stopped by ON_ERROR_STOP; compose and sshd pass the code through.
      expect(again.code).toBe(3);
      expect(again.stderr).toContain(`relation "${postgres.seededTable}" already exists`);
      expect(await psqlValue(host, drill, contentSql())).toBe(first);
    } finally {
      await psqlValue(host, 'postgres', `DROP DATABASE IF EXISTS ${drill} WITH (FORCE)`);
    }
  });
});
