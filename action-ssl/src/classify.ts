// Turns one handshake's facts into a verdict: which problems the certificate has (expired, self-signed,
// wrong name, missing intermediate, ...), how many days it has left, and the status against the thresholds.
import type { Status } from '../../shared/src/index.js';
import type { CertFacts, ProbeResult } from './probe.js';

const DAY_MS = 86_400_000;

/** A named reason a certificate is not acceptable, in the order they are reported. */
export type Problem = 'no-handshake' | 'expired' | 'not-yet-valid' | 'self-signed' | 'missing-intermediate' | 'untrusted-root' | 'wrong-name' | 'untrusted';

/** Expiry thresholds. A percentage, when set, replaces the day count of the same level. */
export interface ExpiryThresholds {
  warnDays: number;
  failDays: number;
  /** Warn when less than this share (0–100) of the certificate's lifetime is left. */
  warnPercent?: number;
  /** Fail when less than this share (0–100) of the certificate's lifetime is left. */
  failPercent?: number;
}

/** What one address served, judged. */
export interface AddressVerdict {
  address: string;
  status: Status;
  problems: Problem[];
  /** One line: the worst thing first. */
  message: string;
  /** Days until notAfter, with a fraction (negative once expired). */
  daysLeft?: number;
  /** Whole lifetime of the certificate in days. */
  lifetimeDays?: number;
  /** Share of the lifetime left, 0–100 (negative once expired). */
  percentLeft?: number;
  probe: ProbeResult;
}

// OpenSSL verification codes and the problem each one means. Date codes are left out on purpose:
// dates are judged from the certificate itself so that days left and "expired" always agree.
const TRUST_CODES: Record<string, Problem> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'missing-intermediate',
  UNABLE_TO_GET_ISSUER_CERT: 'missing-intermediate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-root',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-root'
};
const DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CERT_NOT_BEFORE_FIELD']);

/** Formats days with one decimal, as a person reads them ("9.9 days"). */
export function formatDays(days: number): string {
  return `${days.toFixed(1)} day${Math.abs(days) === 1 ? '' : 's'}`;
}

/** The threshold line shown next to the value, e.g. `>= 30 days (fail < 7)`. */
export function describeThresholds(t: ExpiryThresholds): string {
  const warn = t.warnPercent !== undefined ? `${t.warnPercent}% of lifetime` : `${t.warnDays} days`;
  const fail = t.failPercent !== undefined ? `${t.failPercent}%` : `${t.failDays}`;
  return `>= ${warn} (fail < ${fail})`;
}

function trustProblem(code: string, chain: CertFacts[]): Problem | undefined {
  if (DATE_CODES.has(code)) return undefined;
  const mapped = TRUST_CODES[code];
  // A leaf that is its own issuer is self-signed whatever code OpenSSL picked.
  if (chain.length > 0 && chain[0].selfIssued) return 'self-signed';
  if (mapped === 'untrusted-root' && chain.length <= 1) return 'missing-intermediate';
  return mapped ?? 'untrusted';
}

function problemText(problem: Problem, probe: ProbeResult, leaf: CertFacts, now: Date): string {
  const top = probe.chain[probe.chain.length - 1] ?? leaf;
  switch (problem) {
    case 'expired':
      return `expired ${formatDays((now.getTime() - Date.parse(leaf.notAfter)) / DAY_MS)} ago (not after ${leaf.notAfter})`;
    case 'not-yet-valid':
      return `not yet valid: valid from ${leaf.notBefore}`;
    case 'self-signed':
      return `self-signed certificate (${leaf.subject}) is not trusted`;
    case 'missing-intermediate':
      return `missing intermediate: the server sends only its own certificate, not the chain to '${leaf.issuer}'`;
    case 'untrusted-root':
      return `untrusted chain: it ends at '${top.issuer}', which is not in the trust store (add it with ca-file if it is a private CA)`;
    case 'wrong-name':
      return `wrong name: ${probe.identityError ?? 'the certificate does not cover this host name'}`;
    case 'untrusted':
      return `not trusted: ${probe.authorizationError ?? 'verification failed'}`;
    case 'no-handshake':
      return probe.error ?? 'no TLS handshake';
  }
}

/** Judges one handshake against the thresholds at time `now`. */
export function classifyProbe(probe: ProbeResult, t: ExpiryThresholds, now = new Date()): AddressVerdict {
  const leaf = probe.chain[0];
  if (probe.error || !leaf) {
    return { address: probe.address, status: 'fail', problems: ['no-handshake'], message: probe.error ?? 'no certificate', probe };
  }
  const notBefore = Date.parse(leaf.notBefore);
  const notAfter = Date.parse(leaf.notAfter);
  const daysLeft = (notAfter - now.getTime()) / DAY_MS;
  const lifetimeDays = (notAfter - notBefore) / DAY_MS;
  const percentLeft = lifetimeDays > 0 ? (100 * (notAfter - now.getTime())) / (notAfter - notBefore) : 0;

  const problems: Problem[] = [];
  if (daysLeft < 0) problems.push('expired');
  if (notBefore > now.getTime()) problems.push('not-yet-valid');
  const trust = probe.authorizationError ? trustProblem(probe.authorizationError, probe.chain) : undefined;
  if (trust) problems.push(trust);
  if (probe.identityError) problems.push('wrong-name');

  const base = { address: probe.address, daysLeft, lifetimeDays, percentLeft, problems, probe };
  if (problems.length > 0) {
    return { ...base, status: 'fail', message: problems.map((p) => problemText(p, probe, leaf, now)).join('; ') };
  }
  const below = (percent: number | undefined, days: number): boolean => (percent !== undefined ? percentLeft < percent : daysLeft < days);
  const left = `${formatDays(daysLeft)} left (${percentLeft.toFixed(0)}% of ${formatDays(lifetimeDays)}), until ${leaf.notAfter}`;
  if (below(t.failPercent, t.failDays)) return { ...base, status: 'fail', message: `expires soon: ${left}` };
  if (below(t.warnPercent, t.warnDays)) return { ...base, status: 'warn', message: `renew soon: ${left}` };
  return { ...base, status: 'ok', message: `valid, ${left}` };
}
