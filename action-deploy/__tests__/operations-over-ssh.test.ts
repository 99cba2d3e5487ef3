// action-deploy end to end in process, over a real SSH connection (ssh2's in-process server running
// real /bin/sh) to a stand-in host: a PATH whose `docker` answers `ps` / `inspect` / `logs` from the
// lab's captured `docker inspect` and whose compose is a stub, so no Docker and no sshd are needed.
// What runs: status (the Containers table), logs, and rollback choosing its version from the audit log.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, runAction } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { definition } from '../src/main.js';

const LAB_INSPECT = JSON.parse(readFileSync(new URL('../../shared/__tests__/fixtures/docker-inspect-lab-app1.json', import.meta.url), 'utf8')) as InspectJson[];
const LAB_COMPOSE = readFileSync(new URL('../../lab/docker/compose/docker-compose.production.yml', import.meta.url), 'utf8');
const [API_1, API_2, POSTGRES] = LAB_INSPECT.map((c) => c.Id);

interface InspectJson {
  Id: string;
  Name: string;
  RestartCount: number;
  State: { Status: string; Running: boolean; StartedAt: string; Health?: { Status: string; FailingStreak: number } };
}

// The host's docker: what it answers is decided by files in the host folder, and every call is logged.
const FAKE_DOCKER = `#!/bin/sh
H=$(dirname "$0")/..
echo "docker $*" >> "$H/calls"
case "$1" in
  compose)
    shift
    if [ "$1" = version ]; then echo "Docker Compose version v2.29.1"; exit 0; fi
    for a in "$@"; do
      if [ "$a" = config ]; then printf 'services:\\n  api:\\n    image: 127.0.0.1:5000/a2a-world/api:%s\\n' "$VERSION"; exit 0; fi
    done
    echo "compose: not stubbed: $*" >&2; exit 1 ;;
  ps)
    if [ -e "$H/daemon-down" ]; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; fi
    cat "$H/ps.txt" ;;
  inspect) cat "$H/inspect.json" ;;
  logs) echo "log line of $4"; echo "GET /health 200" ;;
  image) echo "Error response from daemon: No such image" >&2; exit 1 ;;
  *) echo "docker: not stubbed: $1" >&2; exit 1 ;;
esac
`;
// Only what the SSH core's wrapper, the lock, the audit log and the commands above need.
const TOOLS = ['setsid', 'tail', 'cat', 'dirname', 'mkdir', 'mv', 'rm', 'grep', 'env', 'printf'];

let root: string;
let host: string;
let project: string;
let ssh: TestSshServer;
const dirs: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'a2a-deploy-host-'));
  host = join(root, 'app-1');
  mkdirSync(join(host, 'bin'), { recursive: true });
  for (const tool of TOOLS) symlinkSync(`/usr/bin/${tool}`, join(host, 'bin', tool));
  writeFileSync(join(host, 'bin', 'docker'), FAKE_DOCKER);
  chmodSync(join(host, 'bin', 'docker'), 0o755);
  // The project directory's base name gives the compose project name the capture carries: a2a-app1.
  project = join(host, 'a2a-app1');
  writeFileSync(join(root, 'shell'), `#!/bin/sh\nPATH='${join(host, 'bin')}'\nexport PATH\nexec /bin/sh "$@"\n`);
  chmodSync(join(root, 'shell'), 0o755);
  ssh = await startSshServer({ user: 'deploy', shell: join(root, 'shell') });
}, 30_000);

afterAll(async () => {
  await ssh?.close();
  rmSync(root, { recursive: true, force: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project);
  for (const f of ['calls', 'daemon-down']) rmSync(join(host, f), { force: true });
  setContainers(LAB_INSPECT);
});
afterEach(() => clearSecretsForTest());

/** What the host's docker reports: these containers (all of them listed by `ps`). */
function setContainers(containers: InspectJson[]): void {
  writeFileSync(join(host, 'ps.txt'), `${containers.map((c) => c.Id).join('\n')}\n`);
  writeFileSync(join(host, 'inspect.json'), JSON.stringify(containers));
}

/** The lab capture with start times relative to now (so uptimes are known) and `change` applied per id. */
function labContainers(change: Record<string, (c: InspectJson) => void> = {}): InspectJson[] {
  const startedAgo: Record<string, number> = { [API_1]: 3 * 3600, [API_2]: 30 * 60, [POSTGRES]: 2 * 86_400 };
  return LAB_INSPECT.map((original) => {
    const c = structuredClone(original);
    c.State.StartedAt = new Date(Date.now() - startedAgo[c.Id] * 1000).toISOString();
    change[c.Id]?.(c);
    return c;
  });
}

const calls = (): string[] => (existsSync(join(host, 'calls')) ? readFileSync(join(host, 'calls'), 'utf8').trim().split('\n') : []);

interface Check {
  id: string;
  status: string;
  value?: unknown;
  threshold?: string;
  message: string;
}
interface Run {
  exitCode: number | undefined;
  outputs: Record<string, string>;
  summary: string;
  printed: string;
  checks: Check[];
}

/** One run of the action against app-1 (the config names it; `services.api.replicas: 3`). */
async function runDeploy(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-deploy-run-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'ops.yml'),
    `hosts:\n  - name: app-1\n    address: 127.0.0.1\n    port: ${ssh.port}\n    user: deploy\nservices:\n  api:\n    replicas: 3\n`
  );
  const actionEnv = setActionEnv(
    {
      config: join(dir, 'ops.yml'),
      'project-dir': project,
      'ssh-private-key': ssh.clientKey.privateKey,
      'ssh-fingerprint': ssh.hostKey.fingerprint,
      issue: 'off',
      ...inputs
    },
    env,
    dir
  );
  capturedStdout();
  try {
    await runAction(definition);
    const outputs = actionEnv.outputs();
    return {
      exitCode: process.exitCode as number | undefined,
      outputs,
      summary: actionEnv.summary(),
      printed: capturedStdout(),
      checks: outputs.report ? (JSON.parse(outputs.report) as { checks: Check[] }).checks : []
    };
  } finally {
    actionEnv.restore();
  }
}

describe('status', () => {
  it('renders the Containers table from docker inspect: image, state and health, uptime, restarts', async () => {
    setContainers(labContainers({ [API_2]: (c) => (c.RestartCount = 2) }));
    const r = await runDeploy({ operation: 'status' });
    expect(r.summary).toContain(
      [
        '| Host | Service | Container | Image | State | Up | Restarts |',
        '|---|---|---|---|---|---|---:|',
        '| app-1 | api | a2a-app1_api_1 | 127.0.0.1:5000/a2a-world/api:v1 | running (healthy) | 3 h | 0 |',
        '| app-1 | api | a2a-app1_api_2 | 127.0.0.1:5000/a2a-world/api:v1 | running (healthy) | 30 min | 2 |',
        '| app-1 | postgres | a2a-app1_postgres_1 | 127.0.0.1:5000/a2a-world/postgres:15 | running (healthy) | 2 d | 0 |'
      ].join('\n')
    );
  });

  it('warns when fewer replicas run than the config asks for, and passes the step', async () => {
    setContainers(labContainers());
    const r = await runDeploy({ operation: 'status' });
    expect(r.checks.map((c) => [c.id, c.status, c.value, c.threshold])).toEqual([
      ['status:app-1:api', 'warn', 2, '3 configured'],
      ['status:app-1:postgres', 'ok', 1, undefined]
    ]);
    expect(r.checks[0].message).toBe('2 running; 127.0.0.1:5000/a2a-world/api:v1');
    expect(r.outputs.status).toBe('warn');
    expect(r.exitCode).not.toBe(1);
  });

  it.each([
    {
      name: 'an unhealthy replica',
      change: { [API_2]: (c: InspectJson) => (c.State.Health = { Status: 'unhealthy', FailingStreak: 4 }) },
      message: '2 running, 1 unhealthy; 127.0.0.1:5000/a2a-world/api:v1',
      state: 'running (unhealthy)',
      status: 'fail'
    },
    {
      name: 'a stopped replica beside a running one',
      change: { [API_2]: (c: InspectJson) => ((c.State.Status = 'exited'), (c.State.Running = false), delete c.State.Health) },
      message: '1 running, 1 stopped; 127.0.0.1:5000/a2a-world/api:v1',
      state: 'exited',
      status: 'warn'
    }
  ])('reports $name of one service (service: api) as $status', async ({ change, message, state, status }) => {
    setContainers(labContainers(change));
    const r = await runDeploy({ operation: 'status', service: 'api' });
    expect(r.checks.map((c) => [c.id, c.status, c.message])).toEqual([['status:app-1:api', status, message]]);
    expect(r.summary).toContain(`| app-1 | api | a2a-app1_api_2 | 127.0.0.1:5000/a2a-world/api:v1 | ${state} |`);
    expect(r.summary).not.toContain('postgres');
    // fail-on: fail (the default) fails the step on the unhealthy replica only.
    expect(r.exitCode === 1).toBe(status === 'fail');
  });

  it('fails the check of a service with no running container', async () => {
    const stop = (c: InspectJson): void => {
      c.State = { ...c.State, Status: 'exited', Running: false, Health: undefined };
    };
    setContainers(labContainers({ [API_1]: stop, [API_2]: stop }));
    const r = await runDeploy({ operation: 'status', service: 'api' });
    expect(r.checks.map((c) => [c.status, c.message])).toEqual([['fail', '0 running, 2 stopped; 127.0.0.1:5000/a2a-world/api:v1']]);
    expect(r.summary).toMatch(/\| a2a-app1_api_1 \| [^|]+ \| exited \| — \| 0 \|/);
  });

  it('reports a host whose docker daemon is down as a failed check, not a crash', async () => {
    writeFileSync(join(host, 'daemon-down'), '');
    const r = await runDeploy({ operation: 'status' });
    expect(r.checks.map((c) => c.id)).toEqual(['status:app-1']);
    expect(r.checks[0].status).toBe('fail');
    expect(r.checks[0].message).toMatch(/docker ps failed: Cannot connect to the Docker daemon/);
    expect(r.summary).not.toContain('### Containers');
  });

  it('runs on pull_request (read-only) and takes no deploy lock', async () => {
    setContainers(labContainers());
    const r = await runDeploy({ operation: 'status' }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(r.outputs.status).toBe('warn');
    expect(r.summary).toContain('| app-1 | api | a2a-app1_api_1 |');
    expect(existsSync(join(project, '.a2a-ops'))).toBe(false);
  });
});

describe('logs', () => {
  it("puts each container's last lines in the summary, folded, read by id", async () => {
    const r = await runDeploy({ operation: 'logs', service: 'api', 'log-lines': '20' });
    expect(r.checks.map((c) => [c.id, c.status, c.value])).toEqual([['logs:app-1', 'ok', 2]]);
    expect(r.summary).toContain('app-1: a2a-app1_api_1 (last 20 lines)');
    expect(r.summary).toContain(`<details><summary>127.0.0.1:5000/a2a-world/api:v1, running</summary>`);
    expect(r.summary).toContain(`log line of ${API_1}\nGET /health 200`);
    expect(r.summary).toContain(`log line of ${API_2}`);
    expect(calls()).toContain(`docker logs --tail 20 ${API_1}`);
  });
});

describe('rollback without a version', () => {
  /** The project on app-1: the lab's compose file, VERSION=v2 in the env file, and this audit log. */
  function deployedProject(audit: object[]): void {
    writeFileSync(join(project, 'docker-compose.production.yml'), LAB_COMPOSE);
    writeFileSync(join(project, '.env.production'), 'REGISTRY=127.0.0.1:5000\nVERSION=v2\n');
    mkdirSync(join(project, '.a2a-ops'));
    writeFileSync(join(project, '.a2a-ops', 'audit.log'), audit.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }
  const at = '2026-12-01T10:00:00.000Z';
  const base = { at, actor: 'octocat', runUrl: 'https://github.com/a2a-world/a2a-ops/actions/runs/1', service: 'api', message: '' };

  it('goes back to the version before the last deploy, even after a restart since (and refuses an image the host lacks, changing nothing)', async () => {
    deployedProject([
      { ...base, operation: 'rollout', from: 'v1', to: 'v2', result: 'success' },
      { ...base, operation: 'restart', result: 'success' }
    ]);
    const r = await runDeploy({ operation: 'rollback', service: 'api' });
    expect(r.exitCode).toBe(1);
    // The version came from the audit log: v1, the one before the rollout to v2.
    expect(r.checks.find((c) => c.id === 'run')?.message).toBe(
      `The run stopped: app-1 (127.0.0.1:${ssh.port}): cannot use 127.0.0.1:5000/a2a-world/api:v1: it is not on the host (a rollback never pulls: it goes back to what the host ran). Nothing was changed.`
    );
    expect(calls()).toContain('docker image inspect --format {{.Id}} 127.0.0.1:5000/a2a-world/api:v1');
    expect(calls().some((c) => c.startsWith('docker pull'))).toBe(false);
    expect(readFileSync(join(project, '.env.production'), 'utf8')).toBe('REGISTRY=127.0.0.1:5000\nVERSION=v2\n');
    // The deploy lock was taken and released again.
    expect(existsSync(join(project, '.a2a-ops', 'deploy.lock'))).toBe(false);
    expect(r.printed).toMatch(/Cleanup: release the deploy lock on app-1/);
  });

  it('asks for a version when the audit log records none before the current one', async () => {
    deployedProject([{ ...base, operation: 'rollout', to: 'v2', result: 'success' }]);
    const r = await runDeploy({ operation: 'rollback', service: 'api' });
    expect(r.exitCode).toBe(1);
    expect(r.printed).toContain(
      "::error::No earlier version of 'api' is recorded on app-1 (its audit log has no successful change to v2): name the version to go back to in 'version'."
    );
    expect(existsSync(join(project, '.a2a-ops', 'deploy.lock'))).toBe(false);
  });
});
