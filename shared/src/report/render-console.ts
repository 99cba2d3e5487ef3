// Renders a report for a terminal or the Actions log: aligned columns, a status word per row.
import { scrubSecrets } from '../secrets.js';
import { formatValue, groupByKind, sortBySeverity } from './render-markdown.js';
import type { Report, Status } from './model.js';

const MARK: Record<Status, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

/** Plain-text report. Pure; secrets scrubbed. */
export function renderConsole(report: Report): string {
  const ended = report.outcome === 'finished' ? '' : `, ${report.outcome.toUpperCase()}`;
  const lines: string[] = [`${report.title}: ${report.status.toUpperCase()}${ended} (${report.checks.length} checks)`];
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const [kind, checks] of groupByKind(report.checks)) {
    lines.push('', `[${kind}]`);
    const rows = sortBySeverity(checks).map((c) => [MARK[c.status], c.target, formatValue(c), c.threshold ?? '', c.message]);
    const widths = [4, 0, 0, 0].map((min, i) => Math.min(48, Math.max(min, ...rows.map((r) => r[i].length))));
    for (const r of rows) {
      lines.push(`  ${r.slice(0, 4).map((cell, i) => cell.padEnd(widths[i])).join('  ')}  ${r[4]}`.trimEnd());
    }
  }
  return scrubSecrets(lines.join('\n'));
}
