// The one Markdown table writer: every table in a summary, an issue or a comment goes through it, so
// a `|`, a line break, an @mention or HTML in a cell can never break the table or ping anyone.
import { escapeHtml, neutraliseMentions } from './markdown-text.js';

/** Column alignment: `right` for numbers. */
export type Align = 'left' | 'right' | 'center';

export interface Column {
  title: string;
  align?: Align;
}

/** Text made safe inside a table cell: HTML escaped, mentions neutralised, `|` and line breaks kept in the cell. */
export function escapeCell(text: string): string {
  return neutraliseMentions(escapeHtml(text)).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * A GitHub-flavoured Markdown table. Cells are escaped unless passed as `{ markdown }` (icons, links or
 * code the caller wrote itself).
 */
export function markdownTable(columns: ReadonlyArray<string | Column>, rows: ReadonlyArray<ReadonlyArray<string | number | { markdown: string }>>): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { title: c } : c));
  const rule = cols.map((c) => (c.align === 'right' ? '---:' : c.align === 'center' ? ':---:' : '---'));
  const cell = (v: string | number | { markdown: string }): string => (typeof v === 'object' ? v.markdown : escapeCell(String(v)));
  return [`| ${cols.map((c) => escapeCell(c.title)).join(' | ')} |`, `|${rule.join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
