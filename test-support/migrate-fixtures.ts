// Migrations folders and runs of action-migrate for its tests and benchmark: a folder from a map of
// files, the action run in-process through the funnel, and the bundle run as the runner runs it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setActionEnv } from './action-env.js';
import { capturedStdout } from './quiet-stdout.js';

/** Writes `files` into a fresh folder and returns its path. */
export function migrationsFolder(files: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'a2a-migrate-'))): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** What one in-process run left behind. */
export interface MigrateRun {
  outputs: Record<string, string>;
  summary: string;
  /** stdout without ::add-mask:: lines (what a person sees in the log). */
  log: string;
  exitCode: number | undefined;
}

/** Runs action-migrate's `run()` in-process with these inputs (a workflow_dispatch event unless `env` says otherwise). */
export async function runMigrateInProcess(run: () => Promise<void>, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<MigrateRun> {
  const e = setActionEnv({ issue: 'off', ...inputs }, env);
  capturedStdout();
  try {
    await run();
    return {
      outputs: e.outputs(),
      summary: e.summary(),
      log: capturedStdout().replace(/^::add-mask::.*$/gm, ''),
      exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined
    };
  } finally {
    e.restore();
  }
}

/** `n` small migrations as in the benchmark: a table, an index on it, a row. */
export function smallMigrations(n: number, width = 4): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    const v = String(i).padStart(width, '0');
    files[`${v}_t${i}.sql`] = `CREATE TABLE bench_t${i} (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE INDEX bench_t${i}_name_idx ON bench_t${i} (name);\nINSERT INTO bench_t${i} VALUES (${i}, 'row ${i}');\n`;
  }
  return files;
}
