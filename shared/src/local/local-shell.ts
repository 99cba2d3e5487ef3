// Commands on the runner itself (a lock in the workspace, pg_dump on the runner, certbot in a job),
// run through @actions/exec with the same result shape as remote exec, so the same code serves both.
import { getExecOutput } from '@actions/exec';
import type { ExecOptions, ExecResult } from '../ssh/types.js';

/** `sh -c` on the runner, shaped like an SSH session's exec (output kept, never echoed to the log). */
export class LocalShell {
  readonly label = 'runner';

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    // coreutils' timeout kills the whole command (and, 5 s later, whatever ignores TERM) at the bound.
    const [file, args] = opts.timeoutMs
      ? ['timeout', ['--kill-after=5', `${Math.max(1, Math.ceil(opts.timeoutMs / 1000))}s`, 'sh', '-c', command]]
      : ['sh', ['-c', command]];
    const r = await getExecOutput(file, args, {
      cwd: opts.cwd,
      input: opts.stdin === undefined ? undefined : Buffer.from(opts.stdin),
      ignoreReturnCode: true,
      silent: true
    });
    const timedOut = opts.timeoutMs !== undefined && (r.exitCode === 124 || r.exitCode === 137);
    return { code: timedOut ? null : r.exitCode, stdout: r.stdout, stderr: r.stderr, truncated: false, durationMs: Date.now() - started, timedOut };
  }
}
