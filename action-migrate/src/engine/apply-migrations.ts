// Applies pending migrations on one session that holds the migration lock: each in its own transaction
// with its schema_migrations row (both commit or neither), lock_timeout hits retried with backoff, and
// `-- migrate:no-transaction` files run statement by statement with INVALID indexes checked after.
import { randomBytes } from 'node:crypto';
import { toError, withRetries, type DatabaseSession } from '../../../shared/src/index.js';
import { splitStatements } from '../migrations/split-statements.js';
import type { MigrationFile } from '../migrations/read-migrations.js';
import { recordMigration, recordMigrationSql } from './bookkeeping.js';
import { describeMigrationError, isConnectionLoss, isLockTimeout } from './database-error.js';
import { invalidIndexAdvice, listInvalidIndexes, type InvalidIndex } from './invalid-indexes.js';

/** How lock_timeout hits are retried. */
export interface LockRetryPolicy {
  /** Attempts in all for one migration (1 = no retry). */
  attempts: number;
  /** Wait before the first retry; doubled each time, jittered. */
  baseMs: number;
  maxMs: number;
}

export interface ApplyOptions {
  retry: LockRetryPolicy;
  signal?: AbortSignal;
  /** Progress lines. */
  info(message: string): void;
  warn(message: string): void;
}

/** One migration that committed. */
export interface AppliedOutcome {
  version: string;
  file: string;
  durationMs: number;
  /** 1 unless lock_timeout hits were retried. */
  attempts: number;
  transactional: boolean;
}

/** A migration failed; everything before it stays applied, nothing after it ran. */
export class MigrationFailedError extends Error {
  override name = 'MigrationFailedError';
  constructor(
    message: string,
    readonly file: string,
    readonly applied: AppliedOutcome[],
    /** True when the failed migration was rolled back completely (always, for a transactional one). */
    readonly rolledBack: boolean,
    readonly invalidIndexes: InvalidIndex[] = [],
    /** True when the connection was lost: whether an in-flight COMMIT landed is read back on the next run. */
    readonly connectionLost = false
  ) {
    super(message);
  }
}

/**
 * Applies `migrations` in order. Throws MigrationFailedError at the first failure, after rolling that
 * migration back (transactional) and listing INVALID indexes (non-transactional); the applied ones before
 * it are in `applied`. Stops between migrations once `signal` is aborted.
 */
export async function applyMigrations(session: DatabaseSession, migrations: readonly MigrationFile[], opts: ApplyOptions): Promise<AppliedOutcome[]> {
  const applied: AppliedOutcome[] = [];
  for (const [i, m] of migrations.entries()) {
    if (opts.signal?.aborted) throw new MigrationFailedError(`Cancelled before ${m.file}: ${applied.length} of ${migrations.length} applied, nothing half-done.`, m.file, applied, true);
    const outcome = m.noTransaction ? await applyWithoutTransaction(session, m, applied, opts) : await applyInTransaction(session, m, applied, opts);
    applied.push(outcome);
    const retried = outcome.attempts > 1 ? `, after ${outcome.attempts - 1} lock_timeout retr${outcome.attempts === 2 ? 'y' : 'ies'}` : '';
    opts.info(`[${i + 1}/${migrations.length}] ${m.file}: applied in ${outcome.durationMs} ms${outcome.transactional ? '' : ' (no transaction)'}${retried}.`);
  }
  return applied;
}

/** Sent in front of a transactional migration's text, in the same query string (one round trip). */
const TX_PREFIX = 'BEGIN;\n';

/**
 * BEGIN, the file's text and its schema_migrations row go to the server as one query string, COMMIT as a
 * second: two round trips per migration. The row's INSERT returns a nonce; if the file ends inside an
 * unterminated comment or quote that swallowed it, the nonce is missing and the migration is rolled back
 * rather than committed unrecorded. duration_ms is measured by the server (statement start to the INSERT).
 */
async function applyInTransaction(session: DatabaseSession, m: MigrationFile, applied: AppliedOutcome[], opts: ApplyOptions): Promise<AppliedOutcome> {
  const text = m.text ?? '';
  let attempts = 0;
  const nonce = randomBytes(8).toString('hex');
  const q = (v: string): string => session.client.escapeLiteral(v);
  const sent = `${TX_PREFIX}${text}\n;\n${recordMigrationSql(q(m.version), q(m.name), q(m.checksum))} RETURNING ${q(nonce)} AS nonce, duration_ms`;
  try {
    return await withRetries(
      async (attempt) => {
        attempts = attempt;
        const started = performance.now();
        try {
          const results = await session.client.query(sent);
          const last = (Array.isArray(results) ? results.at(-1) : results) as { rows?: Array<{ nonce?: string; duration_ms?: number }> } | undefined;
          if (last?.rows?.[0]?.nonce !== nonce) {
            throw new Error(`the file does not end cleanly (an unterminated comment, quote or dollar quote swallowed what follows it); nothing was committed`);
          }
          await session.query('COMMIT');
          return { version: m.version, file: m.file, durationMs: Math.round(performance.now() - started), attempts: attempt, transactional: true };
        } catch (error) {
          await session.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
      {
        attempts: opts.retry.attempts,
        baseMs: opts.retry.baseMs,
        maxMs: opts.retry.maxMs,
        signal: opts.signal,
        classify: (error, attempt) => {
          const retry = isLockTimeout(error);
          if (retry && attempt < opts.retry.attempts) opts.warn(`${m.file}: lock_timeout hit (attempt ${attempt} of ${opts.retry.attempts}); rolled back, retrying after a pause.`);
          return { retry };
        }
      }
    );
  } catch (error) {
    const lost = isConnectionLoss(error);
    // Positions count from the start of what was sent, the prefix included.
    const what = describeMigrationError(error, { file: m.file, fileText: text, sentOffset: -TX_PREFIX.length, sentText: sent.slice(0, TX_PREFIX.length + text.length) });
    const retried = isLockTimeout(error) && attempts > 1 ? ` (lock_timeout on all ${attempts} attempts)` : '';
    const tail = lost
      ? ' The connection was lost: if it dropped during COMMIT, the next run reads whether this migration and its schema_migrations row landed (they commit together), so nothing is applied twice.'
      : ` ${m.file} was rolled back completely (no schema change, no schema_migrations row); nothing after it ran.`;
    throw new MigrationFailedError(`${what}${retried}.${tail}`, m.file, applied, !lost, [], lost);
  }
}

async function applyWithoutTransaction(session: DatabaseSession, m: MigrationFile, applied: AppliedOutcome[], opts: ApplyOptions): Promise<AppliedOutcome> {
  const text = m.text ?? '';
  const statements = splitStatements(text);
  // Only indexes this migration leaves INVALID count against it; older ones were reported before the run.
  const before = new Set((await listInvalidIndexes(session)).map((x) => x.name));
  const newInvalid = async (): Promise<InvalidIndex[]> => (await listInvalidIndexes(session)).filter((x) => !before.has(x.name));
  const started = performance.now();
  for (const [i, s] of statements.entries()) {
    // A CONCURRENTLY build can take minutes: say what is running.
    opts.info(`${m.file}:${s.line}: statement ${i + 1} of ${statements.length}, outside a transaction: ${s.text.replace(/\s+/g, ' ').slice(0, 80)}`);
    try {
      await session.query(s.text);
    } catch (error) {
      const lost = isConnectionLoss(error);
      const invalid = lost ? [] : await newInvalid().catch(() => []);
      const what = describeMigrationError(error, { file: m.file, fileText: text, sentOffset: s.offset, sentText: s.text, statementLine: s.line });
      const done = i === 0 ? 'No statement of it had run before' : `Its first ${i} statement${i === 1 ? '' : 's'} ran and stay${i === 1 ? 's' : ''} (no transaction)`;
      const invalidText = invalid.length > 0 ? ` ${invalid.map(invalidIndexAdvice).join(' ')}` : '';
      throw new MigrationFailedError(
        `${what}. ${m.file} runs without a transaction (migrate:no-transaction): statement ${i + 1} of ${statements.length} failed. ${done}; no schema_migrations row was written, nothing after it ran.${invalidText}`,
        m.file,
        applied,
        i === 0 && invalid.length === 0,
        invalid,
        lost
      );
    }
  }
  const durationMs = performance.now() - started;
  // A CONCURRENTLY build can also end INVALID without an error reaching us (the session died after it); check.
  const invalid = await newInvalid();
  if (invalid.length > 0) {
    throw new MigrationFailedError(`${m.file} ran, but left ${invalid.map(invalidIndexAdvice).join(' ')} No schema_migrations row was written.`, m.file, applied, false, invalid);
  }
  try {
    await recordMigration(session, { version: m.version, name: m.name, checksum: m.checksum, durationMs });
  } catch (error) {
    throw new MigrationFailedError(`${m.file} ran, but recording it in schema_migrations failed: ${toError(error).message}.`, m.file, applied, false);
  }
  return { version: m.version, file: m.file, durationMs: Math.round(durationMs), attempts: 1, transactional: false };
}
