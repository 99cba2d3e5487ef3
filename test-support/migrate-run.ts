// action-migrate run in-process through the funnel, for its hermetic tests (jest's quiet-stdout setup
// keeps what it prints; this reads it back).
import { setActionEnv } from './action-env.js';
import { capturedStdout } from './quiet-stdout.js';

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
  // A suite before this one in the same process may have left a failure code behind.
  process.exitCode = undefined;
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
