// The Wednesday "Review error logs for patterns": which log lines are errors, and the signature that
// makes two occurrences of one error the same pattern (ids, numbers, timestamps and addresses masked).

/** Words that make a line an error line, as the usual log formats write levels and failures. */
const ERROR_LINE = /\b(error|err|fatal|panic|critical|crit|exception|traceback|failed|failure|unhandled|segfault|oom|killed)\b|level=(error|fatal|panic)|"level"\s*:\s*"(error|fatal|panic)"/i;
/** Lines that mention errors without being one (`0 errors`, `errors=0`, `error_count: 0`). */
const NOT_AN_ERROR = /\b(0|no) errors?\b|\berrors?[=:]\s*0\b/i;

/** True when a log line reports an error. */
export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line) && !NOT_AN_ERROR.test(line);
}

/** The masks, in the order they apply: wider shapes first, so a timestamp is not eaten as numbers. */
const MASKS: ReadonlyArray<[RegExp, string]> = [
  // ISO 8601 / RFC 3339 date-times (with T or space, fractions, zone), then bare dates and times.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2}| ?UTC)?/g, '<ts>'],
  // Common log format: 01/Dec/2026:14:27:43 +0000
  [/\b\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}( [+-]\d{4})?/g, '<ts>'],
  // syslog: Dec  1 14:27:43
  [/\b[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}\b/g, '<ts>'],
  [/\b\d{4}-\d{2}-\d{2}\b/g, '<date>'],
  [/\b\d{2}:\d{2}:\d{2}([.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // IPv4 with an optional port, then IPv6 (at least three groups, so `a:b` labels survive).
  [/\b(\d{1,3}\.){3}\d{1,3}(:\d{1,5})?\b/g, '<ip>'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Hex ids (container ids, hashes, trace ids): 8+ hex digits holding at least one digit and one letter
  // (all-digit runs are numbers, below; all-letter ones are words).
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Numbers, with decimals and units glued on (`12ms`, `3.5s`, `#42`, `pid=123`).
  [/(?<![A-Za-z])\d+([.,]\d+)?/g, '<n>']
];

/** Longest signature kept: long enough to tell errors apart, short enough for a table and a state key. */
export const SIGNATURE_MAX = 160;

/**
 * The normalised signature of an error line: Docker's receive timestamp stripped, every id, number,
 * timestamp and address masked, whitespace collapsed, cut to SIGNATURE_MAX. Two lines that differ only
 * in such values get the same signature.
 */
export function errorSignature(line: string): string {
  let s = stripDockerTimestamp(line).text;
  for (const [re, mask] of MASKS) s = s.replace(re, mask);
  // Control characters and whitespace runs alike become one space.
  s = s.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return s.length > SIGNATURE_MAX ? `${s.slice(0, SIGNATURE_MAX - 1)}…` : s;
}

const DOCKER_TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) /;

/** Splits `docker logs --timestamps`' leading receive time (RFC 3339, UTC) from the line. */
export function stripDockerTimestamp(line: string): { at?: string; text: string } {
  const m = DOCKER_TS.exec(line);
  if (!m) return { text: line };
  // Nanoseconds are more than Date keeps: Node's Date.parse reads a fraction of any length and keeps its
  // milliseconds (truncated), which are enough for first/last seen.
  const at = new Date(Date.parse(m[1])).toISOString();
  return { at, text: line.slice(m[0].length) };
}
