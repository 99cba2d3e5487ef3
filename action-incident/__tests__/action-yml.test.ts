// action.yml is the user's contract: every input the code reads is declared and described, and nothing else.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { COMMON_INPUTS, COMMON_OUTPUTS, SSH_INPUTS } from '../../shared/src/contract.js';
import { defaultConfig } from '../../shared/src/index.js';
import { setActionEnv } from '../../test-support/action-env.js';
import { INCIDENT_INPUTS, INCIDENT_OUTPUTS, readIncidentInputs } from '../src/inputs.js';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each with a description', () => {
    const read = [...Object.values(COMMON_INPUTS), ...Object.values(SSH_INPUTS), ...Object.values(INCIDENT_INPUTS)].sort();
    expect(Object.keys(action.inputs).sort()).toEqual(read);
    for (const [name, input] of Object.entries(action.inputs)) expect([name, input.description.length > 20]).toEqual([name, true]);
  });

  it('declares the common outputs and its own', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...Object.values(COMMON_OUTPUTS), ...Object.values(INCIDENT_OUTPUTS)].sort());
  });

  it('runs the bundle on node24 with the contract defaults', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect([action.inputs.issue.default, action.inputs['fail-on'].default, action.inputs['github-token'].default]).toEqual(['auto', 'fail', '${{ github.token }}']);
  });

  it('has the same defaults whether the runner passes the action.yml defaults or the inputs are absent', () => {
    const read = (inputs: Record<string, string>): unknown => {
      const env = setActionEnv(inputs);
      try {
        return readIncidentInputs({ config: defaultConfig(), common: { issue: 'off', failOn: 'fail' }, eventName: 'workflow_dispatch' });
      } finally {
        env.restore();
      }
    };
    const own = Object.values(INCIDENT_INPUTS) as string[];
    const declared = Object.fromEntries(Object.entries(action.inputs).filter(([n, i]) => own.includes(n) && i.default !== undefined).map(([n, i]) => [n, String(i.default)]));
    expect(Object.keys(declared).length).toBeGreaterThan(5);
    expect(read(declared)).toEqual(read({}));
  });
});
