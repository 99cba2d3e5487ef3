// Renders a report as the job summary: a headline, one table per check kind, folded details, extra sections.
import { scrubSecrets } from '../secrets.js';
import { escapeHtml, fence, formatDuration, neutraliseMentions } from './markdown-text.js';
import { escapeCell, markdownTable } from './markdown-table.js';
import type { Check, Report, Status } from './model.js';

export const STATUS_ICON: Record<Status, string> = { ok: '✅', warn: '⚠️', fail: '❌' };
const STATUS_WORD: Record<Status, string> = { ok: 'OK', warn: 'Warning', fail: 'Failing' };
/** A run that did not finish says so in the headline, whatever its checks say. */
const OUTCOME_WORD: Partial<Record<Report['outcome'], string>> = { stopped: 'Stopped', cancelled: 'Cancelled' };

/** Markdown for GitHub's job summary. Pure; secrets scrubbed. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const failing = report.checks.filter((c) => c.status !== 'ok').length;
  out.push(`## ${STATUS_ICON[report.status]} ${escapeCell(report.title)}: ${OUTCOME_WORD[report.outcome] ?? STATUS_WORD[report.status]}`);
  out.push('');
  out.push(
    `${report.checks.length} check${report.checks.length === 1 ? '' : 's'}, ${failing} not ok · ` +
      `started ${report.startedAt} · took ${formatDuration(Date.parse(report.finishedAt) - Date.parse(report.startedAt))}`
  );
  for (const note of report.notes) out.push('', `> ${escapeInline(note)}`);
  for (const [kind, checks] of groupByKind(report.checks)) {
    const rows = sortBySeverity(checks).map((c) => [{ markdown: STATUS_ICON[c.status] }, c.target, formatValue(c), c.threshold ?? '', c.message]);
    out.push('', `### ${kindTitle(kind)}`, '', markdownTable(['', 'Target', 'Value', 'Threshold', 'Result'], rows));
    const detailed = checks.filter((c) => c.details);
    for (const c of detailed) {
      out.push('', `<details><summary>${STATUS_ICON[c.status]} ${escapeHtml(c.target)}</summary>`, '', fence(c.details ?? ''), '', '</details>');
    }
  }
  for (const s of report.sections) out.push('', `### ${escapeInline(s.title)}`, '', s.markdown);
  return scrubSecrets(out.join('\n')) + '\n';
}

/** Value with its unit, or an empty string. */
export function formatValue(c: Pick<Check, 'value' | 'unit'>): string {
  if (c.value === undefined) return '';
  const v = typeof c.value === 'number' ? formatNumber(c.value) : c.value;
  return c.unit ? `${v} ${c.unit}` : String(v);
}

/** `1234` → `1234`, `12.3456` → `12.35`. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}

/** Checks grouped by kind, in first-seen order. */
export function groupByKind(checks: readonly Check[]): Map<string, Check[]> {
  const groups = new Map<string, Check[]>();
  for (const c of checks) groups.set(c.kind, [...(groups.get(c.kind) ?? []), c]);
  return groups;
}

/** Failing first, then warnings, then ok; stable otherwise. */
export function sortBySeverity(checks: readonly Check[]): Check[] {
  const rank: Record<Status, number> = { fail: 0, warn: 1, ok: 2 };
  return [...checks].sort((a, b) => rank[a.status] - rank[b.status]);
}

function kindTitle(kind: string): string {
  const titles: Record<string, string> = {
    http: 'HTTP endpoints',
    host: 'Hosts',
    container: 'Containers',
    database: 'Database',
    tls: 'TLS certificates',
    nats: 'Agents and NATS',
    run: 'Run'
  };
  return titles[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}

function escapeInline(text: string): string {
  return neutraliseMentions(escapeHtml(text));
}

