// Small formatters for database check messages: durations, byte sizes, session lines.
import { presentQuery } from './query-text.js';
import type { SessionFact } from './snapshot.js';

/** How many offending sessions or rows a check lists in its details before "…and N more". */
export const DETAIL_ROWS_MAX = 10;

/** `850 ms`, `12.4 s`, `6 min 3 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (ms < 3_600_000) return joinUnits(Math.floor(totalSeconds / 60), 'min', totalSeconds % 60, 's');
  return joinUnits(Math.floor(totalSeconds / 3600), 'h', Math.floor((totalSeconds % 3600) / 60), 'min');
}

function joinUnits(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

// Sizes are written the core's one way (report/markdown-text.ts).
export { formatBytes } from '../../report/markdown-text.js';

/** One line per session: who, where, for how long, waiting on what, and the (scrubbed, cut) query. */
export function formatSession(s: SessionFact, duration: number, verb: string): string {
  const who = [s.user ?? '?', s.database ? `@${s.database}` : ''].join('');
  const parts = [`pid ${s.pid}`, who, `${verb} ${formatDuration(duration)}`];
  if (s.application) parts.push(`app '${presentQuery(s.application, 40)}'`);
  if (s.waitEvent) parts.push(`waiting on ${s.waitEvent}`);
  if (s.blockedBy.length > 0) parts.push(`blocked by pid ${s.blockedBy.join(', ')}`);
  return `${parts.join(' · ')}: ${presentQuery(s.query)}`;
}

/** Bullet list of at most DETAIL_ROWS_MAX lines, noting how many were left out. */
export function bulletList(lines: string[]): string {
  const shown = lines.slice(0, DETAIL_ROWS_MAX).map((l) => `- ${l}`);
  if (lines.length > DETAIL_ROWS_MAX) shown.push(`- …and ${lines.length - DETAIL_ROWS_MAX} more`);
  return shown.join('\n');
}
