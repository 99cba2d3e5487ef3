// Reads what `lab/lab.sh up` started. A lab test that finds its part down fails loudly — it never skips.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the lab keeps its state: the same default as lab/lab.sh. */
export const LAB_DIR = process.env.A2A_LAB_DIR ?? '/tmp/a2a-ops-lab';

/**
 * Returns the description `lab/parts/<part>.sh up` wrote to `$A2A_LAB_DIR/<part>.json`.
 * Throws when the part is not up, so the test fails with the command that fixes it.
 */
export function readLabPart<T>(part: string): T {
  const file = join(LAB_DIR, `${part}.json`);
  if (!existsSync(file)) {
    throw new Error(`lab part '${part}' is not up (no ${file}): run 'npm run lab up' (or 'bash lab/lab.sh up ${part}') first`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
