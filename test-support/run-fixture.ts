// Runs test-support/fixtures/<name>.ts in a fresh node process (through tsx) as a runner runs an
// action, and lets a test signal it once it has printed a marker.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile } from './run-bundle.js';

export interface FixtureRun {
  child: ChildProcess;
  /** The GITHUB_STATE file the run saved its state to (what a runner hands the post step). */
  stateFile: string;
  /** Resolves once stdout contains `marker`. */
  printed(marker: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; outputs: Record<string, string>; summary: string; ms: number }>;
}

/** Starts the fixture; `args` go to it (`['post']` runs its post step). */
export function startFixture(name: string, env: Record<string, string>, args: string[] = []): FixtureRun {
  const dir = mkdtempSync(join(tmpdir(), `a2a-fixture-${name}-`));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(join(dir, 'state'), '');
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', `${name}.ts`), ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, RUNNER_TEMP: dir, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_STATE: join(dir, 'state'), A2A_OPS_STATE_DIR: join(dir, 'ops-state'), INPUT_ISSUE: 'off', ...env },
    cwd: join(import.meta.dirname, '..')
  });
  let stdout = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr?.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; outputs: Record<string, string>; summary: string; ms: number }>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8'), ms: Date.now() - started })
    )
  );
  const printed = (marker: string, timeoutMs = 30_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fixture ${name} did not print '${marker}' within ${timeoutMs} ms; it printed:\n${stdout}`)), timeoutMs);
      const check = (): void => {
        if (stdout.includes(marker)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { child, printed, exited, stateFile: join(dir, 'state') };
}
