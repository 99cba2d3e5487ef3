// An in-process PostgreSQL for hermetic tests and the demo sandbox: PGlite (Postgres 18 in WASM) served over
// the real wire protocol by @electric-sql/pglite-socket on 127.0.0.1 with an ephemeral port.
// Caveats (lab.md): no authentication (any password is accepted), one backend shared by every connection
// (session settings leak between connections, pg_stat_activity shows a single "standalone backend"),
// and about 4–5 s to start — start one per test file, in beforeAll.
import { PGlite } from '@electric-sql/pglite';
import { pg_stat_statements } from '@electric-sql/pglite/contrib/pg_stat_statements';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type pg from 'pg';

/** A running PGlite wire-protocol server. */
export interface PgliteServer {
  host: string;
  port: number;
  /** A DSN with a (meaningless, PGlite does not check it) password, as a user would pass it. */
  url: string;
  /** The embedded database, for seeding without a socket round trip. */
  db: PGlite;
  /** A `pg` client config for this server; `overrides` win. */
  clientConfig(overrides?: pg.ClientConfig): pg.ClientConfig;
  stop(): Promise<void>;
}

export interface PgliteServerOptions {
  /** Load and create pg_stat_statements (default false: the "extension not installed" case). */
  pgStatStatements?: boolean;
  /** Concurrent socket connections the server accepts (default 8). */
  maxConnections?: number;
  /** Password put in `url` and `clientConfig()`; PGlite ignores it, tests use it to look for leaks. */
  password?: string;
}

/** Starts PGlite and serves it on 127.0.0.1:<ephemeral port>. */
export async function startPgliteServer(opts: PgliteServerOptions = {}): Promise<PgliteServer> {
  const db = await PGlite.create(opts.pgStatStatements ? { extensions: { pg_stat_statements } } : {});
  if (opts.pgStatStatements) await db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections ?? 8 });
  await server.start();
  // getServerConn() reports the port the OS picked once listening.
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  const host = '127.0.0.1';
  const password = opts.password ?? 'pglite-has-no-auth';
  let stopped = false;
  return {
    host,
    port,
    db,
    url: `postgresql://postgres:${encodeURIComponent(password)}@${host}:${port}/postgres`,
    clientConfig: (overrides = {}) => ({ host, port, user: 'postgres', password, database: 'postgres', ...overrides }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    }
  };
}
