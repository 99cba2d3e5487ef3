// The compose module over a real SSH connection (ssh2's in-process server running real /bin/sh) to
// stand-in hosts: each a PATH with its own `docker` / `docker-compose` (v2 plugin, v1 only, neither,
// no docker, daemon down), answering `docker ps` / `inspect` / `logs` from lab captures.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ComposeError,
  composeExec,
  detectComposeCli,
  findServiceAddress,
  listServiceContainers,
  readContainerLogs,
  resolveComposeCli,
  resolveComposeProject,
  defaultConfig,
  type SshSession
} from '../src/index.js';
import { connectToTestServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

type HostKind = 'v2' | 'v1' | 'none' | 'no-docker' | 'daemon-down';

const LAB_INSPECT = readFileSync(new URL('./fixtures/docker-inspect-lab-app1.json', import.meta.url), 'utf8');
const IDS = (JSON.parse(LAB_INSPECT) as Array<{ Id: string }>).map((c) => c.Id);

let root: string;
let ssh: TestSshServer;
const sessions: SshSession[] = [];

// One stand-in `docker` for every kind of host; what it can do is decided by files in its host folder.
const FAKE_DOCKER = `#!/bin/sh
H=$(dirname "$0")/..
echo "docker $*" >> "$H/calls"
case "$1" in
  compose)
    if [ ! -e "$H/plugin" ]; then echo "docker: 'compose' is not a docker command." >&2; echo "See 'docker --help'" >&2; exit 1; fi
    shift
    if [ "$1" = version ]; then echo "Docker Compose version v2.29.1"; exit 0; fi
    pwd; for a in "$@"; do printf '[%s]\\n' "$a"; done; exit 0 ;;
  ps)
    if [ -e "$H/daemon-down" ]; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; fi
    cat "$H/ps.txt" ;;
  inspect) cat "$H/inspect.json" ;;
  logs) echo "log line of $4"; echo "its stderr" >&2 ;;
  *) echo "docker: unexpected $1" >&2; exit 1 ;;
esac
`;
const FAKE_V1 = `#!/bin/sh
H=$(dirname "$0")/..
echo "docker-compose $*" >> "$H/calls"
if [ "$1" = version ]; then echo "docker-compose version 1.29.2, build unknown"; echo "docker-py version: 5.0.3"; exit 0; fi
pwd; for a in "$@"; do printf '[%s]\\n' "$a"; done
`;

function makeHost(kind: HostKind): void {
  const dir = join(root, kind);
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  // Only what the SSH core's wrapper and the module's commands need, so the machine's real docker is out of reach.
  for (const tool of ['setsid', 'tail', 'cat', 'dirname']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  if (kind !== 'no-docker') {
    writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
    chmodSync(join(bin, 'docker'), 0o755);
  }
  if (kind === 'v1' || kind === 'v2') {
    writeFileSync(join(bin, 'docker-compose'), FAKE_V1);
    chmodSync(join(bin, 'docker-compose'), 0o755);
  }
  if (kind === 'v2') writeFileSync(join(dir, 'plugin'), '');
  if (kind === 'daemon-down') writeFileSync(join(dir, 'daemon-down'), '');
  writeFileSync(join(dir, 'ps.txt'), `${IDS.join('\n')}\n`);
  writeFileSync(join(dir, 'inspect.json'), LAB_INSPECT);
  mkdirSync(join(dir, 'project'));
}

/** A new SSH session to the stand-in host of `kind` (a new session: nothing cached from an earlier test). */
async function hostSession(kind: HostKind): Promise<SshSession> {
  writeFileSync(join(root, 'current-path'), join(root, kind, 'bin'));
  rmSync(join(root, kind, 'calls'), { force: true });
  const session = await connectToTestServer(ssh, 10_000);
  sessions.push(session);
  return session;
}

const calls = (kind: HostKind): string[] => {
  try {
    return readFileSync(join(root, kind, 'calls'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'a2a-compose-hosts-'));
  for (const kind of ['v2', 'v1', 'none', 'no-docker', 'daemon-down'] as const) makeHost(kind);
  writeFileSync(join(root, 'shell'), `#!/bin/sh\nPATH=$(/usr/bin/cat '${root}/current-path')\nexport PATH\nexec /bin/sh "$@"\n`);
  chmodSync(join(root, 'shell'), 0o755);
  ssh = await startSshServer({ user: 'deploy', shell: join(root, 'shell') });
}, 30_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await ssh?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('detectComposeCli', () => {
  it.each([
    ['the v2 plugin when docker has it', 'v2' as const, { cli: 'docker compose', version: '2.29.1', detected: true }],
    ['docker-compose when only v1 is installed', 'v1' as const, { cli: 'docker-compose', version: '1.29.2', detected: true }]
  ])('finds %s', async (_name, kind, want) => {
    const session = await hostSession(kind);
    expect(await detectComposeCli(session)).toEqual(want);
  });

  it('probes once per session: a second question is answered from the first probe', async () => {
    const session = await hostSession('v1');
    const before = ssh.log.execs.length;
    await detectComposeCli(session);
    await detectComposeCli(session);
    expect(ssh.log.execs.length - before).toBe(1);
    expect(calls('v1')).toEqual(['docker compose version', 'docker-compose version']);
  });

  it('fails with what both commands said when neither works, and tries again next time', async () => {
    const session = await hostSession('none');
    const attempt = detectComposeCli(session);
    await expect(attempt).rejects.toThrow(ComposeError);
    await expect(attempt).rejects.toThrow(/neither 'docker compose' \(v2\) nor 'docker-compose' \(v1\) works on local.*'compose' is not a docker command.*docker-compose: not found/);
    await expect(attempt).rejects.toMatchObject({ failure: 'no-compose' });
    const before = ssh.log.execs.length;
    await expect(detectComposeCli(session)).rejects.toThrow(ComposeError);
    expect(ssh.log.execs.length - before).toBe(1);
  });
});

describe('resolveComposeCli and resolveComposeProject', () => {
  it('takes an explicit config value without asking the host', async () => {
    const session = await hostSession('v2');
    const before = ssh.log.execs.length;
    expect(await resolveComposeCli(session, 'docker-compose')).toEqual({ cli: 'docker-compose', detected: false });
    expect(ssh.log.execs.length).toBe(before);
  });

  it('detects on auto and builds the project from the config', async () => {
    const session = await hostSession('v1');
    const compose = { ...defaultConfig().compose, projectDir: join(root, 'v1', 'project') };
    expect(await resolveComposeProject(session, compose)).toEqual({
      cli: 'docker-compose',
      dir: compose.projectDir,
      name: 'project',
      file: 'docker-compose.production.yml',
      envFile: '.env.production'
    });
  });
});

describe('composeExec', () => {
  it.each(['v2' as const, 'v1' as const])('runs exec -T in the project directory on a %s host, every argument arriving as sent', async (kind) => {
    const session = await hostSession(kind);
    const compose = { ...defaultConfig().compose, projectDir: join(root, kind, 'project'), envFile: '' };
    const project = await resolveComposeProject(session, compose);
    const r = await composeExec(session, project, 'postgres', ['psql', '-c', "select 'it''s'; -- $(id)"], { env: { PGAPPNAME: 'a2a ops' } });
    expect(r.code).toBe(0);
    const [cwd, ...args] = r.stdout.trimEnd().split('\n');
    expect(cwd).toBe(compose.projectDir);
    expect(args).toEqual(
      ['-p', 'project', '-f', 'docker-compose.production.yml', 'exec', '-T', '-e', 'PGAPPNAME=a2a ops', 'postgres', 'psql', '-c', "select 'it''s'; -- $(id)"].map((a) => `[${a}]`)
    );
    expect(calls(kind).at(-1)).toMatch(kind === 'v2' ? /^docker compose -p project / : /^docker-compose -p project /);
  });

  it('fails, running nothing, when the project directory is missing', async () => {
    const session = await hostSession('v2');
    const r = await composeExec(session, { cli: 'docker compose', dir: join(root, 'v2', 'gone'), name: 'p' }, 'api', ['true']);
    expect(r.code).not.toBe(0);
    expect(calls('v2')).toEqual([]);
  });
});

describe('listServiceContainers', () => {
  it("lists a service's containers by label, parsed from docker inspect", async () => {
    const session = await hostSession('v2');
    const api = await listServiceContainers(session, { project: 'a2a-app1', service: 'api' });
    expect(api.map((c) => [c.name, c.health, c.networks[0]?.ipAddress])).toEqual([
      ['a2a-app1_api_1', 'healthy', '172.18.0.5'],
      ['a2a-app1_api_2', 'healthy', '172.18.0.2']
    ]);
    expect(calls('v2')[0]).toBe(
      'docker ps -a --no-trunc --filter label=com.docker.compose.project=a2a-app1 --filter label=com.docker.compose.service=api --format {{.ID}}'
    );
    expect(calls('v2')[1]).toBe(`docker inspect ${IDS.join(' ')}`);
  });

  it('lists the whole project, and nothing for a project the host does not run', async () => {
    const session = await hostSession('v1');
    expect((await listServiceContainers(session, { project: 'a2a-app1' })).map((c) => c.service)).toEqual(['api', 'api', 'postgres']);
    expect(await listServiceContainers(session, { project: 'other' })).toEqual([]);
  });

  it.each([
    ['no docker CLI', 'no-docker' as const, 'docker-missing', /^docker is not installed on local/],
    ['a daemon that is down', 'daemon-down' as const, 'docker-failed', /^could not list the containers of compose project 'a2a-app1' on local: docker ps failed: Cannot connect to the Docker daemon/]
  ])('throws a ComposeError on %s', async (_name, kind, failure, message) => {
    const session = await hostSession(kind);
    const attempt = listServiceContainers(session, { project: 'a2a-app1' });
    await expect(attempt).rejects.toMatchObject({ failure, message: expect.stringMatching(message) });
  });

  it("finds the postgres service's address the way the database tunnel needs it", async () => {
    const session = await hostSession('v2');
    expect(await findServiceAddress(session, 'a2a-app1', 'postgres')).toEqual({ address: '172.18.0.4', container: 'a2a-app1_postgres_1', network: 'a2a-app1_default' });
    await expect(findServiceAddress(session, 'a2a-app1', 'worker')).rejects.toMatchObject({ failure: 'lookup' });
  });
});

describe('readContainerLogs', () => {
  it('reads the tail of every container in one command, by id', async () => {
    const session = await hostSession('v2');
    const before = ssh.log.execs.length;
    const logs = await readContainerLogs(session, IDS.slice(0, 2), { lines: 20 });
    expect(ssh.log.execs.length - before).toBe(1);
    expect(logs).toEqual(Object.fromEntries(IDS.slice(0, 2).map((id) => [id, `log line of ${id}\nits stderr`])));
    expect(calls('v2')).toEqual(IDS.slice(0, 2).map((id) => `docker logs --tail 20 ${id}`));
  });
});
