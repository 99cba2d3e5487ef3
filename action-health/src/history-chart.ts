// Renders response-time history across runs as Mermaid xychart-beta charts (GitHub renders them in job
// summaries) plus an uptime table for the last day, week and month.
import { markdownTable, type RunState } from '../../shared/src/index.js';
import { SERIES, uptimePercent } from './history.js';

/** Points per chart: more make the x-axis unreadable. */
const MAX_POINTS = 30;
/** Charts per summary: one per endpoint, the busiest first is not knowable, so the first N in order. */
const MAX_CHARTS = 8;

/**
 * One chart per endpoint (its last 30 response times) and an uptime table. Returns '' when no endpoint
 * has at least two samples yet (a chart of one point says nothing).
 */
export function renderHistoryChart(state: RunState, endpoints: { id: string; label: string }[], now = new Date()): string {
  const out: string[] = [];
  const charted = endpoints.filter((e) => (state.history[SERIES.latency(e.id)]?.length ?? 0) >= 2).slice(0, MAX_CHARTS);
  for (const e of charted) {
    const series = (state.history[SERIES.latency(e.id)] ?? []).slice(-MAX_POINTS);
    const labels = series.map((s) => `"${label(s.t, series)}"`);
    const values = series.map((s) => Math.round(s.v));
    const top = Math.max(...values, 1);
    out.push(
      '```mermaid',
      'xychart-beta',
      `  title "${e.label.replace(/"/g, "'").slice(0, 80)} — response time (ms)"`,
      `  x-axis [${labels.join(', ')}]`,
      `  y-axis "ms" 0 --> ${Math.ceil((top * 11) / 10)}`,
      `  line [${values.join(', ')}]`,
      '```',
      ''
    );
  }
  const rows = endpoints
    .map((e) => {
      const up = state.history[SERIES.up(e.id)];
      if (!up?.length) return undefined;
      const cell = (p: number): string => {
        const v = uptimePercent(up, p, now);
        return v === undefined ? '—' : `${v} %`;
      };
      return [e.label, cell(86_400_000), cell(7 * 86_400_000), cell(30 * 86_400_000), up.length];
    })
    .filter((r) => r !== undefined);
  if (rows.length) out.push(markdownTable(['Endpoint', 'Uptime 24 h', '7 days', '30 days', { title: 'Runs kept', align: 'right' }], rows));
  return charted.length || rows.length ? out.join('\n').trim() : '';
}

/** Time labels: `HH:MM` when all samples are from one day, `MM-DD HH:MM` otherwise (UTC, as runners log). */
function label(t: string, series: { t: string }[]): string {
  const iso = new Date(t).toISOString();
  const oneDay = series.every((s) => s.t.slice(0, 10) === series[0].t.slice(0, 10));
  return oneDay ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}
