// The compose module's pure parts: project names, command lines (run through a real /bin/sh with a
// stand-in compose that prints what it received), the version probe's output, exec arguments, and
// `docker inspect` output captured from the lab's compose v1 hosts.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ComposeError,
  ConfigurationError,
  composeCommand,
  composeExecArgs,
  composeProjectFromConfig,
  composeProjectName,
  containerAddress,
  containerLogsCommand,
  defaultConfig,
  listContainersCommand,
  parseComposeProbe,
  parseDockerInspect,
  pickServiceAddress,
  splitContainerLogs,
  type ComposeProject,
  type ServiceContainer
} from '../src/index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('composeProjectName', () => {
  it.each([
    ['the runbook directory', '/opt/a2a-world', undefined, 'a2a-world'],
    ['a trailing slash', '/opt/a2a-world/', undefined, 'a2a-world'],
    ['upper case and dots removed as compose does', '/srv/My.App_2', undefined, 'myapp_2'],
    ['spaces removed', '/srv/a2a world', undefined, 'a2aworld'],
    ['an explicit name over the directory', '/opt/a2a-world', 'a2a-prod', 'a2a-prod']
  ])('derives %s', (_name, dir, explicit, want) => {
    expect(composeProjectName(dir, explicit)).toBe(want);
  });

  it.each([
    ['an explicit name with a shell metacharacter', '/opt/x', 'prod;rm'],
    ['an explicit upper-case name', '/opt/x', 'Prod'],
    ['a directory that leaves nothing', '/srv/...', undefined],
    ['a directory that leaves a leading dash', '/srv/-x', undefined]
  ])('refuses %s with a ConfigurationError', (_name, dir, explicit) => {
    expect(() => composeProjectName(dir, explicit)).toThrow(ConfigurationError);
  });

  it("takes the config's project: directory, file and env file, with the CLI given", () => {
    const compose = { ...defaultConfig().compose, projectDir: '/srv/A2A-World' };
    expect(composeProjectFromConfig(compose, 'docker-compose')).toEqual({
      cli: 'docker-compose',
      dir: '/srv/A2A-World',
      name: 'a2a-world',
      file: 'docker-compose.production.yml',
      envFile: '.env.production'
    });
  });
});

describe('composeCommand', () => {
  const v2: ComposeProject = { cli: 'docker compose', dir: '/opt/a2a-world', name: 'a2a-world', file: 'docker-compose.production.yml', envFile: '.env.production' };

  it.each([
    ['v2 with file and env file', v2, ['ps'], 'cd -- /opt/a2a-world && docker compose -p a2a-world -f docker-compose.production.yml --env-file .env.production ps'],
    ['v1', { ...v2, cli: 'docker-compose' as const }, ['up', '-d', 'api'], 'cd -- /opt/a2a-world && docker-compose -p a2a-world -f docker-compose.production.yml --env-file .env.production up -d api'],
    ['neither file nor env file', { cli: 'docker-compose' as const, dir: '/srv/x', name: 'x' }, ['config', '-q'], 'cd -- /srv/x && docker-compose -p x config -q'],
    ['an argument that needs quoting', { ...v2, file: undefined, envFile: undefined }, ['exec', '-T', 'postgres', 'psql', '-c', "select 'a b'"], `cd -- /opt/a2a-world && docker compose -p a2a-world exec -T postgres psql -c 'select '\\''a b'\\'''`]
  ])('builds %s', (_name, project, args, want) => {
    expect(composeCommand(project, args)).toBe(want);
  });

  it.each([
    ['a directory with a space', { ...v2, dir: '/opt/a2a world' }],
    ['a directory with ..', { ...v2, dir: '/opt/../etc' }],
    ['a file with a metacharacter', { ...v2, file: 'x.yml;id' }],
    ['an env file starting with -', { ...v2, envFile: '-x' }],
    ['a bad project name', { ...v2, name: 'A B' }]
  ])('refuses %s before building anything', (_name, project) => {
    expect(() => composeCommand(project, ['ps'])).toThrow(ConfigurationError);
  });

  describe('run through a real shell', () => {
    let dir: string;
    let bin: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'a2a-compose-cmd-'));
      bin = join(dir, 'bin');
      mkdirSync(bin);
      mkdirSync(join(dir, 'project'));
      // Stand-ins for both CLIs: print the working directory and every argument between brackets.
      const echoArgs = `#!/bin/sh\npwd\nfor a in "$@"; do printf '[%s]\\n' "$a"; done\n`;
      for (const name of ['docker', 'docker-compose']) {
        writeFileSync(join(bin, name), echoArgs);
        chmodSync(join(bin, name), 0o755);
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const sh = (command: string): { code: number | null; stdout: string; stderr: string } => {
      const r = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };

    it('runs in the project directory and hands every argument over byte for byte', () => {
      const nasty = ["it's", 'a b', '$(id)', '`id`', '"q"', '\\', '*', '-x', ''];
      const project: ComposeProject = { cli: 'docker compose', dir: join(dir, 'project'), name: 'p', file: 'c.yml', envFile: '.env' };
      const r = sh(composeCommand(project, ['exec', '-T', 'api', ...nasty]));
      expect(r.code).toBe(0);
      const [cwd, ...args] = r.stdout.trimEnd().split('\n');
      expect(cwd).toBe(join(dir, 'project'));
      expect(args).toEqual(['compose', '-p', 'p', '-f', 'c.yml', '--env-file', '.env', 'exec', '-T', 'api', ...nasty].map((a) => `[${a}]`));
    });

    it('fails without running compose when the project directory is missing', () => {
      const r = sh(composeCommand({ cli: 'docker-compose', dir: join(dir, 'gone'), name: 'p' }, ['down']));
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/can't cd|No such file/);
    });
  });
});

describe('parseComposeProbe', () => {
  it.each([
    ['the v2 plugin', 'docker compose\nDocker Compose version v2.29.1\n', { cli: 'docker compose', version: '2.29.1' }],
    ['the lab shim of v1 behind the plugin name', 'docker compose\ndocker-compose version 1.29.2, build unknown\ndocker-py version: 5.0.3\n', { cli: 'docker compose', version: '1.29.2' }],
    ['v1', 'docker-compose\ndocker-compose version 1.29.2, build unknown\n', { cli: 'docker-compose', version: '1.29.2' }],
    ['a v2 standalone binary reached as docker-compose', 'docker-compose\nDocker Compose version 2.24.6-desktop.1\n', { cli: 'docker-compose', version: '2.24.6-desktop.1' }]
  ])('reads %s', (_name, stdout, want) => {
    expect(parseComposeProbe(stdout)).toEqual({ ...want, detected: true });
  });

  it('does not mistake other output for the probe', () => {
    expect(parseComposeProbe('Welcome to the jump host\n')).toBeUndefined();
  });
});

describe('composeExecArgs', () => {
  it('puts options before the service and the command after it, unquoted (the builder quotes)', () => {
    expect(composeExecArgs('postgres', ['psql', '-U', 'a2a_user', '-c', 'select 1'], { user: 'postgres', env: { PGCONNECT_TIMEOUT: '5' }, workdir: '/tmp', index: 2 })).toEqual([
      'exec', '-T', '-u', 'postgres', '-w', '/tmp', '--index', '2', '-e', 'PGCONNECT_TIMEOUT=5', 'postgres', 'psql', '-U', 'a2a_user', '-c', 'select 1'
    ]);
  });

  it.each([
    ['a service with a metacharacter', 'api;id', ['true'], {}],
    ['a service starting with -', '-T', ['true'], {}],
    ['no command', 'api', [], {}],
    ['a NUL in an argument', 'api', ['echo', 'a\0b'], {}],
    ['a bad env name', 'api', ['true'], { env: { 'A-B': '1' } }],
    ['a line break in an env value', 'api', ['true'], { env: { A: '1\n2' } }],
    ['a user with a space', 'api', ['true'], { user: 'root x' }],
    ['a relative workdir', 'api', ['true'], { workdir: 'tmp' }],
    ['replica 0', 'api', ['true'], { index: 0 }]
  ])('refuses %s with a ConfigurationError', (_name, service, argv, opts) => {
    expect(() => composeExecArgs(service, argv, opts)).toThrow(ConfigurationError);
  });
});

describe('listContainersCommand', () => {
  it('filters by the compose labels and prints full ids', () => {
    expect(listContainersCommand({ project: 'a2a-app1', service: 'postgres' })).toBe(
      "docker ps -a --no-trunc --filter label=com.docker.compose.project=a2a-app1 --filter label=com.docker.compose.service=postgres --format '{{.ID}}'"
    );
  });

  it('refuses a project or service name that is not one, before anything runs', () => {
    expect(() => listContainersCommand({ project: 'a2a;id' })).toThrow(ConfigurationError);
    expect(() => listContainersCommand({ project: 'p', service: 'a b' })).toThrow(ConfigurationError);
  });
});

describe('parseDockerInspect on output captured from the lab (compose 1.29.2, Docker 28)', () => {
  const lab = parseDockerInspect(fixture('docker-inspect-lab-app1.json'));
  const broken = parseDockerInspect(fixture('docker-inspect-broken.json'));
  const byName = (list: ServiceContainer[], name: string): ServiceContainer => {
    const c = list.find((x) => x.name === name);
    if (!c) throw new Error(`no ${name} in the fixture`);
    return c;
  };

  it('reads the service containers: labels, health, image, times, restarts, networks and published ports', () => {
    expect(lab.map((c) => [c.name, c.project, c.service, c.containerNumber, c.state, c.health])).toEqual([
      ['a2a-app1_api_1', 'a2a-app1', 'api', 1, 'running', 'healthy'],
      ['a2a-app1_api_2', 'a2a-app1', 'api', 2, 'running', 'healthy'],
      ['a2a-app1_postgres_1', 'a2a-app1', 'postgres', 1, 'running', 'healthy']
    ]);
    const api = byName(lab, 'a2a-app1_api_1');
    expect(api).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      image: '127.0.0.1:5000/a2a-world/api:v1',
      imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      running: true,
      oneOff: false,
      restartCount: 0,
      exitCode: 0,
      composeVersion: '1.29.2',
      networkMode: 'a2a-app1_default',
      createdAt: '2026-12-01T12:00:48.844763165Z',
      startedAt: '2026-12-01T12:00:50.310864683Z',
      finishedAt: null
    });
    expect(api.networks).toEqual([{ name: 'a2a-app1_default', ipAddress: '172.18.0.5', aliases: ['af668cfe88e7', 'api'] }]);
    expect(api.ports).toEqual([{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18101 }]);
    expect(byName(lab, 'a2a-app1_postgres_1').ports).toEqual([{ containerPort: 5432, protocol: 'tcp' }]);
  });

  it('reads broken containers: unhealthy, crash-looping with its restarts and exit code, and a one-off run', () => {
    expect(byName(broken, 'a2a-fixture_api_1')).toMatchObject({ state: 'running', health: 'unhealthy', healthFailingStreak: expect.any(Number) });
    expect(byName(broken, 'a2a-fixture_api_1').healthFailingStreak).toBeGreaterThan(0);
    const worker = byName(broken, 'a2a-fixture_worker_1');
    expect(worker).toMatchObject({ state: 'restarting', exitCode: 3, restartCount: 7, service: 'worker' });
    expect(worker.finishedAt).toMatch(/^2026-12-01T/);
    expect(byName(broken, 'a2a-fixture_api_run_1')).toMatchObject({ oneOff: true, state: 'exited', running: false, containerNumber: null });
  });

  it('accepts one JSON object per line too, as `--format {{json .}}` prints', () => {
    const lines = (JSON.parse(fixture('docker-inspect-lab-app1.json')) as unknown[]).map((c) => JSON.stringify(c)).join('\n');
    expect(parseDockerInspect(lines).map((c) => c.name)).toEqual(lab.map((c) => c.name));
  });

  it('throws on output that is not JSON', () => {
    expect(() => parseDockerInspect('Error: No such object: abc')).toThrow(SyntaxError);
  });

  it("finds the postgres service's address on the project network", () => {
    expect(pickServiceAddress(lab, 'a2a-app1', 'postgres', 'app1')).toEqual({ address: '172.18.0.4', container: 'a2a-app1_postgres_1', network: 'a2a-app1_default' });
    expect(containerAddress(byName(broken, 'a2a-fixture_api_1'))).toEqual({ address: '172.17.0.2', network: 'bridge' });
    expect(containerAddress(byName(broken, 'a2a-fixture_worker_1'))).toBeUndefined();
  });
});

describe('pickServiceAddress', () => {
  const container = (over: { name?: string; project?: string; service?: string; oneoff?: string; status?: string; networks?: Record<string, string>; mode?: string; ip?: string }): ServiceContainer =>
    parseDockerInspect(
      JSON.stringify([
        {
          Id: 'f'.repeat(64),
          Name: `/${over.name ?? 'c'}`,
          State: { Status: over.status ?? 'running', Running: (over.status ?? 'running') === 'running' },
          Config: {
            Labels: {
              'com.docker.compose.project': over.project ?? 'a2a-app1',
              'com.docker.compose.service': over.service ?? 'postgres',
              'com.docker.compose.oneoff': over.oneoff ?? 'False'
            }
          },
          HostConfig: { NetworkMode: over.mode ?? 'a2a-app1_default' },
          NetworkSettings: { IPAddress: over.ip ?? '', Networks: Object.fromEntries(Object.entries(over.networks ?? {}).map(([n, ip]) => [n, { IPAddress: ip }])) }
        }
      ])
    )[0];

  it.each([
    ['compose v1 (a2a-app1_postgres_1 on a2a-app1_default)', [container({ name: 'a2a-app1_postgres_1', networks: { 'a2a-app1_default': '172.18.0.4' } })], '172.18.0.4 a2a-app1_default'],
    ['compose v2 (a2a-app1-postgres-1)', [container({ name: 'a2a-app1-postgres-1', networks: { 'a2a-app1_default': '172.19.0.2' } })], '172.19.0.2 a2a-app1_default'],
    ['the compose network over an external one', [container({ networks: { aaa_shared: '10.9.0.2', 'a2a-app1_default': '172.18.0.9' } })], '172.18.0.9 a2a-app1_default'],
    ['another network of the project over an external one', [container({ networks: { aaa_shared: '10.9.0.2', 'a2a-app1_backend': '172.20.0.3' } })], '172.20.0.3 a2a-app1_backend'],
    ['the host network', [container({ mode: 'host', networks: { host: '' } })], '127.0.0.1 host'],
    ['an old daemon with only the top-level address', [container({ ip: '172.17.0.3' })], '172.17.0.3 bridge'],
    ['the service among one-off and other-service containers', [container({ name: 'run', oneoff: 'True', networks: { 'a2a-app1_default': '172.18.0.7' } }), container({ service: 'api', networks: { 'a2a-app1_default': '172.18.0.5' } }), container({ networks: { 'a2a-app1_default': '172.18.0.6' } })], '172.18.0.6 a2a-app1_default']
  ])('finds %s', (_name, containers, expected) => {
    const found = pickServiceAddress(containers, 'a2a-app1', 'postgres', 'app1');
    expect(`${found.address} ${found.network}`).toBe(expected);
  });

  it.each([
    ['no container', [], "the compose service 'postgres' of project 'a2a-app1' on app1 has no container: check the project name and that the project is up there"],
    ['only a stopped one', [container({ name: 'pg', status: 'exited' })], "the compose service 'postgres' of project 'a2a-app1' on app1 has no running container (pg: exited)"],
    ['two running', [container({ name: 'b', networks: { x: '1.1.1.1' } }), container({ name: 'a', networks: { x: '1.1.1.2' } })], "the compose service 'postgres' of project 'a2a-app1' on app1 runs 2 containers (a, b): expected exactly one"],
    ['one without any address', [container({ name: 'pg' })], "container pg of the compose service 'postgres' of project 'a2a-app1' on app1 has no IP address on any network"]
  ])('refuses %s with a sentence for the report', (_name, containers, message) => {
    const attempt = (): unknown => pickServiceAddress(containers, 'a2a-app1', 'postgres', 'app1');
    expect(attempt).toThrow(ComposeError);
    expect(attempt).toThrow(message);
  });
});

describe('container logs', () => {
  const id1 = 'a'.repeat(64);
  const id2 = 'b'.repeat(12);

  it('reads back each container’s lines, and a marker forged inside a log is just a line', () => {
    const marker = '@@a2a-logs-0123456789ab';
    const out = [`${marker} ${id1}`, 'line 1', '@@a2a-logs-forged ' + id2, 'line 2', '', `${marker} ${id2}`, 'only line', ''].join('\n');
    expect(splitContainerLogs(out, marker)).toEqual({ [id1]: `line 1\n@@a2a-logs-forged ${id2}\nline 2`, [id2]: 'only line' });
  });

  it('builds one command for all containers, bounded in lines and bytes, and refuses anything but an id', () => {
    const cmd = containerLogsCommand([id1, id2], 5000, '@@m');
    expect(cmd).toBe(`echo '@@m ${id1}'; docker logs --tail 1000 ${id1} 2>&1 | tail -c 16000\necho '@@m ${id2}'; docker logs --tail 1000 ${id2} 2>&1 | tail -c 16000`);
    expect(() => containerLogsCommand(['abc; id'], 5, '@@m')).toThrow(TypeError);
  });

  it('asks for Docker receive timestamps only when told to', () => {
    expect(containerLogsCommand([id1], 5, '@@m', true)).toBe(`echo '@@m ${id1}'; docker logs --timestamps --tail 5 ${id1} 2>&1 | tail -c 16000`);
    expect(containerLogsCommand([id1], 5, '@@m')).not.toContain('--timestamps');
  });

  it('prints what the split expects when run through a real shell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-compose-logs-'));
    try {
      writeFileSync(join(dir, 'docker'), `#!/bin/sh\n# docker logs --tail N ID\necho "log of $4 (tail $3)"\necho "stderr of $4" >&2\n`);
      chmodSync(join(dir, 'docker'), 0o755);
      const out = execFileSync('/bin/sh', ['-c', containerLogsCommand([id1, id2], 3, '@@m')], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
      expect(splitContainerLogs(out, '@@m')).toEqual({ [id1]: `log of ${id1} (tail 3)\nstderr of ${id1}`, [id2]: `log of ${id2} (tail 3)\nstderr of ${id2}` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
