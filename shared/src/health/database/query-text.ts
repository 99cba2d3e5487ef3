// Query text as it may appear in a report: one line, short, with passwords and registered secrets removed.
import { scrubSecrets } from '../../secrets.js';

/** Longest query excerpt shown in check details. */
export const QUERY_TEXT_MAX = 160;

// `ALTER ROLE x PASSWORD '...'`, `CREATE USER ... WITH ENCRYPTED PASSWORD '...'`: the literal is a secret
// nobody registered, so it is cut out by shape as well.
const PASSWORD_LITERAL = /(password\s+)('(?:[^']|'')*'|\$\$[\s\S]*?\$\$)/gi;

/**
 * Makes a query printable: secrets scrubbed, password literals replaced, whitespace collapsed to one line,
 * cut at `max` characters with an ellipsis.
 */
export function presentQuery(query: string | null | undefined, max = QUERY_TEXT_MAX): string {
  if (!query) return '(no query text)';
  // Scrub before collapsing whitespace, so a secret spread over the original text is still found.
  const clean = scrubSecrets(query)
    .replace(PASSWORD_LITERAL, "$1'***'")
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
