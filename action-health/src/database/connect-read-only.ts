// Opens the check's own connection: bounded connect, then one READ ONLY transaction with a statement
// timeout, so nothing the check runs can write, lock for long, or outlive its budget.
import pg from 'pg';

/** `application_name` of the check's session, so a DBA sees who is looking (and the check can skip itself). */
export const CHECK_APPLICATION_NAME = 'a2a-ops health';

/** A connected client inside `BEGIN READ ONLY`; `close()` rolls back and disconnects. */
export interface ReadOnlySession {
  client: pg.Client;
  connectMs: number;
  close(): Promise<void>;
}

/**
 * Connects within `timeoutMs` and opens a read-only transaction whose `statement_timeout` and
 * `lock_timeout` are `timeoutMs`. The settings are `SET LOCAL`: they end with the transaction, which
 * matters on a pooled connection (pgbouncer) and on PGlite, whose one backend is shared by every client.
 * `clientConfig` may carry a `stream` (an SSH-forwarded channel) instead of host/port.
 */
export async function connectReadOnly(clientConfig: pg.ClientConfig, timeoutMs: number): Promise<ReadOnlySession> {
  const client = new pg.Client({
    ...clientConfig,
    application_name: clientConfig.application_name ?? CHECK_APPLICATION_NAME,
    connectionTimeoutMillis: timeoutMs,
    // Client-side guard in case the server stops answering altogether: a bit longer than statement_timeout,
    // so the server's own (clearer) error normally wins.
    query_timeout: timeoutMs + 1000,
    keepAlive: true
  });
  // A server that dies mid-check emits 'error' on the client; without a listener that would crash the process.
  client.on('error', () => undefined);
  const started = performance.now();
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  const connectMs = Math.round(performance.now() - started);
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    client,
    connectMs,
    async close() {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  };
}
