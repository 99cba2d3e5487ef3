// Cleanups registered while a run changes things (release a lock, delete a temp file, restore a file):
// run newest first on success, failure and cancellation, each bounded in time, none able to stop the rest.
import * as core from '@actions/core';
import { toError } from '../errors.js';

/** A cleanup the `post:` step can still run when the main step was killed before running it. */
export interface PersistedCleanup {
  /** Names the handler in the action's `post` table (`release-lock`). */
  kind: string;
  /** Plain JSON the handler needs (host, path, holder id). Never a secret: it is kept in step state. */
  data: Record<string, unknown>;
}

/** How one cleanup went, for the report. */
export interface CleanupOutcome {
  label: string;
  ok: boolean;
  /** Why it failed or timed out. */
  problem?: string;
  durationMs: number;
}

interface Entry {
  id: number;
  label: string;
  fn: () => Promise<void>;
  persist?: PersistedCleanup;
}

/** The state key under which pending persisted cleanups are handed to the `post:` step. */
export const POST_CLEANUPS_STATE = 'a2a-ops-pending-cleanups';

/**
 * The run's cleanup stack. `add` returns a function that drops the entry once the work it guards has
 * been undone normally (a lock released in the happy path needs no second release).
 */
export class Cleanups {
  private entries: Entry[] = [];
  private nextId = 1;
  private running: Promise<CleanupOutcome[]> | undefined;

  /** How each cleanup that ran ended, in the order they ran. */
  readonly outcomes: CleanupOutcome[] = [];

  constructor(private readonly saveState: (key: string, value: string) => void = (k, v) => core.saveState(k, v)) {}

  /** Registers `fn` under a label a person reads (`release the deploy lock on app-1`). */
  add(label: string, fn: () => Promise<void> | void, opts: { persist?: PersistedCleanup } = {}): () => void {
    if (this.running) throw new Error(`Cleanup '${label}' registered while cleanups are already running`);
    const entry: Entry = { id: this.nextId++, label, fn: async () => fn(), persist: opts.persist };
    this.entries.push(entry);
    this.persist();
    return () => {
      this.entries = this.entries.filter((e) => e.id !== entry.id);
      this.persist();
    };
  }

  /** Labels of the cleanups still pending, newest first. */
  get pending(): string[] {
    return this.entries.map((e) => e.label).reverse();
  }

  /**
   * Runs every pending cleanup once, newest first. Each gets at most `perCleanupMs`, and all together
   * at most `budgetMs` (what is left when the budget is spent is reported as not run). Never throws.
   * A second call while the first runs returns the same outcomes.
   */
  runAll(opts: { budgetMs: number; perCleanupMs?: number }): Promise<CleanupOutcome[]> {
    this.running ??= this.runEntries(opts);
    return this.running;
  }

  private async runEntries(opts: { budgetMs: number; perCleanupMs?: number }): Promise<CleanupOutcome[]> {
    const deadline = Date.now() + opts.budgetMs;
    const todo = [...this.entries].reverse();
    for (const entry of todo) {
      const started = Date.now();
      const left = Math.min(opts.perCleanupMs ?? opts.budgetMs, deadline - started);
      let problem: string | undefined;
      if (left <= 0) {
        problem = 'not run: the cancellation grace period was used up';
      } else {
        problem = await within(entry.fn(), left).then(
          (timedOut) => (timedOut ? `did not finish within ${Math.round(left / 100) / 10} s` : undefined),
          (e: unknown) => toError(e).message
        );
      }
      this.outcomes.push({ label: entry.label, ok: problem === undefined, problem, durationMs: Date.now() - started });
      // A persisted cleanup that failed here stays in the step state: the post step tries it again.
      if (problem === undefined) this.entries = this.entries.filter((e) => e.id !== entry.id);
    }
    this.persist();
    return this.outcomes;
  }

  private persisted = '[]';

  /** Hands the pending persisted cleanups to the post step; only writes when that list changed. */
  private persist(): void {
    const pending = JSON.stringify(this.entries.flatMap((e) => (e.persist ? [{ label: e.label, ...e.persist }] : [])));
    if (pending === this.persisted) return;
    try {
      this.saveState(POST_CLEANUPS_STATE, pending);
      this.persisted = pending;
    } catch (e) {
      // The post step then has nothing to retry; the main step's own cleanups still run.
      core.warning(`Could not hand cleanups to the post step: ${toError(e).message}`);
    }
  }
}

/** Resolves true when `work` did not settle within `ms`; rejects with its error when it failed in time. */
async function within(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([work.then(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
