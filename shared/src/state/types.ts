// State kept between runs of one action (flap-guard counters, metric history, last run time).
import type { Status } from '../report/model.js';

/** What the issue manager remembers of one check key across runs. */
export interface CheckMemory {
  lastStatus: Status;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** When the current failure streak began (ISO time); kept until recovery to report the downtime. */
  failingSince?: string;
  /** Failing runs since `failingSince`, flaps included: the count the incident issue shows. */
  failingRuns?: number;
  /** ISO time of the latest failing run (the "last seen"). */
  lastFailureAt?: string;
  /** ISO time the incident was last announced: its issue opened or a recurrence comment posted. */
  lastCommentAt?: string;
  /** Fingerprints (status + normalised message, hashed) already announced in this incident, newest last. */
  announced?: string[];
}

/** One timed sample of a metric (response time, CPU %, ...). */
export interface Sample {
  /** ISO time. */
  t: string;
  v: number;
}

export interface RunState {
  version: 1;
  /** ISO time of the last finished run, and of the last one started by `schedule`. */
  lastRunAt?: string;
  lastScheduledRunAt?: string;
  checks: Record<string, CheckMemory>;
  /** Metric series by key, oldest first, bounded in length. */
  history: Record<string, Sample[]>;
}

/** Where state lives: the Actions cache on a runner, a local file from the CLI and in tests. */
export interface StateStore {
  load(): Promise<RunState>;
  save(state: RunState): Promise<void>;
}

export function emptyState(): RunState {
  return { version: 1, checks: {}, history: {} };
}
