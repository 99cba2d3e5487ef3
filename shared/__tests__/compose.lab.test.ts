// The compose module against the lab's real hosts (sshd in network namespaces, one dockerd, compose v1
// 1.29.2 plus the `docker compose` plugin shim): which CLI each host has, an explicit config winning,
// a host whose docker has no compose plugin, the api's containers by label, and exec -T into postgres.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  HostKeyPolicy,
  SshSession,
  composeCommand,
  composeExec,
  detectComposeCli,
  findServiceAddress,
  listServiceContainers,
  resolveComposeProject,
  type ComposeProject,
  type ComposeSession,
  type ExecResult,
  type OpsConfig,
  type SshConnectParams
} from '../src/index.js';
import { readHostsLab, type HostsLab } from '../../test-support/lab-faults.js';
import { docker, readLabPlatform, type LabPlatform, type LabPlatformHost } from '../../test-support/lab-platform.js';

let lab: HostsLab;
let platform: LabPlatform;
let params: SshConnectParams;
const sessions = new Map<string, SshSession>();

beforeAll(async () => {
  lab = readHostsLab();
  platform = readLabPlatform();
  params = {
    auth: { privateKey: readFileSync(lab.privateKeyPath, 'utf8') },
    hostKeys: HostKeyPolicy.fromInputs({ fingerprint: lab.hosts.map((h) => h.fingerprint).join('\n') }),
    options: { connectTimeoutMs: 5000, commandTimeoutMs: 60_000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 1, connectRetryDelayMs: 200, parallel: 2 }
  };
  for (const h of lab.hosts) sessions.set(h.name, await SshSession.connect({ name: h.name, address: h.address, port: h.port, user: lab.user }, params));
});

afterAll(async () => {
  await Promise.all([...sessions.values()].map((s) => s.close()));
});

const session = (name: string): SshSession => {
  const s = sessions.get(name);
  if (!s) throw new Error(`no session to lab host ${name}`);
  return s;
};

const composeHost = (name: string): LabPlatformHost => {
  const h = platform.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`docker.json has no compose project for lab host ${name}: is the docker part up?`);
  return h;
};

/** The config's compose section as a user would write it for the lab host. */
const composeConfig = (h: LabPlatformHost, command: OpsConfig['compose']['command'] = 'auto'): OpsConfig['compose'] => ({
  projectDir: h.composeDir,
  file: h.composeFile.slice(h.composeDir.length + 1),
  envFile: h.envFile.slice(h.composeDir.length + 1),
  projectName: h.projectName,
  command
});

const psqlSelect1 = (): string[] => ['psql', '-U', platform.postgres.user, '-d', platform.postgres.database, '-tAc', 'select 1'];

describe('compose CLI detection on the lab hosts', () => {
  it('finds the v2 plugin (the lab shim in front of compose 1.29.2) on every host, with one probe per session', async () => {
    for (const h of lab.hosts) {
      const real = session(h.name);
      let commands = 0;
      const counted: ComposeSession = { target: real.target, exec: (command, opts) => (commands++, real.exec(command, opts)) };
      const info = await detectComposeCli(counted);
      expect([h.name, info]).toEqual([h.name, { cli: 'docker compose', version: '1.29.2', detected: true }]);
      expect(await detectComposeCli(counted)).toBe(info);
      expect([h.name, commands]).toEqual([h.name, 1]);
    }
  });

  it('uses docker-compose when the config says so, and both CLIs really work there', async () => {
    const h = composeHost(lab.hosts[0].name);
    for (const command of ['docker-compose', 'auto'] as const) {
      const project = await resolveComposeProject(session(h.name), composeConfig(h, command));
      expect([command, project.cli]).toEqual([command, command === 'auto' ? 'docker compose' : 'docker-compose']);
      const r = await session(h.name).exec(composeCommand(project, ['config', '--services']), { timeoutMs: 60_000 });
      expect([command, r.code, r.stdout.split('\n').sort().filter(Boolean)]).toEqual([command, 0, ['agent-pattern-discovery', 'api', 'frontend', 'postgres']]);
    }
  });

  describe('on a host whose docker CLI has no compose plugin', () => {
    let dir: string;
    let v1Only: ComposeSession;
    beforeAll(async () => {
      // A `docker` first on the PATH that refuses the plugin verb as a docker without it does, and
      // passes everything else to the real CLI: the host then has only compose v1.
      const wrapper = `#!/bin/sh\nif [ "$1" = compose ]; then echo "docker: 'compose' is not a docker command." >&2; exit 1; fi\nexec /usr/bin/docker "$@"\n`;
      const made = await session(lab.hosts[1].name).execChecked('d=$(mktemp -d /tmp/a2a-compose-v1only.XXXXXX) && cat > "$d/docker" && chmod 755 "$d/docker" && echo "$d"', { stdin: wrapper });
      dir = made.stdout.trim();
      const real = session(lab.hosts[1].name);
      v1Only = {
        target: real.target,
        exec: (command, opts): Promise<ExecResult> => real.exec(`PATH='${dir}':$PATH; export PATH\n${command}`, opts)
      };
    });
    afterAll(async () => {
      if (dir) await session(lab.hosts[1].name).execChecked(`rm -rf -- '${dir}'`);
    });

    it('detects docker-compose, and exec -T postgres works with it', async () => {
      expect(await detectComposeCli(v1Only)).toEqual({ cli: 'docker-compose', version: '1.29.2', detected: true });
      const h = composeHost(lab.hosts[1].name);
      const project = await resolveComposeProject(v1Only, composeConfig(h));
      expect(project.cli).toBe('docker-compose');
      const r = await composeExec(v1Only, project, platform.postgres.service, psqlSelect1(), { timeoutMs: 60_000 });
      expect([r.code, r.stdout.trim()]).toEqual([0, '1']);
    });
  });
});

describe('service containers by label on a lab host', () => {
  it("finds the api's containers with their health, compose network address and published port", async () => {
    const h = composeHost(lab.hosts[0].name);
    const api = await listServiceContainers(session(h.name), { project: h.projectName, service: 'api' });
    // What the local docker CLI sees (one dockerd serves both lab hosts).
    const ids = (await docker(['ps', '-a', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${h.projectName}`, '--filter', 'label=com.docker.compose.service=api']))
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(api.map((c) => c.id).sort()).toEqual(ids);
    expect(api.length).toBeGreaterThanOrEqual(1);
    const [from, to] = platform.apiPortRanges[h.name];
    for (const c of api.filter((x) => x.running)) {
      expect(c).toMatchObject({ project: h.projectName, service: 'api', composeVersion: '1.29.2', oneOff: false });
      expect(['healthy', 'starting', 'unhealthy']).toContain(c.health);
      expect(c.networks.find((n) => n.name === `${h.projectName}_default`)?.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const published = c.ports.find((p) => p.containerPort === 80 && p.hostPort !== undefined);
      expect(published?.hostIp).toBe('127.0.0.1');
      expect(published?.hostPort).toBeGreaterThanOrEqual(from);
      expect(published?.hostPort).toBeLessThanOrEqual(to);
      expect(Date.parse(c.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(c.createdAt));
    }
    expect(api.some((c) => c.running && c.health === 'healthy')).toBe(true);
  });

  it("finds the postgres service's address as docker itself reports it", async () => {
    const h = composeHost(lab.hosts[0].name);
    const found = await findServiceAddress(session(h.name), h.projectName, platform.postgres.service);
    const ip = (await docker(['inspect', '--format', `{{(index .NetworkSettings.Networks "${h.projectName}_default").IPAddress}}`, found.container])).trim();
    expect(found).toEqual({ address: ip, container: `${h.projectName}_postgres_1`, network: `${h.projectName}_default` });
  });
});

describe('compose exec -T on a lab host', () => {
  it("runs psql -c 'select 1' in the postgres service with the detected CLI", async () => {
    const h = composeHost(lab.hosts[0].name);
    const project = await resolveComposeProject(session(h.name), composeConfig(h));
    const r = await composeExec(session(h.name), project, platform.postgres.service, psqlSelect1(), { timeoutMs: 60_000 });
    expect([r.code, r.stdout.trim(), r.stderr.trim()]).toEqual([0, '1', '']);
  });

  it('passes quotes and environment values through untouched', async () => {
    const h = composeHost(lab.hosts[0].name);
    const project = await resolveComposeProject(session(h.name), composeConfig(h, 'docker-compose'));
    const sql = "select 'it''s $HOME `id`' || current_setting('application_name')";
    const r = await composeExec(session(h.name), project, platform.postgres.service, ['psql', '-U', platform.postgres.user, '-d', platform.postgres.database, '-tAc', sql], {
      env: { PGAPPNAME: 'a2a ops; $(id)' },
      timeoutMs: 60_000
    });
    expect([r.code, r.stdout.trim()]).toEqual([0, "it's $HOME `id`a2a ops; $(id)"]);
  });

  it('fails without running anything when the project directory is missing', async () => {
    const h = composeHost(lab.hosts[0].name);
    const project: ComposeProject = { ...(await resolveComposeProject(session(h.name), composeConfig(h))), dir: `${h.composeDir}-missing` };
    const r = await composeExec(session(h.name), project, platform.postgres.service, psqlSelect1(), { timeoutMs: 30_000 });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/can't cd|No such file/);
  });
});
