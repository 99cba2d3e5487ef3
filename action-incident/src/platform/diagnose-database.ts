// The runbook's "Database Issues" looks (pg_isready, connections in pg_stat_activity, queries running
// longer than five minutes) through the health core's read-only database check: never writes, never kills.
import { checkDatabase, DATABASE_CHECK_IDS, type DatabaseUrl, type Thresholds } from '../../../shared/src/index.js';
import { diagnosis, type Diagnosis } from '../incident/diagnosis.js';
import { checksSection } from './checks-section.js';

const FAMILY = 'database';
/** The health checks an incident looks at: status, connections, long, idle-in-transaction and blocked queries. */
const WANTED: readonly string[] = [
  DATABASE_CHECK_IDS.reachability,
  DATABASE_CHECK_IDS.connections,
  DATABASE_CHECK_IDS.longQueries,
  DATABASE_CHECK_IDS.idleInTransaction,
  DATABASE_CHECK_IDS.blocked
];

export async function diagnoseDatabase(
  db: DatabaseUrl,
  thresholds: Pick<Thresholds, 'dbConnectionsWarnPercent' | 'dbConnectionsFail'>,
  longQueryMs: number,
  timeoutMs: number
): Promise<Diagnosis> {
  const d = diagnosis(FAMILY);
  const checks = (await checkDatabase(db, { ...thresholds, longQueryMs }, { target: db.target, timeoutMs })).filter((c) => WANTED.includes(c.id));
  for (const c of checks) if (c.status !== 'ok') d.faults.push({ family: FAMILY, target: db.target, severity: c.status, message: c.message });
  d.sections.push(checksSection('Database (read-only: pg_isready, pg_stat_activity)', checks));
  return d;
}
