// The one reader of PostgreSQL URLs (an input, or the env var the config names): parsed, validated and
// its password registered as a secret before anything could print it; plus the printable target.
import type { OpsConfig } from '../config/types.js';
import { ConfigurationError } from '../errors.js';
import { readSecret } from '../inputs.js';
import { registerUrlSecrets } from '../secrets.js';

const EXAMPLE = 'postgresql://a2a_user:PASSWORD@db.example.com:5432/a2a_world';

/** A validated PostgreSQL URL. `url` is a secret (its password is registered); the rest is printable. */
export interface DatabaseUrl {
  /** The DSN as given; pass it to openDatabaseSession, never to a log. */
  url: string;
  /** `user@host:port/database` for reports: never the password, never query parameters. */
  target: string;
  /** Host name as written (IPv6 without brackets). */
  host: string;
  port: number;
  database: string;
  user: string;
  /** Where the URL came from, for messages: `Input 'database-url'`, `Environment variable 'X' (config database.url-env)`. */
  source: string;
}

/**
 * Validates a Postgres DSN. The password (raw and URL-decoded) and the whole URL are registered as
 * secrets first, and the value is never echoed in an error. `what` names the input or config key in
 * errors (`Input 'database-url'`). Throws ConfigurationError saying how to fix it.
 */
export function parseDatabaseUrl(url: string, what: string): DatabaseUrl {
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
  let user: string;
  let database: string;
  try {
    decodeURIComponent(parsed.password);
    user = decodeURIComponent(parsed.username);
    database = decodeURIComponent(parsed.pathname.slice(1));
  } catch {
    throw new ConfigurationError(`${what} has a badly percent-encoded user, password or database name: encode each with encodeURIComponent.`);
  }
  const port = parsed.port ? Number(parsed.port) : 5432;
  return { url, target: describeDatabaseTarget(url), host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port, database, user, source: what };
}

/**
 * Reads the database URL of an action: the secret input `input` (e.g. `database-url`), else the
 * environment variable the config names in `database.url-env`. Undefined when neither is set (the
 * caller decides whether that is a mistake); otherwise parsed by parseDatabaseUrl.
 */
export function readDatabaseUrl(input: string, config: Pick<OpsConfig, 'database'>): DatabaseUrl | undefined {
  const fromInput = readSecret(input);
  if (fromInput) return parseDatabaseUrl(fromInput, `Input '${input}'`);
  const envName = config.database.urlEnv;
  const fromEnv = envName ? process.env[envName]?.trim() : undefined;
  if (envName && fromEnv) return parseDatabaseUrl(fromEnv, `Environment variable '${envName}' (config database.url-env)`);
  return undefined;
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
