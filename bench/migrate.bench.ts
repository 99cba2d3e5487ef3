// Benchmark: applying 500 small migrations (a table, an index on it, a row each) to a fresh database on
// the lab's PostgreSQL 15, three ways in one run:
//  - action-migrate apply (the bundle, start-up to exit: lock, one transaction per migration with its
//    schema_migrations row, the runbook's verification query);
//  - psql running the same files in one session (`psql -f f1 -f f2 ...`, autocommit, no bookkeeping);
//  - one `psql -1 -f` per file (a transaction per migration, as a shell loop over the folder would).
// Target (issue 11): within 2× of the one-session psql. Needs the lab.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { migrationsFolder, smallMigrations } from '../test-support/migrate-fixtures.js';
import { MigrateLab } from '../test-support/migrate-lab.js';
import { runBundle } from '../test-support/run-bundle.js';
import type { BenchResult } from './types.js';

const COUNT = 500;
const ROUNDS = 3;

function psqlEnv(url: string): { conninfo: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { conninfo: u.toString(), env: { ...process.env, PGPASSWORD: password } };
}

export default async function migrateBench(): Promise<BenchResult[]> {
  const lab = new MigrateLab();
  const files = smallMigrations(COUNT);
  const dir = migrationsFolder(files);
  const paths = Object.keys(files).sort().map((f) => join(dir, f));
  try {
    const runOneSession = async (round: number): Promise<number> => {
      const db = await lab.createDatabase(`bench_psql_${round}`);
      const s = psqlEnv(db.url);
      const t = performance.now();
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', s.conninfo, ...paths.flatMap((p) => ['-f', p])], { env: s.env, stdio: 'pipe' });
      return performance.now() - t;
    };
    const runOurs = async (round: number): Promise<number> => {
      const db = await lab.createDatabase(`bench_ours_${round}`);
      const t = performance.now();
      const r = await runBundle('migrate', { operation: 'apply', 'database-url': db.url, 'migrations-dir': dir, issue: 'off' }, {}, 300_000);
      const ms = performance.now() - t;
      if (r.exitCode !== 0 || r.outputs['applied-count'] !== String(COUNT)) throw new Error(`action-migrate apply failed: ${r.stdout.slice(-1500)}`);
      return ms;
    };
    // Alternated, median of three each: the machine is shared, and load drifts during a run.
    const oneSessionTimes: number[] = [];
    const oursTimes: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      oneSessionTimes.push(await runOneSession(round));
      oursTimes.push(await runOurs(round));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const oneSessionMs = median(oneSessionTimes);
    const oursMs = median(oursTimes);

    const perFile = await lab.createDatabase('bench_psql_per_file');
    const p = psqlEnv(perFile.url);
    const t = performance.now();
    for (const path of paths) execFileSync('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d', p.conninfo, '-f', path], { env: p.env, stdio: 'pipe' });
    const perFileMs = performance.now() - t;
    const secs = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
    const label = `action-migrate apply, ${COUNT} migrations (bundle start-up to exit: lock, a transaction and a schema_migrations row each, runbook query)`;
    return [
      {
        name: `migrate: ${COUNT} small migrations vs psql in one session`,
        ours: { label, ms: oursMs },
        baseline: { label: `psql -f × ${COUNT} in one session (autocommit, no bookkeeping)`, ms: oneSessionMs },
        ratio: oneSessionMs / oursMs,
        notes: [
          `ours ${(oursMs / oneSessionMs).toFixed(2)}× the one-session psql (target ≤ 2×); medians of ${ROUNDS} alternated rounds: ours ${secs(oursTimes)} s, psql ${secs(oneSessionTimes)} s`,
          "issue's figures (another machine): one session 1.15 s, one psql -1 -f per file 31.9 s"
        ]
      },
      {
        name: `migrate: ${COUNT} small migrations vs one psql -1 -f per file`,
        ours: { label, ms: oursMs },
        baseline: { label: `one psql -1 -f per file (${COUNT} processes, a transaction each)`, ms: perFileMs },
        ratio: perFileMs / oursMs
      }
    ];
  } finally {
    await lab.dropAll();
  }
}
