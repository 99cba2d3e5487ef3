// Every action folder keeps the contract: node24 bundle entry, branding, every input and output
// described, the common inputs with their defaults, and a README that documents each input.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { COMMON_INPUTS, COMMON_OUTPUTS } from '../../shared/src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const actions = readdirSync(ROOT).filter((d) => d.startsWith('action-')).sort();

interface ActionYml {
  name: string;
  description: string;
  branding?: { icon?: string; color?: string };
  inputs: Record<string, { description?: string; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

describe.each(actions)('%s', (action) => {
  const meta = parseYaml(readFileSync(join(ROOT, action, 'action.yml'), 'utf8')) as ActionYml;
  const readme = readFileSync(join(ROOT, action, 'README.md'), 'utf8');

  it('runs its committed bundle on node24 (and its post step, when it has one, from its own bundle)', () => {
    const hasPost = existsSync(join(ROOT, action, 'src', 'post.ts'));
    expect(meta.runs).toEqual({ using: 'node24', main: 'dist/index.js', ...(hasPost ? { post: 'dist/post/index.js' } : {}) });
    expect(existsSync(join(ROOT, action, 'dist', 'index.js'))).toBe(true);
    if (hasPost) expect(existsSync(join(ROOT, action, 'dist', 'post', 'index.js'))).toBe(true);
    expect(readFileSync(join(ROOT, action, 'src', 'index.ts'), 'utf8')).toMatch(/import \{ run \} from '\.\/main\.js';\s+await run\(\);\s*$/);
  });

  it('has a name, a description and branding', () => {
    expect(meta.name).toBeTruthy();
    expect(meta.description).toBeTruthy();
    expect(meta.branding?.icon).toBeTruthy();
    expect(meta.branding?.color).toBeTruthy();
  });

  it('describes every input and output', () => {
    for (const [name, spec] of Object.entries(meta.inputs)) expect([name, Boolean(spec.description?.trim())]).toEqual([name, true]);
    for (const [name, spec] of Object.entries(meta.outputs)) expect([name, Boolean(spec.description?.trim())]).toEqual([name, true]);
  });

  it('accepts the common inputs with their defaults and sets the common outputs', () => {
    expect(Object.keys(meta.inputs)).toEqual(expect.arrayContaining(Object.values(COMMON_INPUTS)));
    expect(meta.inputs[COMMON_INPUTS.githubToken].default).toBe('${{ github.token }}');
    expect(meta.inputs[COMMON_INPUTS.issue].default).toBe('auto');
    expect(meta.inputs[COMMON_INPUTS.failOn].default).toBe('fail');
    expect(Object.keys(meta.outputs)).toEqual(expect.arrayContaining(Object.values(COMMON_OUTPUTS)));
  });

  it('documents every input and output in its README', () => {
    for (const name of [...Object.keys(meta.inputs), ...Object.keys(meta.outputs)]) expect([name, readme.includes(`\`${name}\``)]).toEqual([name, true]);
    expect(readme).toMatch(/```yaml[\s\S]*uses: a2a-world\/a2a-ops\/action-[a-z]+@<full-commit-sha> # vX\.Y\.Z/);
  });
});
