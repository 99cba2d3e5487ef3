// Runs the health action in this process the way the runner would (INPUT_* env, output and summary
// files, state dir), capturing what it printed. Temp dirs are removed by `cleanupRuns`.
import { rmSync } from 'node:fs';
import { setActionEnv } from '../../../test-support/action-env.js';

/** What one run left behind. */
export interface HealthRun {
  outputs: Record<string, string>;
  summary: string;
  /** Everything the action printed (the runner's log). */
  log: string;
  exitCode: number | undefined;
  /** The run's temp dir; pass it to the next run to keep state (history, issue memory). */
  dir: string;
}

const dirs = new Set<string>();

/**
 * Runs `run` (the action's exported run()) with `inputs` (issue defaults to off) and extra env.
 * `dir` reuses an earlier run's directory and therefore its state.
 */
export async function runInProcess(run: () => Promise<void>, inputs: Record<string, string>, extraEnv: Record<string, string> = {}, dir?: string): Promise<HealthRun> {
  const env = setActionEnv({ issue: 'off', ...inputs }, extraEnv, dir);
  dirs.add(env.dir);
  process.exitCode = undefined;
  let log = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    log += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
    return { outputs: env.outputs(), summary: env.summary(), log, exitCode: process.exitCode as number | undefined, dir: env.dir };
  } finally {
    process.stdout.write = write;
    env.restore();
  }
}

/** Removes every temp dir the runs of this test file created. */
export function cleanupRuns(): void {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

/** The `report` output, parsed. */
export function reportOf(run: HealthRun): { status: string; checks: Array<{ id: string; kind: string; target: string; status: string; value?: unknown; message: string; details?: string }> } {
  if (!run.outputs.report) throw new Error(`the run set no report output; log:\n${run.log.slice(-3000)}`);
  return JSON.parse(run.outputs.report);
}
