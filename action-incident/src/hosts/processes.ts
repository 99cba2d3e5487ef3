// The runbook's "docker-compose exec api ps aux --sort=-%mem | head": the top processes by memory in a
// container. BusyBox images (as the lab's, and many alpine ones) have a ps without --sort or aux: the
// script detects that, falls back to `ps -o pid,user,rss,vsz,args` sorted here by RSS, and says so.

/** Which ps the container had. */
export type PsMode = 'sorted' | 'rss' | 'plain';

/** The script run with `compose exec -T <service> sh -c`; its first line names the mode. */
export const PS_SCRIPT = [
  'if out=$(ps aux --sort=-%mem 2>/dev/null); then echo @@sorted; printf "%s\\n" "$out"',
  'elif out=$(ps -o pid,user,rss,vsz,args 2>/dev/null); then echo @@rss; printf "%s\\n" "$out"',
  'else echo @@plain; ps 2>&1; fi'
].join('\n');

/** The top processes of one container. */
export interface TopProcesses {
  mode: PsMode;
  /** The header line and the top `limit` rows, as ps printed them. */
  lines: string[];
  /** Set when the order is not ps's own `--sort=-%mem`. */
  note?: string;
}

/** Reads the script's output: the mode line, then ps's table; keeps the header and `limit` rows. */
export function parsePsOutput(stdout: string, limit: number): TopProcesses {
  const all = stdout.replace(/\r/g, '').split('\n');
  const first = all.findIndex((l) => l.startsWith('@@'));
  // No mode line (first is -1): no marker, so plain.
  const marker = all[first]?.trim();
  const table = all.slice(first + 1).filter((l) => l.trim() !== '');
  const [header = '', ...rows] = table;
  if (marker === '@@sorted') return { mode: 'sorted', lines: [header, ...rows.slice(0, limit)] };
  if (marker === '@@rss') {
    const cols = header.trim().split(/\s+/);
    const rssAt = cols.findIndex((c) => c.toUpperCase() === 'RSS');
    const rss = (row: string): number => parseRss(row.trim().split(/\s+/)[rssAt]);
    const sorted = rssAt >= 0 ? [...rows].sort((a, b) => rss(b) - rss(a)) : rows;
    return {
      mode: 'rss',
      lines: [header, ...sorted.slice(0, limit)],
      note: "this container's ps (BusyBox) has no --sort: sorted by RSS from `ps -o pid,user,rss,vsz,args`"
    };
  }
  return { mode: 'plain', lines: [header, ...rows.slice(0, limit)], note: "this container's ps shows no memory column: processes in ps's own order" };
}

/** BusyBox prints RSS in KiB, with `m`/`g` suffixes once large (`12m`). */
export function parseRss(value: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)([kmg])?$/i.exec(value ?? '');
  if (!m) return -1;
  const n = Number(m[1]);
  // No suffix is KiB.
  const unit = m[2]?.toLowerCase();
  return unit === 'g' ? n * 1024 * 1024 : unit === 'm' ? n * 1024 : n;
}
