// The server's sessions as pg_stat_activity shows them, and the one decision of which long-running
// queries may be cancelled or terminated (the runbook's "Kill long-running queries" made safe). The
// decision is pure: action-database's terminate-long-queries and the incident diagnostics both call it.
import type pg from 'pg';

/** One row of pg_stat_activity, as read by readActivity. */
export interface ActivityRow {
  pid: number;
  /** Database the backend is connected to; null for background processes. */
  database: string | null;
  user: string | null;
  applicationName: string;
  /** `client backend`, `walsender`, `autovacuum worker`, `background worker`, ... */
  backendType: string;
  /** `active`, `idle`, `idle in transaction`, ...; null when not visible to this role or not a client. */
  state: string | null;
  /** `backend_start` in microseconds since the epoch (text, exact): half of a backend's identity. */
  backendStart: string | null;
  /** `query_start` in microseconds since the epoch (text, exact): which query the backend runs. */
  queryStart: string | null;
  /** Time since query_start, ms (0 when unknown). */
  queryMs: number;
  /** Time since the backend entered its state, ms (how long it has sat idle in a transaction). */
  stateMs: number;
  /** The role is a superuser. */
  superuser: boolean;
  /** This is the reading session itself. */
  own: boolean;
  waitEvent: string | null;
  query: string;
}

/** Every backend the server lists, with exact identity keys (microsecond timestamps as text). */
export const ACTIVITY_SQL = `
SELECT a.pid, a.datname AS database, a.usename AS "user", coalesce(a.application_name, '') AS application_name,
       coalesce(a.backend_type, '') AS backend_type, a.state,
       (extract(epoch FROM a.backend_start) * 1000000)::bigint::text AS backend_start,
       (extract(epoch FROM a.query_start) * 1000000)::bigint::text AS query_start,
       coalesce(extract(epoch FROM clock_timestamp() - a.query_start) * 1000, 0)::float8 AS query_ms,
       coalesce(extract(epoch FROM clock_timestamp() - a.state_change) * 1000, 0)::float8 AS state_ms,
       coalesce(r.rolsuper, false) AS superuser,
       a.pid = pg_backend_pid() AS own,
       CASE WHEN a.wait_event IS NULL THEN NULL ELSE a.wait_event_type || ':' || a.wait_event END AS wait_event,
       coalesce(left(a.query, 2000), '') AS query
FROM pg_stat_activity a
LEFT JOIN pg_roles r ON r.oid = a.usesysid
ORDER BY a.query_start NULLS LAST, a.pid`;

interface ActivitySqlRow {
  pid: number;
  database: string | null;
  user: string | null;
  application_name: string;
  backend_type: string;
  state: string | null;
  backend_start: string | null;
  query_start: string | null;
  query_ms: number;
  state_ms: number;
  superuser: boolean;
  own: boolean;
  wait_event: string | null;
  query: string;
}

/** Reads every backend of the server (one query). */
export async function readActivity(client: Pick<pg.Client, 'query'>): Promise<ActivityRow[]> {
  const result = await client.query<ActivitySqlRow>(ACTIVITY_SQL);
  return result.rows.map((r) => ({
    pid: r.pid,
    database: r.database,
    user: r.user,
    applicationName: r.application_name,
    backendType: r.backend_type,
    state: r.state,
    backendStart: r.backend_start,
    queryStart: r.query_start,
    queryMs: Math.round(r.query_ms),
    stateMs: Math.round(r.state_ms),
    superuser: r.superuser,
    own: r.own,
    waitEvent: r.wait_event,
    query: r.query
  }));
}

/** application_name of the programs that take backups (pg_dump sets its own name unless PGAPPNAME says otherwise). */
export const BACKUP_APPLICATIONS = ['pg_dump', 'pg_dumpall', 'pg_basebackup', 'pg_receivewal'] as const;

/**
 * A backup's session, by its application_name: one of BACKUP_APPLICATIONS, or any name with "backup" in it
 * (the backup action names its sessions and its pg_dump 'a2a-ops backup').
 */
export function isBackupApplication(applicationName: string): boolean {
  return (BACKUP_APPLICATIONS as readonly string[]).includes(applicationName) || /backup/i.test(applicationName);
}

/** What the target selection may take. */
export interface QueryTargetOptions {
  /** The database the session is connected to: others are left alone unless `allDatabases`. */
  database: string;
  /** A query must have run strictly longer than this (the runbook: `query_start < now() - 5 minutes`). */
  minDurationMs: number;
  /** Also sessions idle in a transaction longer than minDurationMs (measured from their last state change). */
  includeIdleInTransaction: boolean;
  /** Also superusers' sessions (a DBA at work, a migration run as postgres). */
  includeSuperusers: boolean;
  /** Also sessions in other databases of the server. */
  allDatabases: boolean;
  /** Also a backup's sessions (a pg_dump running longer than the limit is a backup, not a runaway query). Default false. */
  includeBackups?: boolean;
  /** At most this many targets (the longest first); the rest are listed as over the cap. */
  max: number;
}

/** Why a long-running backend is left alone. */
export type ExclusionReason = 'own session' | 'not a client backend' | 'other database' | 'superuser' | 'backup' | 'not visible';

/** A backend that is long-running but protected. */
export interface ExcludedBackend {
  row: ActivityRow;
  reason: ExclusionReason;
  /** e.g. `walsender`, `database 'other'`. */
  detail: string;
}

/** The outcome of the selection. */
export interface QueryTargets {
  /** Sessions to signal, longest first, at most `max`. */
  targets: ActivityRow[];
  /** Sessions that qualify but lie beyond the cap (never signalled in this run). */
  overCap: ActivityRow[];
  /** Long-running backends left alone, with why. */
  excluded: ExcludedBackend[];
}

/** The states a target may be in: `active`, plus idle-in-transaction ones when asked. */
export function targetStates(opts: Pick<QueryTargetOptions, 'includeIdleInTransaction'>): string[] {
  return opts.includeIdleInTransaction ? ['active', 'idle in transaction', 'idle in transaction (aborted)'] : ['active'];
}

/** How long a row has been doing what makes it a candidate: running its query, or sitting idle in a transaction. */
export function targetDurationMs(row: Pick<ActivityRow, 'state' | 'queryMs' | 'stateMs'>): number {
  return row.state === 'active' ? row.queryMs : row.stateMs;
}

/**
 * Picks the sessions a query killer may signal. Never the reading session itself; never a backend
 * that is not a client backend (walsenders, autovacuum workers and launcher, background and parallel
 * workers, the checkpointer...); never a session whose identity the role cannot see; never another
 * database's, a superuser's or a backup's (pg_dump) session unless asked. Of the rest, those in a target state for strictly
 * longer than minDurationMs, longest first, at most `max`.
 */
export function selectQueryTargets(rows: readonly ActivityRow[], opts: QueryTargetOptions): QueryTargets {
  const states = targetStates(opts);
  const candidates: ActivityRow[] = [];
  const excluded: ExcludedBackend[] = [];
  for (const row of rows) {
    // Only long runners are listed, protected or not: the rest are of no interest to a query killer.
    const long = row.state !== null && states.includes(row.state) && targetDurationMs(row) > opts.minDurationMs;
    const protectedBy = protection(row, opts);
    if (protectedBy) {
      if (long) excluded.push(protectedBy);
      continue;
    }
    if (long) candidates.push(row);
  }
  candidates.sort((a, b) => targetDurationMs(b) - targetDurationMs(a) || a.pid - b.pid);
  const max = Math.max(0, opts.max);
  return { targets: candidates.slice(0, max), overCap: candidates.slice(max), excluded };
}

function protection(row: ActivityRow, opts: QueryTargetOptions): ExcludedBackend | undefined {
  if (row.own) return { row, reason: 'own session', detail: 'this run’s own session' };
  if (row.backendType !== 'client backend') return { row, reason: 'not a client backend', detail: row.backendType || 'unknown backend type' };
  if (row.backendStart === null || row.queryStart === null) {
    return { row, reason: 'not visible', detail: 'its start times are hidden from this role (grant it pg_monitor or pg_read_all_stats)' };
  }
  if (!opts.allDatabases && row.database !== opts.database) return { row, reason: 'other database', detail: `database '${row.database ?? '?'}'` };
  if (!opts.includeSuperusers && row.superuser) return { row, reason: 'superuser', detail: `superuser '${row.user ?? '?'}'` };
  if (!opts.includeBackups && isBackupApplication(row.applicationName)) return { row, reason: 'backup', detail: `a backup (application '${row.applicationName}')` };
  return undefined;
}
