// Turns a `database-url` into a pg client config and a printable target, registering the password first.
// (The health action has the same helper; both can move to the shared library once it has a database area.)
import type pg from 'pg';
import { ConfigurationError, registerUrlSecrets } from '../../shared/src/index.js';

const EXAMPLE = 'postgresql://a2a_user:PASSWORD@db.example.com:5432/a2a_world';

/** Validates a Postgres DSN, never echoing it (it holds a password), and returns a pg client config. */
export function clientConfigFromUrl(url: string, what: string): pg.ClientConfig {
  registerUrlSecrets(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`${what} is not a URL: pass a DSN such as '${EXAMPLE}' (from a secret).`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigurationError(`${what} must start with postgresql:// or postgres://, e.g. '${EXAMPLE}'.`);
  }
  if (!parsed.hostname) throw new ConfigurationError(`${what} has no host: use the form '${EXAMPLE}'.`);
  if (!parsed.pathname || parsed.pathname === '/') {
    throw new ConfigurationError(`${what} names no database: end the URL with '/<database>', e.g. '${EXAMPLE}'.`);
  }
  return { connectionString: url };
}

/** `user@host:port/database` for reports: never the password, never query parameters. */
export function describeDatabaseTarget(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'database';
  }
}
