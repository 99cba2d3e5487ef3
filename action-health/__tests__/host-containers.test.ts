// The containers part of a host check over a real SSH connection (ssh2's in-process server running
// /bin/sh) to stand-in hosts whose `docker` answers from a lab capture, or is missing, or fails.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SshSession } from '../../shared/src/index.js';
import { connectToTestServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { collectContainers } from '../src/hosts/collect-containers.js';

type HostKind = 'ok' | 'no-docker' | 'daemon-down';

// Captured from the lab: an unhealthy api, a crash-looping worker and an exited one-off run.
const INSPECT = readFileSync(new URL('../../shared/__tests__/fixtures/docker-inspect-broken.json', import.meta.url), 'utf8');
const IDS = (JSON.parse(INSPECT) as Array<{ Id: string }>).map((c) => c.Id);

const FAKE_DOCKER = `#!/bin/sh
H=$(dirname "$0")/..
echo "docker $*" >> "$H/calls"
case "$1" in
  ps)
    if [ -e "$H/daemon-down" ]; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; fi
    cat "$H/ps.txt" ;;
  inspect) cat "$H/inspect.json" ;;
  stats) shift 4; for id in "$@"; do printf '{"ID":"%.12s","CPUPerc":"2.50%%","MemPerc":"1.00%%","MemUsage":"9MiB / 1GiB"}\\n' "$id"; done ;;
  logs) echo "last words of $4" ;;
  *) exit 1 ;;
esac
`;

let root: string;
let ssh: TestSshServer;
const sessions: SshSession[] = [];

async function hostSession(kind: HostKind): Promise<SshSession> {
  writeFileSync(join(root, 'current-path'), join(root, kind, 'bin'));
  rmSync(join(root, kind, 'calls'), { force: true });
  const s = await connectToTestServer(ssh, 10_000);
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'a2a-health-containers-'));
  for (const kind of ['ok', 'no-docker', 'daemon-down'] as const) {
    const bin = join(root, kind, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['setsid', 'tail', 'cat', 'dirname']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    if (kind !== 'no-docker') {
      writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
      chmodSync(join(bin, 'docker'), 0o755);
    }
    if (kind === 'daemon-down') writeFileSync(join(root, kind, 'daemon-down'), '');
    writeFileSync(join(root, kind, 'ps.txt'), `${IDS.join('\n')}\n`);
    writeFileSync(join(root, kind, 'inspect.json'), INSPECT);
  }
  writeFileSync(join(root, 'shell'), `#!/bin/sh\nPATH=$(/usr/bin/cat '${root}/current-path')\nexport PATH\nexec /bin/sh "$@"\n`);
  chmodSync(join(root, 'shell'), 0o755);
  ssh = await startSshServer({ user: 'deploy', shell: join(root, 'shell') });
}, 30_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await ssh?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('collectContainers', () => {
  it('lists the project (one-off runs included), adds stats of the running ones and the logs of the broken ones', async () => {
    const docker = await collectContainers(await hostSession('ok'), 'a2a-fixture', { logLines: 30, timeoutMs: 10_000 });
    expect(docker.state).toBe('ok');
    expect(docker.containers.map((c) => [c.name, c.state, c.health, c.restartCount, c.cpuPercent ?? null])).toEqual([
      ['a2a-fixture_api_1', 'running', 'unhealthy', 0, 2.5],
      ['a2a-fixture_api_run_1', 'exited', 'unhealthy', 0, null],
      ['a2a-fixture_worker_1', 'restarting', 'unhealthy', 7, null]
    ]);
    expect(docker.logs).toEqual(Object.fromEntries(docker.containers.map((c) => [c.id, `last words of ${c.id}`])));
    const calls = readFileSync(join(root, 'ok', 'calls'), 'utf8');
    expect(calls).toContain('docker logs --tail 30 ');
    expect(calls).toContain(`docker stats --no-stream --format {{json .}} ${docker.containers[0].id}`);
  });

  it('reads no logs when none are wanted', async () => {
    const docker = await collectContainers(await hostSession('ok'), 'a2a-fixture', { logLines: 0, timeoutMs: 10_000 });
    expect(docker.logs).toEqual({});
  });

  it.each([
    ['a host without docker is "missing"', 'no-docker' as const, { state: 'missing', containers: [] }],
    ['a daemon that is down is an "error" with what docker said', 'daemon-down' as const, { state: 'error', error: expect.stringMatching(/^Cannot connect to the Docker daemon/), containers: [] }]
  ])('%s', async (_name, kind, want) => {
    expect(await collectContainers(await hostSession(kind), 'a2a-fixture', { logLines: 30, timeoutMs: 10_000 })).toMatchObject(want);
  });

  it('runs nothing without a project', async () => {
    const session = await hostSession('ok');
    const before = ssh.log.execs.length;
    expect(await collectContainers(session, '', { logLines: 30, timeoutMs: 10_000 })).toEqual({ state: 'skipped', containers: [], logs: {} });
    expect(ssh.log.execs.length).toBe(before);
  });
});
