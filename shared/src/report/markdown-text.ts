// Making untrusted text safe and readable in GitHub Markdown (job summaries, issue bodies), in one place.
import { scrubSecrets } from '../secrets.js';

/** Inserts a zero-width joiner after `@` so `@user` and `@org/team` notify no one. */
export function neutraliseMentions(text: string): string {
  return text.replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, '$1@\u200D');
}

/** Escapes the three characters that would let text open HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Makes one line of untrusted text inert in Markdown: secrets scrubbed first (escaping could otherwise
 * hide a secret from the scrubber), then no HTML, no table breaks, no mentions, one line, at most `max` characters.
 */
export function inlineText(text: string, max = 1000): string {
  const scrubbed = scrubSecrets(text).replace(/\s*[\r\n]+\s*/g, ' ');
  const flat = scrubbed.length > max ? `${scrubbed.slice(0, max - 1)}…` : scrubbed;
  return neutraliseMentions(escapeHtml(flat).replace(/\|/g, '\\|'));
}

/**
 * Puts untrusted text in a fenced code block whose fence is longer than any backtick run inside, so
 * the text cannot close it (CommonMark), and HTML or Markdown in it is shown, never rendered.
 */
export function fence(text: string, info = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${info}\n${text.replace(/\r\n?/g, '\n')}\n${ticks}`;
}

/** Human-readable size: `512 B`, `16 kB`, `3.2 MB`, `1.5 GB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Human-readable duration: `850 ms`, `45 s`, `12 min`, `2 h 5 min`, `3 d 4 h`; `?` when unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
