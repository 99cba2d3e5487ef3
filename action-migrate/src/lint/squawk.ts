// Runs squawk (npm squawk-cli, a prebuilt Rust binary per platform) over the migration files and turns
// its JSON report into findings. The binary is not bundled (25 MB against a dist budget of a few MB): the
// workflow installs `squawk-cli@2.66.0` and the action finds it through `squawk-path` (see README.md).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { LintFinding } from './finding.js';

/** The squawk version the workflows install and the tests run; what the rule list below was checked against. */
export const SQUAWK_VERSION = '2.66.0';

/**
 * Rules left out: the action itself sets lock_timeout and statement_timeout on the session that applies
 * (inputs `lock-timeout`, `statement-timeout`), so squawk's reminders to set them in the file are noise.
 */
export const SQUAWK_EXCLUDED_RULES = ['require-lock-timeout', 'require-statement-timeout'] as const;

// Where squawk says nothing about the fix (help null), what to do instead.
const ALTERNATIVES: Record<string, string> = {
  'prefer-robust-stmts': 'Use IF NOT EXISTS / IF EXISTS so a re-run after a partial failure succeeds.',
  'renaming-column': 'Add the new column, write both, backfill, move readers, then drop the old one in a later release.',
  'renaming-table': 'Create the new table (or a view under the new name), move readers and writers, then drop the old one later.',
  'ban-drop-table': 'Stop every reader and writer first (a release earlier), then drop it in its own migration.',
  'ban-drop-column': 'Stop reading and writing the column a release earlier, then drop it in its own migration.',
  'changing-column-type': 'Add a new column of the new type, backfill in batches, switch readers, then drop the old column.',
  'adding-required-field': 'Add the column nullable (or with a constant DEFAULT), backfill, then add a CHECK (col IS NOT NULL) NOT VALID and VALIDATE it.',
  'transaction-nesting': 'Remove BEGIN/COMMIT: the action runs each migration in its own transaction (or none, with -- migrate:no-transaction).'
};

interface SquawkJsonFinding {
  file: string;
  line: number;
  column: number;
  level: string;
  message: string;
  help: string | null;
  rule_name: string;
}

/** squawk could not be run or answered something other than its JSON report. */
export class SquawkError extends Error {
  override name = 'SquawkError';
}

/**
 * Finds the squawk binary: `configured` as given (a path, or a command name looked up on PATH), else
 * `squawk` on PATH, else `<workspace>/node_modules/.bin/squawk` (a repository that has squawk-cli as a dev
 * dependency). Undefined when none exists.
 */
export function locateSquawk(configured: string | undefined, workspace: string, path = process.env.PATH ?? ''): string | undefined {
  const onPath = (name: string): string | undefined =>
    path
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, name))
      .find((p) => existsSync(p));
  if (configured) return configured.includes('/') ? (existsSync(configured) ? configured : undefined) : onPath(configured);
  return onPath('squawk') ?? [join(workspace, 'node_modules', '.bin', 'squawk')].find((p) => existsSync(p));
}

/**
 * Lints `files` (absolute paths) with squawk's JSON reporter. `inTransaction` adds
 * `--assume-in-transaction` (the action wraps each transactional file in one). `display` maps a path back
 * to the name shown in findings.
 */
export async function runSquawk(
  binary: string,
  files: readonly string[],
  opts: { inTransaction: boolean; display: (path: string) => string; timeoutMs?: number }
): Promise<LintFinding[]> {
  if (files.length === 0) return [];
  const args = ['--reporter', 'json', '--exclude', SQUAWK_EXCLUDED_RULES.join(','), opts.inTransaction ? '--assume-in-transaction' : '--no-assume-in-transaction', ...files];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(binary, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 }, (error, out, err) => {
      const c = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
      resolve({ code: error && c === null ? -1 : c, stdout: String(out), stderr: String(err) + (error && c === null ? error.message : '') });
    });
  });
  // 0: clean, 1: findings; anything else (or no JSON) is squawk failing.
  if (code !== 0 && code !== 1) throw new SquawkError(`squawk (${binary}) failed with exit code ${code}: ${stderr.trim().slice(0, 300) || stdout.slice(0, 300)}`);
  let parsed: SquawkJsonFinding[];
  try {
    // Exit 1 means findings, so it must come with them; a silent exit 1 is a binary that is not squawk.
    if (!stdout.trim() && code === 1) throw new Error('no output');
    parsed = stdout.trim() ? (JSON.parse(stdout) as SquawkJsonFinding[]) : [];
    if (!Array.isArray(parsed)) throw new Error('not a list');
  } catch {
    throw new SquawkError(`squawk (${binary}) did not print its JSON report: ${stdout.slice(0, 200)} ${stderr.slice(0, 200)}`);
  }
  return parsed.map((f) => ({
    file: opts.display(f.file),
    // squawk's JSON lines are 0-based.
    line: f.line + 1,
    rule: `squawk/${f.rule_name}`,
    level: f.level.toLowerCase() === 'error' ? 'error' : 'warning',
    message: f.message,
    alternative: f.help ?? ALTERNATIVES[f.rule_name] ?? `See https://squawkhq.com/docs/${f.rule_name}.`
  }));
}
