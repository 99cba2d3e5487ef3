// A summary section from health-core checks: one row per check, their details (session lists) folded.
import { escapeHtml, fence, markdownTable, STATUS_ICON, type Check, type ReportSection } from '../../../shared/src/index.js';

export function checksSection(title: string, checks: readonly Check[]): ReportSection {
  const table = markdownTable(
    ['Check', 'Status', 'Message'],
    checks.map((c) => [c.id, { markdown: `${STATUS_ICON[c.status]} ${c.status}` }, c.message])
  );
  const details = checks
    .filter((c) => c.details)
    .map((c) => `<details><summary>${escapeHtml(c.id)}</summary>\n\n${fence(c.details ?? '')}\n\n</details>`);
  return { title, markdown: [table, ...details].join('\n\n') };
}
