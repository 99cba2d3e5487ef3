// What one read-only pass over pg_stat_* found: raw facts, no judgement (classify-database.ts judges them).

/** A probe either produced its facts or failed on its own without spoiling the others. */
export type Probed<T> = { ok: true; value: T } | { ok: false; error: string };

/** One client session of interest (active, idle in transaction, or waiting on a lock). */
export interface SessionFact {
  pid: number;
  /** Database the session is connected to (the check looks server-wide, as the runbook's queries do). */
  database: string | null;
  user: string | null;
  application: string | null;
  client: string | null;
  /** `active`, `idle in transaction`, `idle in transaction (aborted)`. */
  state: string;
  /** Time since the current query started (for `active`), in ms. */
  queryMs: number;
  /** Time since the session entered its current state, in ms (how long it has sat idle in a transaction). */
  stateMs: number;
  /** Age of the open transaction, in ms; null outside a transaction. */
  xactMs: number | null;
  waitEvent: string | null;
  /** PIDs holding the locks this session waits for (pg_blocking_pids). */
  blockedBy: number[];
  /** The query text as the server reports it (`<insufficient privilege>` without pg_read_all_stats). */
  query: string;
}

export interface ConnectionFacts {
  /** Client backends connected to the whole server (this check's own session included, as in the runbook's count). */
  total: number;
  maxConnections: number;
  /** Slots only superusers may take (superuser_reserved_connections, plus reserved_connections on 16+). */
  reserved: number;
  byState: Record<string, number>;
}

/** One row of pg_stat_statements. */
export interface StatementFact {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

export type StatementsFacts = { available: true; top: StatementFact[] } | { available: false; reason: string };

export interface CacheFacts {
  blocksHit: number;
  blocksRead: number;
  /** When the statistics were last reset (ISO), if the server knows. */
  statsSince: string | null;
}

export interface UnusedIndexFact {
  schema: string;
  table: string;
  index: string;
  sizeBytes: number;
}

/** Everything one check run learned about one database. */
export interface DatabaseSnapshot {
  serverVersion: string;
  database: string;
  connectMs: number;
  connections: Probed<ConnectionFacts>;
  sessions: Probed<SessionFact[]>;
  statements: Probed<StatementsFacts>;
  cache: Probed<CacheFacts>;
  unusedIndexes: Probed<{ indexes: UnusedIndexFact[]; statsSince: string | null }>;
}
