// `database-ssh-host` against the lab: the compose `postgres` service of a lab host (no published port)
// read through an SSH tunnel over real sshd, the core's database route (as health uses). Read-only
// operations only: that database belongs to the lab platform, so nothing is written to it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readHostsLab } from '../../test-support/lab-faults.js';
import { readLabPlatform } from '../../test-support/lab-platform.js';
import { migrationsFolder } from '../../test-support/migrate-fixtures.js';
import { runBundle } from '../../test-support/run-bundle.js';

describe('the compose postgres service through database-ssh-host', () => {
  it('reads where the database stands through a tunnel to the container, and never prints the password', async () => {
    const hosts = readHostsLab();
    const platform = readLabPlatform();
    const host = hosts.hosts[0];
    const project = platform.hosts.find((h) => h.name === host.name)?.projectName;
    if (!project) throw new Error(`docker.json has no compose project for lab host ${host.name}: is the docker part up?`);
    const dir = migrationsFolder({ '0001_a.sql': 'CREATE TABLE a2a_migrate_never_applied (i int);\n', '0002_b.sql': 'SELECT 1;\n' });
    writeFileSync(join(dir, 'ops.yml'), `hosts:\n  - name: ${host.name}\n    address: ${host.address}\n    port: ${host.port}\n    user: ${hosts.user}\n`);
    const pg = platform.postgres;
    const r = await runBundle('migrate', {
      operation: 'status',
      config: join(dir, 'ops.yml'),
      'migrations-dir': dir,
      'database-url': `postgresql://${pg.user}:${encodeURIComponent(pg.password)}@${pg.service}:${pg.port}/${pg.database}`,
      'database-ssh-host': host.name,
      'compose-project': project,
      'ssh-private-key': readFileSync(hosts.privateKeyPath, 'utf8'),
      'ssh-fingerprint': host.fingerprint,
      issue: 'off'
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'warn', 'pending-count': '2', 'applied-count': '0' });
    expect(r.stdout).toMatch(new RegExp(`Database reached through an SSH tunnel on ${host.name} to container ${project}[_-]postgres[_-]1 at \\d+\\.\\d+\\.\\d+\\.\\d+:5432`));
    expect(r.summary).toContain(`${pg.user}@${pg.service}:${pg.port}/${pg.database} via ${host.name}`);
    const visible = [r.stdout.replace(/^::add-mask::.*$/gm, ''), r.stderr, r.summary, JSON.stringify(r.outputs)].join('\n');
    expect(visible).not.toContain(pg.password);
  }, 60_000);
});
