// The lint step of `plan`: squawk (transactional and migrate:no-transaction files told apart) plus our
// own rules, merged into one list of findings by file and line.
import { join } from 'node:path';
import { toError } from '../../../shared/src/index.js';
import type { MigrationFile } from '../migrations/read-migrations.js';
import { sortFindings, type LintFinding } from './finding.js';
import { lintWithOwnRules } from './own-rules.js';
import { runSquawk } from './squawk.js';

export interface LintResult {
  findings: LintFinding[];
  /** Set when squawk was not found or failed: only our own rules ran. */
  squawkProblem?: string;
}

/** Lints `migrations` (files in `dir`). `squawk` is the binary, or undefined when none was found. */
export async function lintMigrations(dir: string, migrations: readonly MigrationFile[], squawk: string | { missing: string }): Promise<LintResult> {
  const own = migrations.flatMap((m) => lintWithOwnRules(m.file, m.text ?? '', m.noTransaction ?? false));
  if (typeof squawk !== 'string') return { findings: sortFindings(own), squawkProblem: squawk.missing };
  const byPath = new Map(migrations.map((m) => [join(dir, m.file), m.file]));
  const display = (p: string): string => byPath.get(p) ?? p;
  try {
    const [tx, noTx] = await Promise.all([
      runSquawk(squawk, migrations.filter((m) => !m.noTransaction).map((m) => join(dir, m.file)), { inTransaction: true, display }),
      runSquawk(squawk, migrations.filter((m) => m.noTransaction).map((m) => join(dir, m.file)), { inTransaction: false, display })
    ]);
    return { findings: sortFindings([...tx, ...noTx, ...own]) };
  } catch (error) {
    return { findings: sortFindings(own), squawkProblem: toError(error).message };
  }
}
