// Each repository workflow rule catches a seeded bad workflow, and passes a good one.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWorkflow } from '../workflow-rules.js';

const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8';
const good = `
on: { workflow_dispatch: {} }
permissions: { contents: read }
jobs:
  deploy:
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    concurrency: { group: production, cancel-in-progress: false }
    permissions: { contents: read, issues: write }
    steps:
      - id: checkout
        uses: ${CHECKOUT}
        with: { persist-credentials: false }
      - id: deploy
        uses: ./action-deploy
      - id: note
        env: { NOTE: "\${{ inputs.note }}" }
        run: echo "$NOTE"
`;

describe('workflow rules', () => {
  it('pass a workflow that follows every rule', () => {
    expect(checkWorkflow(good, 'good.yml')).toEqual([]);
  });

  it.each([
    { rule: 'no-pull-request-target', bad: good.replace('workflow_dispatch: {}', 'pull_request_target: {}') },
    { rule: 'top-level-permissions', bad: good.replace('permissions: { contents: read }\n', '') },
    { rule: 'top-level-permissions', bad: good.replace('permissions: { contents: read }\n', 'permissions: { contents: write }\n') },
    { rule: 'pin-by-sha', bad: good.replace(CHECKOUT, 'actions/checkout@v5') },
    { rule: 'checkout-no-credentials', bad: good.replace('with: { persist-credentials: false }', 'with: { fetch-depth: 1 }') },
    { rule: 'no-untrusted-expression-in-run', bad: good.replace('run: echo "$NOTE"', 'run: echo "${{ github.event.issue.title }}"') },
    { rule: 'no-untrusted-expression-in-run', bad: good.replace('run: echo "$NOTE"', 'run: echo "${{ inputs.note }}"') },
    { rule: 'production-concurrency', bad: good.replace('cancel-in-progress: false', 'cancel-in-progress: true') },
    { rule: 'production-timeout', bad: good.replace('    timeout-minutes: 30\n', '') },
    { rule: 'step-id', bad: good.replace('      - id: deploy\n        uses: ./action-deploy', '      - uses: ./action-deploy') }
  ])('catch a workflow breaking $rule', ({ rule, bad }) => {
    expect(checkWorkflow(bad, 'bad.yml').map((v) => v.rule)).toContain(rule);
  });

  it("hold for every workflow in this repository", () => {
    const dir = join(import.meta.dirname, '../../.github/workflows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(checkWorkflow(readFileSync(join(dir, f), 'utf8'), f)).toEqual([]);
  });
});
