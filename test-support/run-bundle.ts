// Runs an action's committed bundle as a GitHub runner does: INPUT_* env, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, a fresh process. Returns what a workflow would see.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BundleRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The parsed `report` output, when the action set one. */
  report?: { status: string; checks: Array<{ id: string; kind: string; target: string; status: string; value?: unknown; message: string }> };
}

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** The env var a runner sets for an input: upper-cased, spaces to `_`, dashes kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Runs `action-<action>/dist/index.js` with the given inputs and extra env; resolves when it exits.
 * `timeoutMs` kills it (and the test fails on the null exit code) rather than hanging the suite.
 */
export async function runBundle(
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
  /** Where the repository's action folders and shared/dist are (a trimmed copy, in bundle tests). */
  root = ROOT
): Promise<BundleRun> {
  const dir = mkdtempSync(join(tmpdir(), `a2a-run-${action}-`));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_WORKSPACE: dir,
    A2A_OPS_STATE_DIR: join(dir, 'state'),
    ...env
  };
  for (const [name, value] of Object.entries(inputs)) childEnv[inputEnvName(name)] = value;

  const child = spawn(process.execPath, [join(root, `action-${action}`, 'dist', 'index.js')], { env: childEnv, cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);

  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
  const report = outputs.report ? JSON.parse(outputs.report) : undefined;
  return { exitCode, stdout, stderr, outputs, summary: readFileSync(summaryFile, 'utf8'), report };
}

/** Parses the `name<<DELIM\nvalue\nDELIM` format @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const [, name, delim] = m;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=');
      out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return out;
}
