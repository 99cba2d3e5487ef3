// `database-ssh-host` in-process: the database checks through an SSH tunnel (ssh2 test server with
// forwarding, PGlite behind it), the compose service found by its labels (a stand-in `docker` on the SSH
// host), the one-connection-per-host rule, secrets kept out of everything, and the up-front refusals.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest } from '../../shared/src/index.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { run } from '../src/main.js';
import { cleanupRuns, reportOf, runInProcess, type HealthRun } from './support/run-in-process.js';

const PASSWORD = 'tunnel-s3cret-pw';
const CONTAINER_ID = 'c0ffee'.padEnd(64, '0');

let ssh: TestSshServer;
let db: PgliteServer;
let fakeDir: string;

/** `docker inspect` of one compose v2 postgres container of project `proj`, as the stand-in prints it. */
function inspectJson(status: 'running' | 'exited'): string {
  return JSON.stringify([
    {
      Name: '/proj-postgres-1',
      State: { Status: status, Running: status === 'running' },
      Config: { Labels: { 'com.docker.compose.project': 'proj', 'com.docker.compose.service': 'postgres', 'com.docker.compose.oneoff': 'False', 'com.docker.compose.version': '2.29.1' } },
      HostConfig: { NetworkMode: 'proj_default' },
      NetworkSettings: { IPAddress: '', Networks: status === 'running' ? { proj_default: { IPAddress: '127.0.0.1' } } : { proj_default: { IPAddress: '' } } }
    }
  ]);
}

beforeAll(async () => {
  // The SSH host's `docker`: a script answering `ps` and `inspect` from files this test writes.
  fakeDir = mkdtempSync(join(tmpdir(), 'a2a-fake-docker-'));
  writeFileSync(
    join(fakeDir, 'docker'),
    `#!/bin/sh\necho "$*" >> '${fakeDir}/calls'\ncase "$1" in\n  ps) echo ${CONTAINER_ID} ;;\n  inspect) cat '${fakeDir}/inspect.json' ;;\n  *) echo "docker: unexpected $1" >&2; exit 1 ;;\nesac\n`
  );
  writeFileSync(join(fakeDir, 'shell'), `#!/bin/sh\nPATH='${fakeDir}':$PATH\nexport PATH\nexec /bin/sh "$@"\n`);
  chmodSync(join(fakeDir, 'docker'), 0o755);
  chmodSync(join(fakeDir, 'shell'), 0o755);
  [ssh, db] = await Promise.all([
    startSshServer({ user: 'deploy', allowForwarding: true, shell: join(fakeDir, 'shell') }),
    startPgliteServer({ password: PASSWORD })
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([ssh?.close(), db?.stop()]);
  cleanupRuns();
  rmSync(fakeDir, { recursive: true, force: true });
});
afterEach(() => clearSecretsForTest());

const sshSpec = (): string => `deploy@127.0.0.1:${ssh.port}`;
const keyInputs = (): Record<string, string> => ({ 'ssh-private-key': ssh.clientKey.privateKey, 'ssh-fingerprint': ssh.hostKey.fingerprint, 'fail-on': 'never' });
const serviceUrl = (): string => `postgresql://postgres:${PASSWORD}@postgres:${db.port}/postgres`;

/** The run's printed log without the runner's mask commands (which carry the secrets on purpose). */
const visibleLog = (r: HealthRun): string => r.log.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');

function expectNoPassword(r: HealthRun): void {
  for (const [where, text] of [['log', visibleLog(r)], ['summary', r.summary], ['outputs', JSON.stringify(r.outputs)]]) {
    expect([where, text.includes(PASSWORD)]).toEqual([where, false]);
  }
}

describe('database checks through database-ssh-host', () => {
  it('reach an address as the SSH host sees it, over the one connection the host checks use', async () => {
    const connections = ssh.log.connections;
    const forwards = ssh.log.forwards;
    const r = await runInProcess(run, {
      ...keyInputs(),
      hosts: sshSpec(),
      'compose-project': 'none',
      'sample-count': '1',
      'database-url': `postgresql://postgres:${PASSWORD}@127.0.0.1:${db.port}/postgres`,
      'database-ssh-host': sshSpec()
    });
    const checks = reportOf(r).checks;
    const reach = checks.find((c) => c.id === 'database:reachability');
    expect(reach).toMatchObject({ status: 'ok', target: `postgres@127.0.0.1:${db.port}/postgres via 127.0.0.1` });
    expect(reach?.details).toContain(`Reached through an SSH tunnel on 127.0.0.1 to 127.0.0.1:${db.port} as 127.0.0.1 sees it.`);
    expect(checks.find((c) => c.id === 'database:connections')?.status).toBe('ok');
    expect(checks.some((c) => c.id === 'host:127.0.0.1:memory')).toBe(true);
    expect(ssh.log.connections - connections).toBe(1);
    expect(ssh.log.forwards - forwards).toBe(1);
    expectNoPassword(r);
  });

  it("find the compose service's running container by its labels and tunnel to its IP", async () => {
    writeFileSync(join(fakeDir, 'inspect.json'), inspectJson('running'));
    rmSync(join(fakeDir, 'calls'), { force: true });
    const r = await runInProcess(run, { ...keyInputs(), 'compose-project': 'proj', 'database-url': serviceUrl(), 'database-ssh-host': sshSpec() });
    const reach = reportOf(r).checks.find((c) => c.id === 'database:reachability');
    expect(reach).toMatchObject({ status: 'ok', target: `postgres@postgres:${db.port}/postgres via 127.0.0.1` });
    expect(reach?.details).toContain(`container proj-postgres-1 at 127.0.0.1:${db.port} (network proj_default)`);
    expect(reach?.message).toContain('PostgreSQL');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(fakeDir, 'calls'), 'utf8')).toContain('ps -a --no-trunc --filter label=com.docker.compose.project=proj --filter label=com.docker.compose.service=postgres');
    expectNoPassword(r);
  });

  it('fail reachability, naming the container and its state, when the service is not running', async () => {
    writeFileSync(join(fakeDir, 'inspect.json'), inspectJson('exited'));
    const r = await runInProcess(run, { ...keyInputs(), 'compose-project': 'proj', 'database-url': serviceUrl(), 'database-ssh-host': sshSpec() });
    const checks = reportOf(r).checks.filter((c) => c.id.startsWith('database:'));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      status: 'fail',
      message: "not reachable: the compose service 'postgres' of project 'proj' on 127.0.0.1 has no running container (proj-postgres-1: exited)"
    });
    expect(r.outputs['failed-checks']).toContain('database:reachability');
  });

  it('fail reachability with what the SSH host said when nothing listens at the address', async () => {
    const r = await runInProcess(run, {
      ...keyInputs(),
      'compose-project': 'none',
      'database-url': `postgresql://postgres:${PASSWORD}@127.0.0.1:1/postgres`,
      'database-ssh-host': sshSpec()
    });
    const reach = reportOf(r).checks.find((c) => c.id === 'database:reachability');
    expect(reach?.status).toBe('fail');
    expect(reach?.message).toMatch(/^not accepting connections through 127\.0\.0\.1 \(127\.0\.0\.1:1 as 127\.0\.0\.1 sees it\): .*could not open a channel to 127\.0\.0\.1:1/);
    expectNoPassword(r);
  });

  it.each([
    ['without a database URL', { 'database-url': '' }, /Input 'database-ssh-host' is set but there is no database to reach through it: set 'database-url'/],
    ['without SSH credentials', { 'ssh-private-key': '', hosts: '' }, /Input 'database-ssh-host' needs SSH credentials: set 'ssh-private-key'/],
    ['naming an unknown host', { 'database-ssh-host': 'app9' }, /Input 'database-ssh-host' names 'app9', which is not a host of 'hosts' or of the config .*known: '127\.0\.0\.1'/],
    ['with a host that is not a host spec', { 'database-ssh-host': 'deploy@bad host' }, /Input 'database-ssh-host': a host entry contains a space/],
    ['for the compose service with compose-project none', { 'compose-project': 'none' }, /Input 'database-ssh-host': the database host 'postgres' is the compose service.*'compose-project' is 'none'/]
  ])('is refused %s before anything is contacted', async (_name, override, message) => {
    const connections = ssh.log.connections;
    const r = await runInProcess(run, {
      ...keyInputs(),
      hosts: sshSpec(),
      'compose-project': 'proj',
      'database-url': serviceUrl(),
      'database-ssh-host': sshSpec(),
      ...override
    });
    expect(r.outputs.report).toBeUndefined();
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(new RegExp(`::error::.*${message.source}`));
    expect(ssh.log.connections).toBe(connections);
    expectNoPassword(r);
  });
});
