// Names an HTTP request's network failure the way an operator would (moved from action-health's HTTP check,
// shared with action-incident's endpoint timings).
import { oneLine } from './one-line.js';

/** Names the failure the way an operator would: timeout, refused, DNS, TLS. */
export function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = e?.code ?? e?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'HPE_INVALID_CONSTANT':
      return 'connection reset before an answer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name does not resolve';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timed out';
    default:
      if (code && /CERT|SSL|TLS|ALTNAME/.test(code)) return `TLS error: ${code}`;
      return `request failed: ${oneLine(e?.message ?? e?.cause?.message ?? String(err))}`;
  }
}
