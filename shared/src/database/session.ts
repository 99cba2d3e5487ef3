// The one way an action opens PostgreSQL: a `pg` client with a bounded connect, and per-session
// settings (read-only by default for checks, statement and lock timeouts, application_name) in effect
// before the caller's first query. `pg` is loaded on first use, so an action that never opens a
// database never loads it.
import { loadLibrary } from '../libraries/load-library.js';
import type pg from 'pg';
import { registerSecret, registerUrlSecrets, scrubSecrets } from '../secrets.js';
import { parseDatabaseUrl, type DatabaseUrl } from './client-config.js';
import { describeConnectError } from './describe-connect-error.js';

/** `read-only`: every transaction of the session is READ ONLY (writes fail); `read-write`: the server's default. */
export type DatabaseMode = 'read-only' | 'read-write';

/** What to connect to: a URL (validated by parseDatabaseUrl), a parsed one, or a `pg` client config (e.g. with a tunnelled `stream`). */
export type DatabaseTarget = string | DatabaseUrl | pg.ClientConfig;

/** Options of one database session. */
export interface DatabaseSessionOptions {
  mode: DatabaseMode;
  /** `application_name`, so a DBA sees who is connected (`a2a-ops health`). */
  applicationName: string;
  /** Bound on TCP connect, start-up and authentication. */
  connectTimeoutMs: number;
  /** `statement_timeout` of the session (0 = none); absent = the server's setting. */
  statementTimeoutMs?: number;
  /** `lock_timeout` of the session (0 = none); absent = the server's setting. */
  lockTimeoutMs?: number;
}

/** An open session with its settings in effect. */
export interface DatabaseSession {
  /** The connected client, for code that takes a `pg.Client`. */
  readonly client: pg.Client;
  readonly mode: DatabaseMode;
  /** How long connecting and authenticating took, in ms. */
  readonly connectMs: number;
  /** `client.query` with a typed row. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /**
   * Rolls back any open transaction, resets the session settings (a pooler or PGlite hands the same
   * server session to the next client) and disconnects. Never throws; safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * The session could not be opened. `message` says why in plain words (refused, no answer, bad
 * credentials...) and never contains a password: it is built from the error, not the URL, and scrubbed
 * of every registered secret. The original error is deliberately not attached.
 */
export class DatabaseConnectError extends Error {
  override name = 'DatabaseConnectError';

  constructor(
    message: string,
    /** The driver's or server's code (`ECONNREFUSED`, `28P01`...), when there was one. */
    readonly code?: string
  ) {
    super(message);
  }
}

// A client-side guard in case the server stops answering altogether: a little longer than
// statement_timeout, so the server's own (clearer) error normally wins.
const QUERY_GUARD_MS = 1000;
/** How long close() waits for the rollback and reset before it just disconnects. */
const CLOSE_GRACE_MS = 2000;

const ms = (value: number): number => Math.max(0, Math.round(value));

/**
 * The statements that put a session's settings in effect, in one round trip. `quote` makes a string
 * literal (the client's escapeLiteral). Read-only sets `default_transaction_read_only`; read-write
 * leaves the server's (or the role's) default alone.
 */
export function sessionSettingsSql(opts: DatabaseSessionOptions, quote: (value: string) => string): string {
  const statements: string[] = [];
  if (opts.mode === 'read-only') statements.push('SET default_transaction_read_only = on');
  if (opts.statementTimeoutMs !== undefined) statements.push(`SET statement_timeout = ${ms(opts.statementTimeoutMs)}`);
  if (opts.lockTimeoutMs !== undefined) statements.push(`SET lock_timeout = ${ms(opts.lockTimeoutMs)}`);
  statements.push(`SET application_name = ${quote(opts.applicationName)}`);
  return statements.join('; ');
}

function clientConfigOf(target: DatabaseTarget): pg.ClientConfig {
  if (typeof target === 'string') return { connectionString: parseDatabaseUrl(target, 'The database URL').url };
  if ('url' in target && 'target' in target) return { connectionString: target.url };
  const config = target as pg.ClientConfig;
  // A config built by hand may carry a password nobody registered yet.
  if (typeof config.password === 'string') registerSecret(config.password);
  registerUrlSecrets(config.connectionString);
  return config;
}

/**
 * Opens a PostgreSQL session: connects within `connectTimeoutMs`, then sets the session's mode,
 * timeouts and application_name (one round trip) before returning, so the caller's first statement
 * already runs under them. Throws DatabaseConnectError with a readable, password-free message when the
 * server cannot be reached, refuses the login, or refuses the settings. Call `close()` when done.
 */
export async function openDatabaseSession(target: DatabaseTarget, opts: DatabaseSessionOptions): Promise<DatabaseSession> {
  const config = clientConfigOf(target);
  const { default: pg } = await loadLibrary('pg');
  const statementTimeout = opts.statementTimeoutMs ? ms(opts.statementTimeoutMs) : 0;
  const client = new pg.Client({
    ...config,
    application_name: opts.applicationName,
    connectionTimeoutMillis: ms(opts.connectTimeoutMs),
    ...(statementTimeout > 0 ? { query_timeout: statementTimeout + QUERY_GUARD_MS } : {}),
    keepAlive: true
  });
  // A server that dies mid-session emits 'error' on the client; without a listener that would crash the process.
  client.on('error', () => undefined);
  const started = performance.now();
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new DatabaseConnectError(describeConnectError(error, opts.connectTimeoutMs), (error as { code?: string } | null)?.code);
  }
  const connectMs = Math.round(performance.now() - started);
  try {
    await client.query(sessionSettingsSql(opts, (v) => client.escapeLiteral(v)));
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = scrubSecrets(error instanceof Error ? error.message : String(error));
    throw new DatabaseConnectError(`accepted the connection, then refused the session settings: ${reason}`, (error as { code?: string } | null)?.code);
  }
  let closed = false;
  return {
    client,
    mode: opts.mode,
    connectMs,
    query: <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => client.query<R>(text, values),
    async close() {
      if (closed) return;
      closed = true;
      // Bounded: a server that stopped answering must not hold the caller (pg has no per-query bound here).
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
      const reset = (async () => {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.query('RESET ALL').catch(() => undefined);
      })();
      await Promise.race([reset, grace]);
      clearTimeout(timer);
      await client.end().catch(() => undefined);
    }
  };
}
