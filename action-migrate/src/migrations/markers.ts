// Directives a migration file may carry in a comment of its own line: today only the one that runs the
// file outside a transaction (for CREATE INDEX CONCURRENTLY, which PostgreSQL refuses inside one).

/** The marker, on a line of its own: `-- migrate:no-transaction`. Keep in step with README.md. */
export const NO_TRANSACTION_MARKER = 'migrate:no-transaction';

const MARKER_LINE = /^\s*--\s*migrate:no-transaction\s*$/m;

/** True when the file opts out of the per-migration transaction. */
export function hasNoTransactionMarker(text: string): boolean {
  return MARKER_LINE.test(text);
}
