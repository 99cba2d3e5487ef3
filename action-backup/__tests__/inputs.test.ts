// action-backup's contract: action.yml declares exactly what the code reads, and every bad input fails
// the step with an ::error:: naming the input and the fix, before anything is touched (no directory
// created, no connection attempted: the database URL points at a port nobody listens on).
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMMON_INPUTS, COMMON_OUTPUTS, SSH_INPUTS, clearSecretsForTest, runAction } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';
import { BACKUP_INPUTS, BACKUP_OUTPUTS } from '../src/inputs.js';
import { definition } from '../src/main.js';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...Object.values(COMMON_INPUTS), ...Object.values(SSH_INPUTS), ...Object.values(BACKUP_INPUTS)].sort());
    for (const [name, input] of Object.entries(action.inputs)) expect([name, input.description.length > 20]).toEqual([name, true]);
  });
  it('declares the outputs the action sets and runs the bundle on node24', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...Object.values(COMMON_OUTPUTS), ...Object.values(BACKUP_OUTPUTS)].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
  it('documents the defaults the code applies', () => {
    expect([action.inputs.operation.default, action.inputs.targets.default, action.inputs.destination.default, action.inputs['max-age'].default, action.inputs['data-dir'].default]).toEqual([
      'backup',
      'database',
      'backups',
      '26h',
      '/opt/a2a-world/data'
    ]);
  });
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
afterEach(() => clearSecretsForTest());

const DEAD_URL = 'postgresql://a2a_user:s3cret-pw@127.0.0.1:1/a2a_world';
const AGE_KEY = 'AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSKRXF2A';

async function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<{ errors: string[]; exitCode: number | undefined; printed: string; destination: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-backup-inputs-'));
  dirs.push(dir);
  const destination = join(dir, 'never-created');
  const actionEnv = setActionEnv({ issue: 'off', destination, ...inputs }, env, dir);
  capturedStdout();
  try {
    await runAction(definition);
    const printed = capturedStdout();
    return { printed, errors: printed.split('\n').filter((l) => l.startsWith('::error::')), exitCode: process.exitCode as number | undefined, destination };
  } finally {
    actionEnv.restore();
  }
}

describe('input validation', () => {
  it.each([
    { name: 'an unknown operation', inputs: { operation: 'backupp' }, error: "Input 'operation' must be one of 'backup', 'verify', 'list', 'freshness', 'prune', 'restore', got 'backupp'." },
    { name: 'an unknown target', inputs: { targets: 'database, logs' }, error: "Input 'targets': 'logs' is not a target; use any of database, volumes, config." },
    { name: 'a database URL that is not postgres', inputs: { 'database-url': 'mysql://u:p@h/db' }, error: "Input 'database-url' must start with postgresql:// or postgres://" },
    { name: 'a database URL without a database', inputs: { 'database-url': 'postgresql://u:p@h:5432' }, error: "Input 'database-url' names no database" },
    { name: 'verify without any server for the scratch database', inputs: { operation: 'verify' }, error: "Operation 'verify' restores into a throwaway database: pass 'scratch-database-url'" },
    { name: 'prune without a policy', inputs: { operation: 'prune' }, error: "Operation 'prune' needs 'retention', e.g. 'last=3,daily=7,weekly=4,monthly=6'." },
    { name: 'a retention with an unknown key', inputs: { operation: 'prune', retention: 'yearly=2' }, error: "Input 'retention': unknown key 'yearly'" },
    { name: 'a config backup without a key', inputs: { targets: 'config', 'database-url': DEAD_URL }, error: "Target 'config' holds secrets (.env.production) and is always encrypted: pass 'encryption-key'" },
    { name: 'an encryption key that is not an age identity', inputs: { targets: 'config', 'encryption-key': 'hunter2-hunter2' }, error: "Input 'encryption-key' must be an age identity" },
    { name: 'restore without confirm', inputs: { operation: 'restore', 'database-url': DEAD_URL }, error: "Operation 'restore' overwrites the database 'a2a_world': set 'confirm' to exactly 'a2a_world' to confirm." },
    { name: 'restore with the wrong confirm', inputs: { operation: 'restore', 'database-url': DEAD_URL, confirm: 'a2a_worl' }, error: "set 'confirm' to exactly 'a2a_world' to confirm (got 'a2a_worl')." },
    { name: 'restore in compose mode', inputs: { operation: 'restore', confirm: 'a2a_world' }, error: "Operation 'restore' needs 'database-url'" },
    { name: 'a freshness limit without a unit', inputs: { operation: 'freshness', 'max-age': '26' }, error: "Input 'max-age' must be a duration with its unit" },
    { name: 'a freshness limit under a minute', inputs: { operation: 'freshness', 'max-age': '10s' }, error: "Input 'max-age' must be at least 1m, got '10s'." },
    { name: 'a data dir with a shell metacharacter', inputs: { targets: 'volumes', 'data-dir': '/opt/a2a-world/data;rm -rf /' }, error: "Input 'data-dir'" },
    { name: 'a DigitalOcean token without the database id', inputs: { operation: 'list', 'digitalocean-token': 'dop_v1_abcdef' }, error: "needs both 'digitalocean-token' and 'digitalocean-database-id'" },
    { name: 'a DigitalOcean id that is no UUID', inputs: { operation: 'list', 'digitalocean-token': 'dop_v1_abcdef', 'digitalocean-database-id': 'a2a-db' }, error: "Input 'digitalocean-database-id' must be the cluster UUID" }
  ])('refuses $name before touching anything', async ({ inputs, error }) => {
    const r = await run(inputs as unknown as Record<string, string>);
    expect(r.exitCode).toBe(1);
    expect(r.errors.join('\n')).toContain(error);
    expect(existsSync(r.destination)).toBe(false);
    expect(r.printed.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain('s3cret-pw');
  });

  it.each(['pull_request', 'pull_request_target', 'workflow_run'])('refuses every operation on %s events, before a secret is read', async (event) => {
    const r = await run({ operation: 'list', 'database-url': DEAD_URL, 'encryption-key': AGE_KEY }, { GITHUB_EVENT_NAME: event });
    expect(r.exitCode).toBe(1);
    expect(r.errors.join('\n')).toContain(`changes production and refuses to run on '${event}' events`);
  });

  it('restore refuses a schedule: a person must ask for it', async () => {
    const r = await run({ operation: 'restore', 'database-url': DEAD_URL, confirm: 'a2a_world' }, { GITHUB_EVENT_NAME: 'schedule' });
    expect(r.errors.join('\n')).toContain("Operation 'restore' overwrites the live database and runs only on workflow_dispatch");
  });

  it('a valid run for contrast: list of an empty directory succeeds and says there are no backups', async () => {
    const r = await run({ operation: 'list' });
    expect(r.exitCode).toBeUndefined();
    expect(r.printed).toContain('Backups: OK');
  });
});
