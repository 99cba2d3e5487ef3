// Sets up the environment a runner gives an action, for in-process tests of the run funnel.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputEnvName, parseOutputFile } from './run-bundle.js';

export interface ActionEnv {
  dir: string;
  outputs(): Record<string, string>;
  summary(): string;
  /** Restores the environment and process.exitCode as they were. */
  restore(): void;
}

/** Points INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and the state dir at a fresh temp folder. */
export function setActionEnv(inputs: Record<string, string>, env: Record<string, string> = {}, dir?: string): ActionEnv {
  const work = dir ?? mkdtempSync(join(tmpdir(), 'a2a-env-'));
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const outputFile = join(work, 'output');
  const summaryFile = join(work, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  Object.assign(process.env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: work,
    A2A_OPS_STATE_DIR: join(work, 'state'),
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    ...env
  });
  delete process.env.GITHUB_REPOSITORY;
  if (env.GITHUB_REPOSITORY) process.env.GITHUB_REPOSITORY = env.GITHUB_REPOSITORY;
  for (const [name, value] of Object.entries(inputs)) process.env[inputEnvName(name)] = value;
  return {
    dir: work,
    outputs: () => parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: () => readFileSync(summaryFile, 'utf8'),
    restore: () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      process.exitCode = undefined;
    }
  };
}
