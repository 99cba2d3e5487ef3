// Benchmark: action-database against the runbook's psql commands run by hand, on the lab's PostgreSQL 15
// (a2a_dbmaint_bench database: 40 tables with 4 indexes each, 2 000 rows each, pg_stat_statements loaded).
//  1. report (everything it reads: top queries, index usage, unused and duplicate indexes, sizes, bloat,
//     cache, history; in process, the action's whole run) vs the runbook's two queries as two `psql -c`
//     runs (its pg_stat_statements query with PostgreSQL 13's column names — as written it fails on 13+ —
//     and its index-usage query with the view's real column names — as written it fails everywhere).
//     Target: no slower than 2× the two psql runs.
//  2. vacuum-analyze table by table (lock_timeout, a backup check before each table, a progress line each)
//     vs the runbook's `psql -c "VACUUM ANALYZE;"`, each after the same UPDATE of every row. Target ≤ 1.5×.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { cleanupRuns, runInProcess } from '../action-health/__tests__/support/run-in-process.js';
import { run } from '../action-database/src/main.js';
import { DbMaintLab } from '../test-support/database-lab.js';
import { timeMedian, type BenchResult } from './types.js';

const DB = 'a2a_dbmaint_bench';
const TABLES = 40;

function psql(bin: string, args: string[], password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { env: { ...process.env, PGPASSWORD: password }, timeout: 120_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve(stdout)
    );
  });
}

export default async function bench(): Promise<BenchResult[]> {
  const lab = new DbMaintLab();
  const owner = await lab.createRole('a2a_dbmaint_bencher');
  try {
    await lab.createDatabase(DB, owner.name);
    const admin = await lab.admin(DB);
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await lab.end(admin);
    const c = await lab.connect({ connectionString: owner.url(DB) });
    for (let i = 0; i < TABLES; i++) {
      await c.query(`CREATE TABLE t${i} (id int PRIMARY KEY, a int, b text, c int);
        INSERT INTO t${i} SELECT g, g % 10, 'x' || g, g % 3 FROM generate_series(1, 2000) g;
        CREATE INDEX t${i}_a ON t${i} (a); CREATE INDEX t${i}_ab ON t${i} (a, b); CREATE INDEX t${i}_c ON t${i} (c);`);
      for (let q = 0; q < 5; q++) await c.query(`SELECT count(*) FROM t${i} WHERE a = $1`, [q]);
    }
    const url = owner.url(DB);
    const { binDir: bin, port } = lab.lab;
    const conn = ['-h', '127.0.0.1', '-p', String(port), '-U', owner.name, '-d', DB];

    // 1. report
    let reportStatus = '';
    const ours = await timeMedian(async () => {
      const r = await runInProcess(run, { operation: 'report', 'database-url': url, 'fail-on': 'never' });
      reportStatus = r.outputs.status;
    }, 5);
    const byHand = await timeMedian(async () => {
      await psql(bin, [...conn, '-c', 'SELECT query, calls, total_exec_time, rows, mean_exec_time FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10;'], owner.password);
      await psql(bin, [...conn, '-c', 'SELECT schemaname, relname AS tablename, indexrelname AS indexname, idx_scan, idx_tup_read, idx_tup_fetch FROM pg_stat_user_indexes ORDER BY idx_scan DESC;'], owner.password);
    }, 5);

    // 2. vacuum
    const dirty = async (): Promise<void> => {
      for (let i = 0; i < TABLES; i++) await c.query(`UPDATE t${i} SET c = c + 1`);
    };
    await dirty();
    let vacuumed = '';
    const t0 = performance.now();
    const v = await runInProcess(run, { operation: 'vacuum-analyze', 'database-url': url });
    const oursVacuum = performance.now() - t0;
    vacuumed = v.outputs.vacuumed;
    await dirty();
    const t1 = performance.now();
    await psql(bin, [...conn, '-c', 'VACUUM ANALYZE;'], owner.password);
    const byHandVacuum = performance.now() - t1;

    return [
      {
        name: 'database report',
        ours: { label: `a2a-ops database report (in process; ${TABLES} tables, ${TABLES * 4} indexes; status ${reportStatus})`, ms: ours },
        baseline: { label: "the runbook's two psql -c queries (column names fixed)", ms: byHand },
        ratio: byHand / ours,
        notes: [`target: no slower than 2× the two psql runs (ratio ≥ 0.5)`, 'the report also reads sizes, bloat, unused and duplicate indexes, cache hit rate and the week-over-week history']
      },
      {
        name: 'database vacuum-analyze',
        ours: { label: `a2a-ops vacuum-analyze, table by table (${vacuumed} tables)`, ms: oursVacuum },
        baseline: { label: "the runbook's psql -c 'VACUUM ANALYZE;'", ms: byHandVacuum },
        ratio: byHandVacuum / oursVacuum,
        notes: ['target: ≤ 1.5× the single VACUUM ANALYZE (ratio ≥ 0.67)']
      }
    ];
  } finally {
    cleanupRuns();
    await lab.drop();
  }
}
