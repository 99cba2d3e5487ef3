// Certificate verdicts at their edges: exactly the fail and warn days left and a moment either side, the
// lifetime-percent thresholds, and a self-signed leaf seen through a real handshake.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRootCa, createLeaf, createSelfSignedLeaf, startTlsServer, type RunningServer } from '../../test-support/tls/index.js';
import { defaultConfig } from '../../shared/src/index.js';
import { classifyProbe, type ExpiryThresholds } from '../src/classify.js';
import { probeTls, type CertFacts, type ProbeResult } from '../src/probe.js';

const DAY_MS = 86_400_000;
const NOW = new Date(Date.UTC(2026, 10, 28, 6, 0, 0));
const { tlsWarnDays, tlsFailDays } = defaultConfig().thresholds;
const RUNBOOK: ExpiryThresholds = { warnDays: tlsWarnDays, failDays: tlsFailDays };

/** A trusted handshake whose leaf has `leftMs` of a `lifetimeDays` lifetime left at NOW. */
function probeWith(leftMs: number, lifetimeDays = 90): ProbeResult {
  const notAfter = NOW.getTime() + leftMs;
  const leaf: CertFacts = {
    subject: 'CN=api.example.com',
    issuer: 'CN=R11, O=Let\'s Encrypt',
    sans: ['DNS:api.example.com'],
    serial: '01',
    notBefore: new Date(notAfter - lifetimeDays * DAY_MS).toISOString(),
    notAfter: new Date(notAfter).toISOString(),
    key: 'EC P-256',
    fingerprint256: 'AA',
    selfIssued: false
  };
  return { address: '192.0.2.1', elapsedMs: 10, protocol: 'TLSv1.3', chain: [leaf] };
}

describe('classifyProbe at the day thresholds (the runbook: warn under 30 days, fail under 7)', () => {
  it('uses 30 and 7 days as its defaults', () => {
    expect(RUNBOOK).toEqual({ warnDays: 30, failDays: 7 });
  });

  it.each([
    { name: 'its expiry a millisecond past', leftMs: -1, status: 'fail', problems: ['expired'] },
    { name: 'no time left', leftMs: 0, status: 'fail', problems: [] },
    { name: '6 days left', leftMs: 6 * DAY_MS, status: 'fail', problems: [] },
    { name: 'a millisecond under 7 days left', leftMs: 7 * DAY_MS - 1, status: 'fail', problems: [] },
    { name: 'exactly 7 days left', leftMs: 7 * DAY_MS, status: 'warn', problems: [] },
    { name: '8 days left', leftMs: 8 * DAY_MS, status: 'warn', problems: [] },
    { name: '29 days left', leftMs: 29 * DAY_MS, status: 'warn', problems: [] },
    { name: 'a millisecond under 30 days left', leftMs: 30 * DAY_MS - 1, status: 'warn', problems: [] },
    { name: 'exactly 30 days left', leftMs: 30 * DAY_MS, status: 'ok', problems: [] },
    { name: '31 days left', leftMs: 31 * DAY_MS, status: 'ok', problems: [] }
  ])('rates a certificate with $name as $status', ({ leftMs, status, problems }) => {
    const verdict = classifyProbe(probeWith(leftMs), RUNBOOK, NOW);
    expect([verdict.status, verdict.problems]).toEqual([status, problems]);
    expect(verdict.daysLeft).toBeCloseTo(leftMs / DAY_MS, 6);
  });
});

describe('classifyProbe at the lifetime-percent thresholds', () => {
  // A 100-day certificate: its percent left equals its days left.
  const percent: ExpiryThresholds = { warnDays: 30, failDays: 7, warnPercent: 30, failPercent: 10 };
  it.each([
    { name: 'a millisecond under 10 % left', leftMs: 10 * DAY_MS - 1, lifetimeDays: 100, t: percent, status: 'fail' },
    { name: 'exactly 10 % left', leftMs: 10 * DAY_MS, lifetimeDays: 100, t: percent, status: 'warn' },
    { name: 'a millisecond under 30 % left', leftMs: 30 * DAY_MS - 1, lifetimeDays: 100, t: percent, status: 'warn' },
    { name: 'exactly 30 % left', leftMs: 30 * DAY_MS, lifetimeDays: 100, t: percent, status: 'ok' },
    // A 10-day certificate with 5 days left: under both day counts, yet half its lifetime is left.
    { name: '50 % of a short lifetime left, though under both day counts', leftMs: 5 * DAY_MS, lifetimeDays: 10, t: percent, status: 'ok' },
    // A 1000-day certificate with 50 days left: above both day counts, yet only 5 % is left.
    { name: '5 % of a long lifetime left, though above both day counts', leftMs: 50 * DAY_MS, lifetimeDays: 1000, t: percent, status: 'fail' },
    { name: '20 % of a long lifetime left and only the warn level in percent', leftMs: 200 * DAY_MS, lifetimeDays: 1000, t: { warnDays: 30, failDays: 7, warnPercent: 30 }, status: 'warn' },
    { name: '0.5 % of a long lifetime left and only the warn level in percent (the fail days decide)', leftMs: 5 * DAY_MS, lifetimeDays: 1000, t: { warnDays: 30, failDays: 7, warnPercent: 30 }, status: 'fail' },
    { name: '5 % of a long lifetime left and only the fail level in percent', leftMs: 50 * DAY_MS, lifetimeDays: 1000, t: { warnDays: 30, failDays: 7, failPercent: 10 }, status: 'fail' },
    { name: '20 % of a long lifetime left and only the fail level in percent (the warn days decide)', leftMs: 200 * DAY_MS, lifetimeDays: 1000, t: { warnDays: 30, failDays: 7, failPercent: 10 }, status: 'ok' }
  ])('rates a certificate with $name as $status', ({ leftMs, lifetimeDays, t, status }) => {
    const verdict = classifyProbe(probeWith(leftMs, lifetimeDays), t, NOW);
    expect(verdict.status).toBe(status);
    expect(verdict.percentLeft).toBeCloseTo((100 * leftMs) / (lifetimeDays * DAY_MS), 6);
  });
});

describe('a self-signed leaf seen through a real handshake', () => {
  let selfSigned: RunningServer;
  let caSigned: RunningServer;
  beforeAll(async () => {
    const leaf = await createSelfSignedLeaf({ commonName: 'localhost', dnsNames: ['localhost'] });
    selfSigned = await startTlsServer({ keyPem: leaf.keyPem, chainPem: leaf.certPem, leaf });
    const ca = await createRootCa();
    const signed = await createLeaf(ca, { commonName: 'localhost', dnsNames: ['localhost'] });
    caSigned = await startTlsServer({ keyPem: signed.keyPem, chainPem: signed.certPem, leaf: signed });
  });
  afterAll(async () => {
    await Promise.all([selfSigned?.close(), caSigned?.close()]);
  });
  const probe = (server: RunningServer): Promise<ProbeResult> => probeTls('localhost', server.host, server.port, { timeoutMs: 3000 });

  it('has a leaf that is its own issuer, and a leaf sent without its CA has not', async () => {
    expect([(await probe(selfSigned)).chain.map((c) => c.selfIssued), (await probe(caSigned)).chain.map((c) => c.selfIssued)]).toEqual([[true], [false]]);
  });

  it.each([
    { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
    { code: 'SELF_SIGNED_CERT_IN_CHAIN' },
    { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    { code: 'INVALID_CA' }
  ])('is classified self-signed whatever code OpenSSL picked: $code', async ({ code }) => {
    const verdict = classifyProbe({ ...(await probe(selfSigned)), authorizationError: code }, RUNBOOK);
    expect([verdict.status, verdict.problems]).toEqual(['fail', ['self-signed']]);
    expect(verdict.message).toBe('self-signed certificate (CN=localhost) is not trusted');
  });

  it('is not mistaken for a missing intermediate, which a CA-signed leaf sent alone is', async () => {
    const verdicts = await Promise.all([selfSigned, caSigned].map(async (s) => classifyProbe({ ...(await probe(s)), authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }, RUNBOOK).problems));
    expect(verdicts).toEqual([['self-signed'], ['missing-intermediate']]);
  });
});
