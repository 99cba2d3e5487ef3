// Judges a database snapshot against the runbook's thresholds: pure, so every rule is tested without a server.
import type { Thresholds } from '../../config/types.js';
import type { Check, Status } from '../../report/model.js';
import { bulletList, formatBytes, formatDuration, formatSession } from './format.js';
import { presentQuery } from './query-text.js';
import type { DatabaseSnapshot, Probed, SessionFact } from './snapshot.js';

/** The slice of the ops-config thresholds the database checks use. */
export type DatabaseThresholds = Pick<Thresholds, 'dbConnectionsWarnPercent' | 'dbConnectionsFail' | 'longQueryMs'>;

/** Judgement knobs the ops config has no key for (yet); the defaults follow PgHero. */
export interface CacheHitPolicy {
  /** Below this hit rate (percent) the cache check warns. PgHero's default: 99. */
  warnPercent: number;
  /** Fewer block reads than this since the stats reset say nothing about the cache: no judgement. */
  minBlocks: number;
}

export const DEFAULT_CACHE_HIT_POLICY: CacheHitPolicy = { warnPercent: 99, minBlocks: 10_000 };

/** Check ids, named once: they are also the incident-issue keys. */
export const DATABASE_CHECK_IDS = {
  reachability: 'database:reachability',
  connections: 'database:connections',
  longQueries: 'database:long-queries',
  idleInTransaction: 'database:idle-in-transaction',
  blocked: 'database:blocked-queries',
  topQueries: 'database:top-queries',
  cacheHit: 'database:cache-hit-rate',
  unusedIndexes: 'database:unused-indexes'
} as const;

const KIND = 'database';

/** The reachability check for a server that answered. */
export function reachableCheck(target: string, snapshot: Pick<DatabaseSnapshot, 'serverVersion' | 'connectMs' | 'database'>): Check {
  return {
    id: DATABASE_CHECK_IDS.reachability,
    kind: KIND,
    target,
    status: 'ok',
    value: snapshot.connectMs,
    unit: 'ms',
    message: `accepting connections: PostgreSQL ${snapshot.serverVersion}, database '${snapshot.database}', connected in ${snapshot.connectMs} ms`
  };
}

/** The reachability check for a server that did not let us in; `reason` comes from describeConnectError. */
export function unreachableCheck(target: string, reason: string, timeoutMs: number): Check {
  return {
    id: DATABASE_CHECK_IDS.reachability,
    kind: KIND,
    target,
    status: 'fail',
    threshold: `connects within ${timeoutMs} ms`,
    message: reason
  };
}

/** Every check after a successful connection, in report order. */
export function classifyDatabase(
  target: string,
  snapshot: DatabaseSnapshot,
  thresholds: DatabaseThresholds,
  cachePolicy: CacheHitPolicy = DEFAULT_CACHE_HIT_POLICY
): Check[] {
  return [
    reachableCheck(target, snapshot),
    classifyConnections(target, snapshot.connections, thresholds),
    ...classifySessions(target, snapshot.sessions, thresholds),
    classifyStatements(target, snapshot.statements),
    classifyCache(target, snapshot.cache, cachePolicy),
    classifyUnusedIndexes(target, snapshot.unusedIndexes)
  ];
}

function probeFailed(id: string, target: string, what: string, error: string): Check {
  // A probe we could not run is a blind spot, not an outage: warn, and say why.
  return { id, kind: KIND, target, status: 'warn', message: `could not read ${what}: ${error}` };
}

/** Connections against max_connections (warn at a share) and the runbook's absolute alert. */
export function classifyConnections(target: string, probed: DatabaseSnapshot['connections'], t: DatabaseThresholds): Check {
  const id = DATABASE_CHECK_IDS.connections;
  if (!probed.ok) return probeFailed(id, target, 'pg_stat_activity', probed.error);
  const { total, maxConnections, reserved, byState } = probed.value;
  const percent = maxConnections > 0 ? (total / maxConnections) * 100 : 0;
  const usable = Math.max(0, maxConnections - reserved);
  const pct = `${percent.toFixed(0)} % of max_connections ${maxConnections}`;
  let status: Status = 'ok';
  const noun = `${total} connection${total === 1 ? '' : 's'}`;
  let message = `${noun} (${pct})`;
  if (total > t.dbConnectionsFail) {
    status = 'fail';
    message = `${noun}: above the alert threshold of ${t.dbConnectionsFail} (${pct})`;
  } else if (total >= usable) {
    status = 'fail';
    message = `${noun}: at the limit, new non-superuser connections are refused (${pct}, ${reserved} reserved for superusers)`;
  } else if (percent >= t.dbConnectionsWarnPercent) {
    status = 'warn';
    message = `${noun}: ${pct}, at or above the ${t.dbConnectionsWarnPercent} % warning level`;
  }
  const states = Object.entries(byState)
    .map(([state, n]) => `${state}: ${n}`)
    .join(', ');
  return {
    id,
    kind: KIND,
    target,
    status,
    value: total,
    unit: 'connections',
    threshold: `< ${t.dbConnectionsWarnPercent} % of ${maxConnections}, <= ${t.dbConnectionsFail}`,
    message,
    details: states ? `By state: ${states}` : undefined
  };
}

/** Long-running queries (fail), sessions idle in a transaction (warn) and lock waits (warn). */
export function classifySessions(target: string, probed: Probed<SessionFact[]>, t: DatabaseThresholds): Check[] {
  const ids = DATABASE_CHECK_IDS;
  if (!probed.ok) {
    return [
      probeFailed(ids.longQueries, target, 'pg_stat_activity', probed.error),
      probeFailed(ids.idleInTransaction, target, 'pg_stat_activity', probed.error),
      probeFailed(ids.blocked, target, 'pg_stat_activity', probed.error)
    ];
  }
  const sessions = probed.value;
  const limit = formatDuration(t.longQueryMs);
  const hidden = sessions.some((s) => s.query === '<insufficient privilege>');
  const privilegeNote = hidden ? '\n\nSome query texts are hidden: grant the checking role pg_monitor (or pg_read_all_stats) to see them.' : '';

  const long = sessions.filter((s) => s.state === 'active' && s.queryMs > t.longQueryMs).sort((a, b) => b.queryMs - a.queryMs);
  const idle = sessions.filter((s) => s.state.startsWith('idle in transaction') && s.stateMs > t.longQueryMs).sort((a, b) => b.stateMs - a.stateMs);
  const blocked = sessions.filter((s) => s.blockedBy.length > 0).sort((a, b) => b.queryMs - a.queryMs);

  const longCheck: Check = {
    id: ids.longQueries,
    kind: KIND,
    target,
    status: long.length > 0 ? 'fail' : 'ok',
    value: long.length > 0 ? long[0].queryMs : 0,
    unit: 'ms',
    threshold: `<= ${limit}`,
    message:
      long.length > 0
        ? `${long.length} quer${long.length === 1 ? 'y has' : 'ies have'} run longer than ${limit} (longest: pid ${long[0].pid}, ${formatDuration(long[0].queryMs)})`
        : `no query has run longer than ${limit}`,
    details: long.length > 0 ? bulletList(long.map((s) => formatSession(s, s.queryMs, 'running'))) + privilegeNote : undefined
  };
  const idleCheck: Check = {
    id: ids.idleInTransaction,
    kind: KIND,
    target,
    status: idle.length > 0 ? 'warn' : 'ok',
    value: idle.length,
    unit: 'sessions',
    threshold: `idle in transaction <= ${limit}`,
    message:
      idle.length > 0
        ? `${idle.length} session${idle.length === 1 ? ' has' : 's have'} sat idle in a transaction longer than ${limit} (holding locks and old snapshots; longest: pid ${idle[0].pid}, ${formatDuration(idle[0].stateMs)})`
        : `no session idle in a transaction longer than ${limit}`,
    details: idle.length > 0 ? bulletList(idle.map((s) => formatSession(s, s.stateMs, 'idle for'))) + privilegeNote : undefined
  };
  const blockedCheck: Check = {
    id: ids.blocked,
    kind: KIND,
    target,
    status: blocked.length > 0 ? 'warn' : 'ok',
    value: blocked.length,
    unit: 'sessions',
    threshold: 'none waiting on a lock',
    message:
      blocked.length > 0
        ? `${blocked.length} session${blocked.length === 1 ? ' is' : 's are'} waiting on locks held by pid ${[...new Set(blocked.flatMap((s) => s.blockedBy))].join(', ')}`
        : 'no query is waiting on a lock',
    details: blocked.length > 0 ? bulletList(blocked.map((s) => formatSession(s, s.queryMs, 'waiting'))) + privilegeNote : undefined
  };
  return [longCheck, idleCheck, blockedCheck];
}

/** Top queries by total time: information only. A missing extension is said, never failed. */
export function classifyStatements(target: string, probed: DatabaseSnapshot['statements']): Check {
  const id = DATABASE_CHECK_IDS.topQueries;
  if (!probed.ok) return { id, kind: KIND, target, status: 'ok', message: `top queries unavailable: ${probed.error}` };
  const facts = probed.value;
  if (!facts.available) return { id, kind: KIND, target, status: 'ok', message: `top queries unavailable: ${facts.reason}` };
  if (facts.top.length === 0) return { id, kind: KIND, target, status: 'ok', value: 0, message: 'pg_stat_statements has recorded no statements yet' };
  const first = facts.top[0];
  const lines = facts.top.map(
    (s) => `${s.totalMs.toFixed(0)} ms total · ${s.calls} calls · ${s.meanMs.toFixed(2)} ms mean · ${s.rows} rows: ${presentQuery(s.query)}`
  );
  return {
    id,
    kind: KIND,
    target,
    status: 'ok',
    value: Math.round(first.totalMs),
    unit: 'ms',
    message: `top query by total time: ${presentQuery(first.query, 60)} (${first.totalMs.toFixed(0)} ms in ${first.calls} calls)`,
    details: bulletList(lines)
  };
}

/** Buffer cache hit rate of this database since its statistics were reset. */
export function classifyCache(target: string, probed: DatabaseSnapshot['cache'], policy: CacheHitPolicy): Check {
  const id = DATABASE_CHECK_IDS.cacheHit;
  if (!probed.ok) return probeFailed(id, target, 'pg_stat_database', probed.error);
  const { blocksHit, blocksRead, statsSince } = probed.value;
  const total = blocksHit + blocksRead;
  const since = statsSince ? ` since ${statsSince}` : '';
  if (total === 0) return { id, kind: KIND, target, status: 'ok', message: `no blocks read yet${since}` };
  const rate = (blocksHit / total) * 100;
  const value = Number(rate.toFixed(2));
  const threshold = `>= ${policy.warnPercent} %`;
  if (total < policy.minBlocks) {
    return { id, kind: KIND, target, status: 'ok', value, unit: '%', threshold, message: `${value} % cache hits over only ${total} block reads${since}: too few to judge` };
  }
  const low = rate < policy.warnPercent;
  return {
    id,
    kind: KIND,
    target,
    status: low ? 'warn' : 'ok',
    value,
    unit: '%',
    threshold,
    message: low
      ? `${value} % of block reads hit the cache${since}: below ${policy.warnPercent} %, the working set may not fit shared_buffers`
      : `${value} % of block reads hit the cache${since}`
  };
}

/** Indexes never scanned since the stats reset: reported for a person to weigh, never an alert. */
export function classifyUnusedIndexes(target: string, probed: DatabaseSnapshot['unusedIndexes']): Check {
  const id = DATABASE_CHECK_IDS.unusedIndexes;
  if (!probed.ok) return probeFailed(id, target, 'pg_stat_user_indexes', probed.error);
  const { indexes, statsSince } = probed.value;
  const since = statsSince ? ` since ${statsSince}` : '';
  if (indexes.length === 0) return { id, kind: KIND, target, status: 'ok', value: 0, message: `every non-unique index has been used${since}` };
  const bytes = indexes.reduce((sum, i) => sum + i.sizeBytes, 0);
  return {
    id,
    kind: KIND,
    target,
    status: 'ok',
    value: indexes.length,
    unit: 'indexes',
    message: `${indexes.length} index${indexes.length === 1 ? '' : 'es'} never scanned${since} (${formatBytes(bytes)}): candidates to drop after checking replicas and rare jobs`,
    details: bulletList(indexes.map((i) => `${i.schema}.${i.index} on ${i.table} (${formatBytes(i.sizeBytes)})`))
  };
}
