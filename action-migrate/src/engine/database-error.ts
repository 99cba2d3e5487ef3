// PostgreSQL errors told the way a person fixing a migration needs them: the file, the line the server
// pointed at, its message, detail and hint, and the SQLSTATE; plus the classes the engine acts on.

/** The fields of a server error that pg passes on (a DatabaseError). */
export interface ServerError {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

/** SQLSTATE 55P03 lock_not_available: `lock_timeout` fired (retried with backoff). */
export const LOCK_NOT_AVAILABLE = '55P03';
/** SQLSTATE 57014 query_canceled: `statement_timeout` fired, or the run was cancelled. */
export const QUERY_CANCELED = '57014';

export function asServerError(error: unknown): ServerError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Partial<ServerError> & { severity?: string };
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.message === 'string' ? (e as ServerError) : undefined;
}

export function isLockTimeout(error: unknown): boolean {
  return asServerError(error)?.code === LOCK_NOT_AVAILABLE;
}

/** The connection itself went away (server restarted, network cut): the outcome of an in-flight COMMIT is unknown. */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08003', '08000'].includes(code)) return true;
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|terminating connection/i.test(e?.message ?? '');
}

/**
 * One line (plus detail/hint) for a failed migration statement. `position` is the server's 1-based
 * character offset into `sentText`, which started at `sentOffset` of `fileText`: turned into a file line.
 */
export function describeMigrationError(error: unknown, ctx: { file: string; fileText: string; sentOffset: number; sentText: string; statementLine?: number }): string {
  const server = asServerError(error);
  if (!server) {
    const message = error instanceof Error ? error.message : String(error);
    return `${ctx.file}: ${message}`;
  }
  let where = ctx.statementLine ? `${ctx.file}:${ctx.statementLine}` : ctx.file;
  const pos = server.position ? Number(server.position) : NaN;
  if (Number.isInteger(pos) && pos > 0) {
    // Characters, not bytes: JavaScript string offsets match PostgreSQL's character positions for BMP text.
    const offset = Math.max(0, ctx.sentOffset + Math.min(pos - 1, ctx.sentText.length));
    const before = ctx.fileText.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    where = `${ctx.file}:${line}:${column}`;
  }
  const parts = [`${where}: ${server.message} (SQLSTATE ${server.code})`];
  if (server.detail) parts.push(`Detail: ${server.detail}`);
  if (server.hint) parts.push(`Hint: ${server.hint}`);
  if (server.where) parts.push(`Where: ${server.where.split('\n')[0]}`);
  return parts.join('. ');
}
