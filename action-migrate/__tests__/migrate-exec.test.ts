// operation: exec in-process over a real SSH connection (ssh2's in-process server running /bin/sh) to a
// stand-in host whose `docker compose exec` runs the "app's migration tool" (a script that records a
// version with psql in PGlite, the real wire protocol): the command runs as plain quoted words in the
// service, a failing tool fails the step with its output, and verify reads the version afterwards.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearSecretsForTest } from '../../shared/src/index.js';
import { migrationsFolder } from '../../test-support/migrate-fixtures.js';
import { runMigrateInProcess } from '../../test-support/migrate-run.js';
import { startPgliteServer, type PgliteServer } from '../../test-support/pglite-server.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';
import { run } from '../src/main.js';

// compose exec -T api <argv>: logs the argv, then runs the app's tool (its behaviour set by a file).
const FAKE_DOCKER = `#!/bin/sh
H=$(dirname "$0")/..
echo "docker $*" >> "$H/calls"
if [ "$1" = compose ] && [ "$2" = version ]; then echo "Docker Compose version v2.29.1"; exit 0; fi
if [ "$1" = compose ]; then
  while [ "$#" -gt 0 ] && [ "$1" != exec ]; do shift; done
  shift; [ "$1" = -T ] && shift
  service=$1; shift
  for a in "$@"; do echo "arg[$a]" >> "$H/calls"; done
  echo "running in $service: $*"
  exec sh "$H/tool.sh" "$@"
fi
echo "docker: not stubbed: $*" >&2; exit 1
`;
const TOOLS = ['setsid', 'tail', 'cat', 'dirname', 'sh', 'psql', 'echo', 'env'];

let root: string;
let host: string;
let ssh: TestSshServer;
let db: PgliteServer;

beforeAll(async () => {
  db = await startPgliteServer();
  root = mkdtempSync(join(tmpdir(), 'a2a-migrate-host-'));
  host = join(root, 'app-1');
  mkdirSync(join(host, 'bin'), { recursive: true });
  for (const tool of TOOLS) symlinkSync(tool === 'sh' ? '/bin/sh' : `/usr/bin/${tool}`, join(host, 'bin', tool));
  writeFileSync(join(host, 'bin', 'docker'), FAKE_DOCKER);
  chmodSync(join(host, 'bin', 'docker'), 0o755);
  mkdirSync(join(host, 'a2a-world'));
  writeFileSync(join(root, 'shell'), `#!/bin/sh\nPATH='${join(host, 'bin')}'\nexport PATH\nexec /bin/sh "$@"\n`);
  chmodSync(join(root, 'shell'), 0o755);
  ssh = await startSshServer({ user: 'deploy', shell: join(root, 'shell') });
}, 60_000);

afterAll(async () => {
  await ssh?.close();
  await db?.stop();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(async () => {
  rmSync(join(host, 'calls'), { force: true });
  await db.db.exec('DROP TABLE IF EXISTS schema_migrations; CREATE TABLE schema_migrations (version text PRIMARY KEY);');
});

/** The app's tool: records `versions` in schema_migrations with psql, then exits with `code`. */
function tool(versions: string[], code = 0): void {
  const inserts = versions.map((v) => `psql -X -q "postgresql://u@127.0.0.1:${db.port}/postgres" -c "INSERT INTO schema_migrations VALUES ('${v}')"`).join('\n');
  writeFileSync(join(host, 'tool.sh'), `${inserts}\necho "applied ${versions.join(' ')}"\n${code ? `echo "migration failed: syntax error" >&2\nexit ${code}` : ''}\n`);
}

const FILES = { '0001_init.sql': 'select 1;\n', '0002_next.sql': 'select 2;\n' };

async function exec(inputs: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-migrate-exec-'));
  writeFileSync(join(dir, 'ops.yml'), `hosts:\n  - name: app-1\n    address: 127.0.0.1\n    port: ${ssh.port}\n    user: deploy\ncompose:\n  project-dir: ${join(host, 'a2a-world')}\n`);
  try {
    return await runMigrateInProcess(run, {
      operation: 'exec',
      config: join(dir, 'ops.yml'),
      hosts: 'app-1',
      'ssh-private-key': ssh.clientKey.privateKey,
      'ssh-fingerprint': ssh.hostKey.fingerprint,
      'database-url': db.url,
      'migrations-dir': migrationsFolder(FILES),
      'exec-command': 'python database/scripts/migration_manager.py --apply',
      'skip-backup': 'true',
      ...inputs
    });
  } finally {
    clearSecretsForTest();
  }
}

const calls = (): string => readFileSync(join(host, 'calls'), 'utf8');

describe('exec', () => {
  it("runs the app's migration command in the api container, then verifies the recorded version is the newest file's", async () => {
    tool(['0001', '0002']);
    const r = await exec();
    expect(r.exitCode).toBeUndefined();
    expect(r.outputs).toMatchObject({ status: 'ok', 'current-version': '0002', 'pending-count': '0' });
    expect(calls()).toMatch(/docker compose .*exec -T api python database\/scripts\/migration_manager\.py --apply/);
    expect(r.log).toContain('applied 0001 0002');
    expect(r.summary).toContain("'api: python database/scripts/migration_manager.py --apply' exited 0");
    expect(r.summary).toContain("returns 0002, the newest migration");
  });

  it('fails the step with the tool\'s own output when it exits non-zero, and verify says where the database stands', async () => {
    tool(['0001'], 3);
    const r = await exec();
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('exited 3');
    expect(r.summary).toContain('migration failed: syntax error');
    expect(r.summary).toContain('returns 0001, but the newest migration in');
  });

  it('passes quoted words through as single arguments, never through a shell', async () => {
    tool(['0001', '0002']);
    await exec({ 'exec-command': `manage.py migrate --label 'two words' "x;y"` });
    expect(calls()).toContain('arg[manage.py]\narg[migrate]\narg[--label]\narg[two words]\narg[x;y]\n');
  });
});
