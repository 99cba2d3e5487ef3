// action.yml is the user's contract: every input the code reads is declared and described, nothing else,
// and the declared defaults are the ones the code falls back on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { COMMON_INPUTS, COMMON_OUTPUTS, SSH_INPUTS } from '../../shared/src/contract.js';
import { defaultConfig } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { DATABASE_INPUTS, DATABASE_OUTPUTS, OPERATIONS, readDatabaseInputs } from '../src/inputs.js';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each with a description', () => {
    // `hosts` is an SSH input the database route does not read (it names its one host in database-ssh-host).
    const read = [...Object.values(COMMON_INPUTS), ...Object.values(SSH_INPUTS).filter((n) => n !== SSH_INPUTS.hosts), ...Object.values(DATABASE_INPUTS)].sort();
    expect(Object.keys(action.inputs).sort()).toEqual(read);
    for (const [name, input] of Object.entries(action.inputs)) expect([name, input.description.length > 20]).toEqual([name, true]);
  });

  it('declares the common outputs and its own', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...Object.values(COMMON_OUTPUTS), ...Object.values(DATABASE_OUTPUTS)].sort());
  });

  it('runs the bundle on node24 with the contract defaults', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect([action.inputs.issue.default, action.inputs['fail-on'].default, action.inputs['github-token'].default]).toEqual(['auto', 'fail', '${{ github.token }}']);
  });
});

describe('defaults', () => {
  it.each(OPERATIONS)('are the same for %s whether the runner passes the action.yml defaults or the inputs are absent', (operation) => {
    const read = (inputs: Record<string, string>): unknown => {
      const env = setActionEnv({ 'database-url': 'postgresql://u:p@127.0.0.1:9/db', ...inputs, operation });
      try {
        return readDatabaseInputs({ config: defaultConfig(), common: { issue: 'off', failOn: 'fail' }, eventName: 'workflow_dispatch' });
      } finally {
        env.restore();
      }
    };
    const own = Object.values(DATABASE_INPUTS) as string[];
    const declared = Object.fromEntries(Object.entries(action.inputs).filter(([n, i]) => own.includes(n) && i.default !== undefined).map(([n, i]) => [n, String(i.default)]));
    expect(Object.keys(declared).length).toBeGreaterThan(8);
    expect(read(declared)).toEqual(read({}));
  });
});

describe('bad inputs', () => {
  const read = (inputs: Record<string, string>, eventName = 'workflow_dispatch'): unknown => {
    const env = setActionEnv(inputs);
    try {
      return readDatabaseInputs({ config: defaultConfig(), common: { issue: 'off', failOn: 'fail' }, eventName });
    } finally {
      env.restore();
    }
  };
  const url = 'postgresql://u:Secr3t-pw@127.0.0.1:9/db';
  it.each<[string, Record<string, string>, RegExp]>([
    ['an unknown operation', { operation: 'drop-everything', 'database-url': url }, /Input 'operation' must be one of 'report', 'vacuum-analyze', 'terminate-long-queries'/],
    ['no database', {}, /Input 'database-url' is required/],
    ['a URL that is not postgres', { 'database-url': 'mysql://u:p@h/db' }, /Input 'database-url' must start with postgresql:\/\//],
    ['a duration without a unit', { 'database-url': url, 'lock-timeout': '500' }, /Input 'lock-timeout' must be a duration with its unit.*write '500ms' or '500s'/],
    ['a cap of zero', { 'database-url': url, operation: 'terminate-long-queries', 'max-targets': '0' }, /Input 'max-targets' must be at least 1/],
    ['a truthy string', { 'database-url': url, operation: 'terminate-long-queries', 'dry-run': 'yes' }, /Input 'dry-run' must be 'true' or 'false'/],
    ['a minimum duration under a second', { 'database-url': url, operation: 'terminate-long-queries', 'min-duration': '10ms' }, /Input 'min-duration' must be between 1s and 7d/],
    ['database-ssh-host without a key', { 'database-url': url, 'database-ssh-host': 'app1' }, /Input 'database-ssh-host' needs SSH credentials/]
  ])('%s is refused, naming the input', (_name, inputs, message) => {
    expect(() => read(inputs)).toThrow(message);
  });

  it('never echoes the password of a bad URL', () => {
    expect(() => read({ 'database-url': 'mysql://u:Secr3t-pw@h/db' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('Secr3t-pw') }));
  });
});
