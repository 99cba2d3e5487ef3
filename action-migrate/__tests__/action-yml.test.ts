// action.yml is the user's contract: every input the code reads is declared and described, and nothing
// else; every output the code sets is declared; the defaults in action.yml are the code's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { COMMON_INPUTS, COMMON_OUTPUTS, SSH_INPUTS } from '../../shared/src/contract.js';
import { defaultConfig } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { migrationsFolder } from '../../test-support/migrate-fixtures.js';
import { DEFAULT_MIGRATIONS_DIR, MIGRATE_INPUTS, MIGRATE_OUTPUTS, readMigrateInputs } from '../src/inputs.js';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each with a description', () => {
    const read = [...Object.values(COMMON_INPUTS), ...Object.values(SSH_INPUTS), ...Object.values(MIGRATE_INPUTS)].sort();
    expect(Object.keys(action.inputs).sort()).toEqual(read);
    for (const [name, input] of Object.entries(action.inputs)) expect([name, input.description.length > 20]).toEqual([name, true]);
  });

  it('declares the outputs the action sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...Object.values(COMMON_OUTPUTS), ...Object.values(MIGRATE_OUTPUTS)].sort());
  });

  it('runs the bundle on node24, apply by default', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect([action.inputs.operation.default, action.inputs['migrations-dir'].default]).toEqual(['apply', DEFAULT_MIGRATIONS_DIR]);
  });

  it('has the same defaults whether the runner passes action.yml\'s or the inputs are absent', () => {
    const workspace = migrationsFolder({});
    migrationsFolder({}, `${workspace}/migrations`);
    const read = (inputs: Record<string, string>): unknown => {
      const env = setActionEnv({ 'database-url': 'postgresql://u:pw@db.example.com/a2a_world', ...inputs });
      try {
        return readMigrateInputs({ config: defaultConfig(), common: { issue: 'off', failOn: 'fail' }, eventName: 'workflow_dispatch' }, workspace);
      } finally {
        env.restore();
      }
    };
    const defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([name, i]) => i.default !== undefined && (Object.values(MIGRATE_INPUTS) as string[]).includes(name))
        .map(([name, i]) => [name, i.default as string])
    );
    expect(read(defaults)).toEqual(read({}));
  });
});
