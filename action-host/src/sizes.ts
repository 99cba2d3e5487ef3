// Sizes in bytes: the `journal-max-size` input (`500M`, `1G`, binary units as journalctl reads them),
// Docker's own size strings (`12.3MB`, `512kB`, `0B`: decimal units), and how a summary shows them.
import { ConfigurationError, truncate } from '../../shared/src/index.js';

const BINARY: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/**
 * Parses a size input (`500M`, `1.5G`, `200MiB`, `1024K`) into bytes, with binary units (journalctl's
 * `--vacuum-size` reads `M` as MiB). A bare number is refused: `500` could mean bytes or megabytes.
 */
export function parseSize(raw: string, what: string): number {
  const text = raw.trim();
  if (text === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)$/i.exec(text);
  if (!m) {
    const bare = /^\d+(?:\.\d+)?$/.test(text);
    throw new ConfigurationError(`${what} must be a size with its unit, such as '500M', '2G' or '100MiB', got '${truncate(text)}'${bare ? ` (write '${text}M' for megabytes)` : ''}.`);
  }
  return Math.round(Number(m[1]) * BINARY[m[2].toLowerCase()]);
}

const DECIMAL: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** Docker's size strings (`1.98MB`, `512kB`, `0B`, `N/A`) into bytes; undefined when unreadable. */
export function parseDockerSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b)\b/i.exec(text);
  return m ? Math.round(Number(m[1]) * DECIMAL[m[2].toLowerCase()]) : undefined;
}

/** `512 B`, `16.0 KiB`, `3.2 MiB`, `1.50 GiB`: binary units, as df and journalctl count. */
export function formatSize(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  if (v < 1024) return `${sign}${v} B`;
  for (const unit of ['KiB', 'MiB', 'GiB', 'TiB']) {
    v /= 1024;
    if (v < 1024 || unit === 'TiB') return `${sign}${v.toFixed(v < 10 ? 2 : 1)} ${unit}`;
  }
  return `${sign}${v} B`;
}
