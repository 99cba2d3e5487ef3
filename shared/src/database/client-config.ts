// Turns a PostgreSQL URL input into a pg client config and a printable target, registering the password first.
import type pg from 'pg';
import { ConfigurationError } from '../errors.js';
import { registerUrlSecrets } from '../secrets.js';

const EXAMPLE = 'postgresql://a2a_user:PASSWORD@db.example.com:5432/a2a_world';

/**
 * Validates a Postgres DSN and returns a `pg` client config for it. The password (raw and URL-decoded)
 * is registered as a secret before anything else, and the value is never echoed in the error, since
 * it is a secret. `what` names the input or config key in the error (`Input 'database-url'`).
 */
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
  try {
    decodeURIComponent(parsed.password);
    decodeURIComponent(parsed.username);
  } catch {
    throw new ConfigurationError(`${what} has a badly percent-encoded user or password: encode it with encodeURIComponent.`);
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
