// The audit across runs, in the core state store: a hardening-index series per host, and one series per
// warning a host has now (absent warnings' series are dropped, so a warning that comes back is new
// again). Decides what an incident is: the index fell since the last audit, or a warning appeared.
import { markdownTable, recordSample, type RunState } from '../../../shared/src/index.js';
import type { LynisReport } from './lynis-report.js';

/** The state keys, named once. */
export const AUDIT_SERIES = {
  index: (host: string): string => `audit:index:${host}`,
  warningPrefix: (host: string): string => `audit:warning:${host}:`,
  warning: (host: string, id: string): string => `audit:warning:${host}:${id}`
};

/** How this audit of one host compares with the previous one. */
export interface AuditComparison {
  /** The previous audit's index; undefined on the first audit of the host. */
  previousIndex?: number;
  previousAt?: string;
  /** Negative when the index fell. */
  delta?: number;
  dropped: boolean;
  /** Warning ids not present at the previous audit (none on the first audit: it sets the baseline). */
  newWarnings: string[];
  /** Warning ids the previous audit had and this one no longer has. */
  resolvedWarnings: string[];
  firstAudit: boolean;
}

/** Compares `report` with what the state holds for `host` (pure: the state is not changed). */
export function compareAudit(state: RunState, host: string, report: LynisReport): AuditComparison {
  const series = state.history[AUDIT_SERIES.index(host)] ?? [];
  const previous = series.at(-1);
  const prefix = AUDIT_SERIES.warningPrefix(host);
  const before = new Set(Object.keys(state.history).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  const now = new Set(report.warnings.map((w) => w.id));
  const firstAudit = previous === undefined;
  const delta = previous !== undefined && report.hardeningIndex !== undefined ? report.hardeningIndex - previous.v : undefined;
  return {
    previousIndex: previous?.v,
    previousAt: previous?.t,
    delta,
    dropped: delta !== undefined && delta < 0,
    newWarnings: firstAudit ? [] : [...now].filter((id) => !before.has(id)).sort(),
    resolvedWarnings: [...before].filter((id) => !now.has(id)).sort(),
    firstAudit
  };
}

/** Records this audit in the state: the index sample, and the warnings present now (others dropped). */
export function recordAudit(state: RunState, host: string, report: LynisReport, at: Date): void {
  if (report.hardeningIndex !== undefined) recordSample(state, AUDIT_SERIES.index(host), { t: at.toISOString(), v: report.hardeningIndex });
  const prefix = AUDIT_SERIES.warningPrefix(host);
  const now = new Set(report.warnings.map((w) => w.id));
  for (const key of Object.keys(state.history)) if (key.startsWith(prefix) && !now.has(key.slice(prefix.length))) delete state.history[key];
  for (const id of now) recordSample(state, AUDIT_SERIES.warning(host, id), { t: at.toISOString(), v: 1 });
}

/** Points per chart. */
const MAX_POINTS = 24;

/** A Mermaid line chart of each host's hardening index (last 24 audits), or '' before two audits exist. */
export function renderIndexTrend(state: RunState, hosts: string[]): string {
  const out: string[] = [];
  for (const host of hosts) {
    const series = (state.history[AUDIT_SERIES.index(host)] ?? []).slice(-MAX_POINTS);
    if (series.length < 2) continue;
    out.push(
      '```mermaid',
      'xychart-beta',
      `  title "${host.replace(/"/g, "'")}: lynis hardening index"`,
      `  x-axis [${series.map((s) => `"${s.t.slice(5, 10)} ${s.t.slice(11, 16)}"`).join(', ')}]`,
      '  y-axis "index" 0 --> 100',
      `  line [${series.map((s) => Math.round(s.v)).join(', ')}]`,
      '```',
      ''
    );
  }
  const rows = hosts
    .map((host) => {
      const series = state.history[AUDIT_SERIES.index(host)] ?? [];
      return series.length ? [host, series.at(-1)?.v ?? '', Math.min(...series.map((s) => s.v)), Math.max(...series.map((s) => s.v)), series.length] : undefined;
    })
    .filter((r) => r !== undefined);
  if (rows.length) out.push(markdownTable(['Host', { title: 'Index now', align: 'right' }, { title: 'Lowest', align: 'right' }, { title: 'Highest', align: 'right' }, { title: 'Audits kept', align: 'right' }], rows));
  return out.join('\n').trim();
}
