// The size and duration trend of one kind of backup, as a Mermaid chart for the job summary.
import type { ListedBackup } from '../../../shared/src/index.js';

/** How many of the latest backups the chart shows. */
export const TREND_POINTS = 14;

/** A Mermaid xychart of size (MB) and duration (s) of `backups` (newest first), or undefined when fewer than two. */
export function trendChart(title: string, backups: readonly ListedBackup[]): string | undefined {
  const points = backups.slice(0, TREND_POINTS).reverse();
  if (points.length < 2) return undefined;
  const labels = points.map((b) => `"${b.metadata.createdAt.slice(5, 16).replace('T', ' ')}"`).join(', ');
  const mb = points.map((b) => (b.sizeBytes / 1e6).toFixed(1)).join(', ');
  const secs = points.map((b) => (b.metadata.durationMs / 1000).toFixed(1)).join(', ');
  const chart = (name: string, axis: string, values: string): string =>
    ['```mermaid', 'xychart-beta', `  title "${title}: ${name}"`, `  x-axis [${labels}]`, `  y-axis "${axis}"`, `  line [${values}]`, '```'].join('\n');
  return `${chart('size', 'MB', mb)}\n\n${chart('duration', 'seconds', secs)}`;
}
