// Migrations folders for action-migrate's tests and benchmark: a folder from a map of files, and the
// benchmark's small migrations.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `files` into a fresh folder and returns its path. */
export function migrationsFolder(files: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'a2a-migrate-'))): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
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
