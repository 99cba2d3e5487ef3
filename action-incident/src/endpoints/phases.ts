// The runbook's `curl -w "@curl-format.txt"` timings from the moments a request reached: DNS, connect,
// TLS, first byte, total; cumulative like curl's time_* variables, and where a request that never
// finished stalled. Pure, so every case is tested without a network.

/** Milliseconds since the request started at which each moment was reached (absent: not reached). */
export interface PhaseMarks {
  /** The name resolved (`socket 'lookup'`); absent for an IP literal, which needs no lookup. */
  lookup?: number;
  /** TCP connected (`socket 'connect'`). */
  connect?: number;
  /** TLS handshake done (`tls 'secureConnect'`); https only. */
  secure?: number;
  /** Response headers arrived (curl's time_starttransfer). */
  firstByte?: number;
  /** Body read to its end. */
  end?: number;
}

/** The phases a request goes through, in order. */
export const PHASES = ['dns', 'connect', 'tls', 'first byte', 'body'] as const;
export type Phase = (typeof PHASES)[number];

/** curl's cumulative times, in ms (undefined: that moment was not reached). */
export interface Timings {
  /** time_namelookup */
  dns?: number;
  /** time_connect */
  connect?: number;
  /** time_appconnect (0 for plain http, as curl prints it) */
  tls?: number;
  /** time_starttransfer */
  firstByte?: number;
  /** time_total */
  total?: number;
  /** The first phase not completed, for a request that did not finish. */
  stalledIn?: Phase;
}

/**
 * Cumulative timings from the marks. A connection that needed no lookup (an IP literal, or a socket
 * connected before the lookup event could fire) counts DNS as 0, as curl does. For plain http, TLS is 0.
 */
export function computePhases(marks: PhaseMarks, https: boolean): Timings {
  const t: Timings = {};
  if (marks.lookup !== undefined) t.dns = marks.lookup;
  else if (marks.connect !== undefined) t.dns = 0;
  if (marks.connect !== undefined) t.connect = marks.connect;
  if (https) {
    if (marks.secure !== undefined) t.tls = marks.secure;
  } else if (marks.connect !== undefined) t.tls = 0;
  if (marks.firstByte !== undefined) t.firstByte = marks.firstByte;
  if (marks.end !== undefined) t.total = marks.end;
  if (t.total === undefined) t.stalledIn = firstMissing(t);
  return t;
}

function firstMissing(t: Timings): Phase {
  if (t.dns === undefined) return 'dns';
  if (t.connect === undefined) return 'connect';
  if (t.tls === undefined) return 'tls';
  if (t.firstByte === undefined) return 'first byte';
  return 'body';
}

/** The runbook's curl-format lines for one request, as curl prints them (seconds, three decimals). */
export function formatCurlStyle(t: Timings): string {
  const s = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(3)}s`);
  return [
    `time_namelookup: ${s(t.dns)}`,
    `time_connect: ${s(t.connect)}`,
    `time_appconnect: ${s(t.tls)}`,
    `time_starttransfer: ${s(t.firstByte)}`,
    `time_total: ${s(t.total)}`
  ].join(', ');
}
