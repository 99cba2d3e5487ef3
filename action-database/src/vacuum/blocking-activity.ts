// Whether maintenance must wait: a backup (pg_dump, pg_basebackup, the backup action's sessions) or another
// manual VACUUM already running. Pure, over the core's pg_stat_activity rows, so every rule is table-tested.
import { isBackupApplication, type ActivityRow } from '../../../shared/src/index.js';

/** Another process doing what would make VACUUM now a bad idea. */
export interface BlockingActivity {
  kind: 'backup' | 'vacuum';
  row: ActivityRow;
  /** One line for the report: `pid 123 pg_dump (application 'pg_dump') for 2 min`. */
  why: string;
}

const VACUUM_QUERY = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*VACUUM\b/i;

/**
 * The sessions a VACUUM ANALYZE run must not start beside: a running backup (by application_name:
 * pg_dump, pg_dumpall, pg_basebackup, pg_receivewal, anything naming itself a backup; a walsender of
 * pg_basebackup), or a manual VACUUM of another client. Autovacuum workers are not counted: they are the
 * server's routine and give way to a manual VACUUM's lock request. The reading session is ignored.
 */
export function findBlockingActivity(rows: readonly ActivityRow[]): BlockingActivity[] {
  const found: BlockingActivity[] = [];
  for (const row of rows) {
    if (row.own) continue;
    const app = row.applicationName;
    if (isBackupApplication(app) && (row.backendType === 'client backend' || row.backendType === 'walsender')) {
      found.push({ kind: 'backup', row, why: `pid ${row.pid}: a backup (application '${app}', ${row.backendType}) is running` });
      continue;
    }
    if (row.backendType === 'client backend' && row.state === 'active' && (VACUUM_QUERY.test(row.query) || app === 'vacuumdb')) {
      found.push({ kind: 'vacuum', row, why: `pid ${row.pid}: another VACUUM is running (application '${app || '-'}')` });
    }
  }
  return found;
}
