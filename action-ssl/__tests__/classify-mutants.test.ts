// classifyProbe's verdicts word for word (issue 14, mutation testing): every problem's sentence, the
// trust codes and the chain length they depend on, the date codes that are left to the dates, problems
// in their order, the fields of a verdict, and formatDays / describeThresholds. No handshake: facts in.
import { describe, expect, it } from '@jest/globals';
import { classifyProbe, describeThresholds, formatDays, type ExpiryThresholds } from '../src/classify.js';
import type { CertFacts, ProbeResult } from '../src/probe.js';

const DAY_MS = 86_400_000;
const NOW = new Date(Date.UTC(2026, 10, 28, 6, 0, 0));
const RUNBOOK: ExpiryThresholds = { warnDays: 30, failDays: 7 };
const iso = (offsetDays: number): string => new Date(NOW.getTime() + offsetDays * DAY_MS).toISOString();

/** A leaf valid from `fromDays` to `toDays` around NOW. */
function cert(fromDays: number, toDays: number, over: Partial<CertFacts> = {}): CertFacts {
  return {
    subject: 'CN=api.example.com',
    issuer: "CN=R11, O=Let's Encrypt",
    sans: ['DNS:api.example.com'],
    serial: '01',
    notBefore: iso(fromDays),
    notAfter: iso(toDays),
    key: 'EC P-256',
    fingerprint256: 'AA',
    selfIssued: false,
    ...over
  };
}
const INTERMEDIATE = cert(-300, 300, { subject: "CN=R11, O=Let's Encrypt", issuer: 'CN=Private Root CA' });
const ROOT = cert(-3000, 3000, { subject: 'CN=Private Root CA', issuer: 'CN=Private Root CA', selfIssued: true });
const probe = (chain: CertFacts[], over: Partial<ProbeResult> = {}): ProbeResult => ({ address: '192.0.2.1', elapsedMs: 10, protocol: 'TLSv1.3', chain, ...over });

describe('classifyProbe without a certificate', () => {
  it.each([
    { name: 'a refused connection', p: probe([], { error: 'connect ECONNREFUSED 192.0.2.1:443' }), message: 'connect ECONNREFUSED 192.0.2.1:443' },
    { name: 'an error after a certificate was seen', p: probe([cert(-10, 80)], { error: 'socket hang up' }), message: 'socket hang up' },
    { name: 'a handshake without a chain', p: probe([]), message: 'no certificate' }
  ])('fails $name with no-handshake and nothing else', ({ p, message }) => {
    expect(classifyProbe(p, RUNBOOK, NOW)).toEqual({ address: '192.0.2.1', status: 'fail', problems: ['no-handshake'], message, probe: p });
  });
});

describe('classifyProbe problems, each with its sentence', () => {
  const alone = [cert(-10, 80)];
  it.each([
    { name: 'expired 2.5 days ago', p: probe([cert(-90, -2.5)]), problems: ['expired'], message: `expired 2.5 days ago (not after ${iso(-2.5)})` },
    { name: 'expired exactly a day ago', p: probe([cert(-90, -1)]), problems: ['expired'], message: `expired 1.0 day ago (not after ${iso(-1)})` },
    { name: 'not valid before tomorrow', p: probe([cert(1, 91)]), problems: ['not-yet-valid'], message: `not yet valid: valid from ${iso(1)}` },
    { name: 'a self-signed code on a CA-issued leaf', p: probe(alone, { authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), problems: ['self-signed'], message: 'self-signed certificate (CN=api.example.com) is not trusted' },
    ...['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN'].map((code) => ({
      name: `${code} on a leaf sent alone`,
      p: probe(alone, { authorizationError: code }),
      problems: ['missing-intermediate'],
      message: "missing intermediate: the server sends only its own certificate, not the chain to 'CN=R11, O=Let's Encrypt'"
    })),
    { name: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE with an intermediate', p: probe([...alone, INTERMEDIATE], { authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), problems: ['missing-intermediate'], message: "missing intermediate: the server sends only its own certificate, not the chain to 'CN=R11, O=Let's Encrypt'" },
    {
      name: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY with an intermediate',
      p: probe([...alone, INTERMEDIATE], { authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }),
      problems: ['untrusted-root'],
      message: "untrusted chain: it ends at 'CN=Private Root CA', which is not in the trust store (add it with ca-file if it is a private CA)"
    },
    {
      name: 'SELF_SIGNED_CERT_IN_CHAIN with the whole chain',
      p: probe([...alone, INTERMEDIATE, { ...ROOT, issuer: 'CN=Top Of Chain' }], { authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      problems: ['untrusted-root'],
      message: "untrusted chain: it ends at 'CN=Top Of Chain', which is not in the trust store (add it with ca-file if it is a private CA)"
    },
    { name: 'an unknown code', p: probe(alone, { authorizationError: 'INVALID_CA' }), problems: ['untrusted'], message: 'not trusted: INVALID_CA' },
    { name: 'a self-issued leaf with an unknown code', p: probe([cert(-10, 80, { selfIssued: true })], { authorizationError: 'INVALID_CA' }), problems: ['self-signed'], message: 'self-signed certificate (CN=api.example.com) is not trusted' },
    {
      name: 'a name mismatch',
      p: probe(alone, { identityError: "Host: www.example.com. is not in the cert's altnames: DNS:api.example.com" }),
      problems: ['wrong-name'],
      message: "wrong name: Host: www.example.com. is not in the cert's altnames: DNS:api.example.com"
    },
    {
      name: 'everything at once, worst first',
      p: probe([cert(-90, -3)], { authorizationError: 'INVALID_CA', identityError: 'Host: www.example.com. is not in the cert' }),
      problems: ['expired', 'untrusted', 'wrong-name'],
      message: `expired 3.0 days ago (not after ${iso(-3)}); not trusted: INVALID_CA; wrong name: Host: www.example.com. is not in the cert`
    }
  ])('fails $name', ({ p, problems, message }) => {
    const verdict = classifyProbe(p, RUNBOOK, NOW);
    expect({ status: verdict.status, problems: verdict.problems, message: verdict.message, address: verdict.address, probe: verdict.probe }).toEqual({ status: 'fail', problems, message, address: '192.0.2.1', probe: p });
  });

  it.each(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CERT_NOT_BEFORE_FIELD'])('leaves the date code %s to the dates: a certificate they call valid is valid', (code) => {
    const verdict = classifyProbe(probe([cert(-10, 80, { selfIssued: true })], { authorizationError: code }), RUNBOOK, NOW);
    expect([verdict.status, verdict.problems, verdict.message]).toEqual(['ok', [], `valid, 80.0 days left (89% of 90.0 days), until ${iso(80)}`]);
  });

  it('is valid from the very moment of its notBefore', () => {
    expect(classifyProbe(probe([cert(0, 90)]), RUNBOOK, NOW)).toMatchObject({ status: 'ok', problems: [], daysLeft: 90, lifetimeDays: 90, percentLeft: 100 });
  });

  it('gives a certificate without a lifetime (notBefore = notAfter) 0 % left, not NaN', () => {
    const verdict = classifyProbe(probe([cert(5, 5)]), RUNBOOK, NOW);
    expect(verdict).toMatchObject({ status: 'fail', problems: ['not-yet-valid'], daysLeft: 5, lifetimeDays: 0, percentLeft: 0 });
  });

  it('gives an inverted certificate (notBefore after notAfter) 0 % left', () => {
    const verdict = classifyProbe(probe([cert(10, 5)]), RUNBOOK, NOW);
    expect(verdict).toMatchObject({ problems: ['not-yet-valid'], lifetimeDays: -5, percentLeft: 0 });
  });
});

describe('classifyProbe messages by time left (90-day certificate, warn under 30 days, fail under 7)', () => {
  it.each([
    { left: 3, status: 'fail', message: `expires soon: 3.0 days left (3% of 90.0 days), until ${iso(3)}` },
    { left: 1, status: 'fail', message: `expires soon: 1.0 day left (1% of 90.0 days), until ${iso(1)}` },
    { left: 10, status: 'warn', message: `renew soon: 10.0 days left (11% of 90.0 days), until ${iso(10)}` },
    { left: 60, status: 'ok', message: `valid, 60.0 days left (67% of 90.0 days), until ${iso(60)}` }
  ])('$left days left: $status', ({ left, status, message }) => {
    const p = probe([cert(left - 90, left)]);
    expect(classifyProbe(p, RUNBOOK, NOW)).toEqual({ address: '192.0.2.1', status, problems: [], message, daysLeft: left, lifetimeDays: 90, percentLeft: (100 * left) / 90, probe: p });
  });
});

describe('formatDays and describeThresholds', () => {
  it.each([
    [1, '1.0 day'],
    [-1, '-1.0 day'],
    [2, '2.0 days'],
    [0.5, '0.5 days'],
    [0, '0.0 days'],
    [-2.25, '-2.3 days']
  ])('formats %d as %s', (days, text) => {
    expect(formatDays(days)).toBe(text);
  });

  it.each([
    { t: { warnDays: 30, failDays: 7 }, text: '>= 30 days (fail < 7)' },
    { t: { warnDays: 30, failDays: 7, warnPercent: 30, failPercent: 10 }, text: '>= 30% of lifetime (fail < 10%)' },
    { t: { warnDays: 30, failDays: 7, warnPercent: 30 }, text: '>= 30% of lifetime (fail < 7)' },
    { t: { warnDays: 30, failDays: 7, failPercent: 10 }, text: '>= 30 days (fail < 10%)' },
    { t: { warnDays: 30, failDays: 7, warnPercent: 0, failPercent: 0 }, text: '>= 0% of lifetime (fail < 0%)' }
  ])('describes $t as $text', ({ t, text }) => {
    expect(describeThresholds(t)).toBe(text);
  });
});
