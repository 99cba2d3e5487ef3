// Parses TLS endpoints (`host[:port]`, `[v6]:port`, `https://` URLs, `name:port=address`) with an allow-list,
// before any connection is made, and takes the TLS endpoints of the ops config when no input names any.
import { isIP } from 'node:net';
import { ConfigurationError, isHostName, truncate, type EndpointConfig } from '../../shared/src/index.js';

/** One TLS endpoint to check: the name verified against the certificate, and where to connect. */
export interface TlsTarget {
  /** Host name or IP literal the certificate must match (sent as SNI when it is a name). */
  host: string;
  port: number;
  /** A fixed address to connect to instead of resolving `host` (`name:port=address`). */
  address?: string;
  /** As the user wrote it (scrubbed of control characters), for messages. */
  label: string;
}

function parsePort(raw: string, what: string): number {
  if (!/^\d{1,5}$/.test(raw)) throw new ConfigurationError(`${what}: the port must be a number from 1 to 65535, got '${truncate(raw)}'.`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new ConfigurationError(`${what}: the port must be a number from 1 to 65535, got ${port}.`);
  return port;
}

function assertHost(host: string, what: string): void {
  if (isIP(host) === 0 && !isHostName(host)) {
    throw new ConfigurationError(
      `${what}: '${truncate(host)}' is not a host name or IP address. Write one endpoint per line as host[:port] (e.g. 'api.example.com:443', '[2001:db8::1]:8443').`
    );
  }
}

/**
 * Parses one endpoint. Accepts `host`, `host:port`, `[ipv6]`, `[ipv6]:port`, a bare IPv6 literal,
 * `https://host[:port][/path]`, and `name[:port]=address` (connect to `address`, verify as `name`, like
 * curl's --resolve). `what` names the input or config key in errors.
 */
export function parseTlsTarget(raw: string, what: string, defaultPort = 443): TlsTarget {
  // No trimming here: list readers already trim, and a stray newline inside an entry must be refused.
  const text = raw;
  if (!/^[\x21-\x7e]+$/.test(text)) {
    throw new ConfigurationError(`${what}: '${truncate(text)}' contains spaces or characters outside printable ASCII; write host[:port].`);
  }
  if (text.startsWith('-')) throw new ConfigurationError(`${what}: an endpoint may not start with '-', got '${truncate(text)}'.`);

  let endpoint = text;
  let address: string | undefined;
  const eq = text.indexOf('=');
  if (eq >= 0) {
    endpoint = text.slice(0, eq);
    address = text.slice(eq + 1).replace(/^\[(.*)\]$/, '$1');
    if (isIP(address) === 0) throw new ConfigurationError(`${what}: after '=' must come an IP address to connect to, got '${truncate(address)}'.`);
  }

  if (/^https:\/\//i.test(endpoint)) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigurationError(`${what}: '${truncate(endpoint)}' is not a valid URL.`);
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    assertHost(host, what);
    return { host, port: url.port ? parsePort(url.port, what) : 443, address, label: text };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    throw new ConfigurationError(`${what}: only https:// URLs carry a certificate, got '${truncate(endpoint)}'.`);
  }

  let host: string;
  let port = defaultPort;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(endpoint);
  if (bracketed) {
    host = bracketed[1];
    if (isIP(host) !== 6) throw new ConfigurationError(`${what}: brackets are for IPv6 addresses, got '${truncate(host)}'.`);
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], what);
  } else if (isIP(endpoint) === 6) {
    host = endpoint;
  } else {
    const parts = endpoint.split(':');
    if (parts.length > 2) throw new ConfigurationError(`${what}: write IPv6 addresses with a port as [address]:port, got '${truncate(endpoint)}'.`);
    host = parts[0];
    if (parts.length === 2) port = parsePort(parts[1], what);
  }
  assertHost(host, what);
  return { host: host.replace(/\.$/, ''), port, address, label: text };
}

/** Parses a list of endpoints, dropping duplicates (same name, port and address). */
export function parseTlsTargets(entries: readonly string[], what: string): TlsTarget[] {
  const seen = new Map<string, TlsTarget>();
  for (const entry of entries) {
    const target = parseTlsTarget(entry, what);
    seen.set(targetKey(target), target);
  }
  return [...seen.values()];
}

/** The TLS endpoints of the ops config: those with `tls: true`, whose URL must then be https. */
export function targetsFromConfig(endpoints: readonly EndpointConfig[]): TlsTarget[] {
  return parseTlsTargets(
    endpoints.filter((e) => e.tls).map((e) => {
      if (!/^https:\/\//i.test(e.url)) {
        throw new ConfigurationError(`ops config endpoint '${e.name}' has 'tls: true' but its url is not https: use an https:// url or set 'tls: false'.`);
      }
      return e.url;
    }),
    'ops config endpoints'
  );
}

/** Stable identity of an endpoint: also its check id and issue key. */
export function targetKey(target: TlsTarget): string {
  const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  return `${host}:${target.port}${target.address ? `=${target.address}` : ''}`;
}
