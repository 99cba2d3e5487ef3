// Turns a failed PostgreSQL connection attempt into the one line a person needs (pg_isready's words
// where they fit), scrubbed of every registered secret.
import { scrubSecrets } from '../secrets.js';

interface ErrorLike {
  code?: string;
  message?: string;
}

/**
 * Says why the database could not be reached: refused ("not accepting connections"), no answer within
 * the timeout, unknown host, rejected credentials, missing database, starting up / shutting down,
 * too many clients. The text is scrubbed of registered secrets.
 */
export function describeConnectError(error: unknown, timeoutMs: number): string {
  const e = (error ?? {}) as ErrorLike;
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  const text = ((): string => {
    switch (code) {
      case 'ECONNREFUSED':
        return 'not accepting connections: connection refused (is the server running and listening on this port?)';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return 'not accepting connections: the host name does not resolve';
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return 'not accepting connections: no route to the host';
      case 'ECONNRESET':
        return 'not accepting connections: the server closed the connection during start-up';
      case '28P01':
        return `rejected the credentials: ${message}`;
      case '28000':
        return `rejected the connection (pg_hba.conf or role): ${message}`;
      case '3D000':
        return `accepting connections, but ${message}`;
      case '57P03':
        return `not accepting connections: ${message}`;
      case '53300':
        return `not accepting connections: ${message} (max_connections reached)`;
    }
    if (/timeout/i.test(message)) return `no answer within ${timeoutMs} ms (pg_isready: no response)`;
    if (/terminated unexpectedly|ended unexpectedly/i.test(message)) {
      return 'not accepting connections: the server closed the connection during start-up';
    }
    return `could not connect: ${message}`;
  })();
  return scrubSecrets(text);
}
