// The hosts families end to end in process, over a real SSH connection (ssh2's in-process server running
// real /bin/sh) to a stand-in host whose `docker` answers from the lab's captured `docker inspect`, and a
// second host whose port is closed: the closed host is one fault and hides nothing of the first; a
// stopped replica, error lines in the logs, BusyBox ps and the missing systemd are all reported.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupRuns, runInProcess } from '../../action-health/__tests__/support/run-in-process.js';
import { closedPort, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { run } from '../src/main.js';

interface InspectJson {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; ExitCode?: number; FinishedAt?: string };
}
const LAB_INSPECT = JSON.parse(readFileSync(new URL('../../shared/__tests__/fixtures/docker-inspect-lab-app1.json', import.meta.url), 'utf8')) as InspectJson[];

// `docker logs --timestamps --tail N ID`: $5 is the id. `compose ... exec ... sh -c SCRIPT`: BusyBox's ps.
const FAKE_DOCKER = `#!/bin/sh
H=$(dirname "$0")/..
case "$1" in
  compose)
    shift
    if [ "$1" = version ]; then echo "Docker Compose version v2.29.1"; exit 0; fi
    for a in "$@"; do
      if [ "$a" = exec ]; then printf '@@rss\\nPID   USER     RSS  VSZ  COMMAND\\n    1 root     1652 2268 /bin/sh /app/entrypoint.sh\\n    8 root     12m  30m  python worker\\n'; exit 0; fi
    done
    echo "compose: not stubbed: $*" >&2; exit 1 ;;
  ps) cat "$H/ps.txt" ;;
  inspect) cat "$H/inspect.json" ;;
  logs)
    echo "2026-12-01T10:00:00.000000000Z GET /health 200"
    echo "2026-12-01T10:00:01.000000000Z ERROR upstream 10.0.0.7:5432 timed out after 5000 ms (request 5f2b7c1e-3a4d-4e5f-9a8b-1c2d3e4f5a6b)"
    echo "2026-12-01T10:00:09.000000000Z ERROR upstream 10.0.0.8:5432 timed out after 5012 ms (request 0c2b7c1e-3a4d-4e5f-9a8b-1c2d3e4f5a6c)" ;;
  *) echo "docker: not stubbed: $1" >&2; exit 1 ;;
esac
`;
const TOOLS = ['setsid', 'tail', 'cat', 'dirname', 'printf', 'head'];

let root: string;
let host: string;
let ssh: TestSshServer;
let deadPort: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'a2a-incident-host-'));
  host = join(root, 'app-1');
  mkdirSync(join(host, 'bin'), { recursive: true });
  for (const tool of TOOLS) symlinkSync(`/usr/bin/${tool}`, join(host, 'bin', tool));
  writeFileSync(join(host, 'bin', 'docker'), FAKE_DOCKER);
  chmodSync(join(host, 'bin', 'docker'), 0o755);
  mkdirSync(join(host, 'a2a-app1'));
  // api_2 stopped; api_1 and postgres running, as the lab captured them.
  const containers = LAB_INSPECT.map((c) => (c.Name.endsWith('api_2') ? { ...c, State: { ...c.State, Status: 'exited', Running: false, ExitCode: 137 } } : c));
  writeFileSync(join(host, 'ps.txt'), `${containers.map((c) => c.Id).join('\n')}\n`);
  writeFileSync(join(host, 'inspect.json'), JSON.stringify(containers));
  writeFileSync(join(root, 'shell'), `#!/bin/sh\nPATH='${join(host, 'bin')}'\nexport PATH\nexec /bin/sh "$@"\n`);
  chmodSync(join(root, 'shell'), 0o755);
  ssh = await startSshServer({ user: 'deploy', shell: join(root, 'shell') });
  deadPort = await closedPort();
}, 30_000);

afterAll(async () => {
  await ssh?.close();
  rmSync(root, { recursive: true, force: true });
  cleanupRuns();
});

describe('the hosts families over SSH', () => {
  it('reports the stopped replica, the error pattern, BusyBox ps and no systemd on one host, and the dead host as one fault', async () => {
    const config = join(root, 'ops.yml');
    writeFileSync(
      config,
      [
        'hosts:',
        `  - { name: app-1, address: 127.0.0.1, port: ${ssh.port}, user: deploy, compose: { project-dir: ${join(host, 'a2a-app1')} } }`,
        `  - { name: app-2, address: 127.0.0.1, port: ${deadPort}, user: deploy }`,
        ''
      ].join('\n')
    );
    const r = await runInProcess(run, { config, 'ssh-private-key': ssh.clientKey.privateKey, 'ssh-fingerprint': ssh.hostKey.fingerprint });
    const faults = JSON.parse(r.outputs.faults ?? '[]') as Array<{ family: string; target: string; severity: string; message: string }>;
    expect(faults.map((f) => [f.family, f.target, f.severity])).toEqual([
      ['services', 'app-1: api (a2a-app1_api_2)', 'fail'],
      ['services', `app-2 (127.0.0.1:${deadPort})`, 'fail'],
      ['error patterns', 'api', 'warn'],
      ['error patterns', 'postgres', 'warn']
    ]);
    expect(faults[0].message).toMatch(/^exited \(exit code 137/);
    expect(faults[1].message).toMatch(/^not reachable over SSH: /);
    expect(faults[2].message).toBe("4 error lines in 1 pattern; most frequent: 'ERROR upstream <ip> timed out after <n> ms (request <uuid>)'");
    expect(r.summary).toContain('| app-1 | api | a2a-app1_api_2 | exited |');
    expect(r.summary).toContain('| api | ERROR upstream &lt;ip&gt; timed out after &lt;n&gt; ms (request &lt;uuid&gt;) | 4 | — | — | 2026-12-01T10:00:01.000Z | 2026-12-01T10:00:09.000Z | app-1 |');
    // Only the running app container gets a process list (postgres is the database's, api_2 is stopped).
    expect(r.summary.match(/<summary>app-1: a2a-app1_api_\d<\/summary>/g)).toEqual(['<summary>app-1: a2a-app1_api_1</summary>']);
    expect(r.summary).toContain("this container's ps (BusyBox) has no --sort: sorted by RSS");
    expect(r.summary.indexOf('8 root     12m')).toBeLessThan(r.summary.indexOf('1 root     1652'));
    expect(r.summary).toContain('app-1: systemd is not running (no /run/systemd/system), so there is no `journalctl -u docker`');
  });
});
