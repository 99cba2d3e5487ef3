// Hermetic TLS checks: in-process servers on loopback serving certificates from the test factory.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rootCertificates } from 'node:tls';
import { createTlsScenarios, startHangingServer, startTlsServer, type RunningServer, type TlsScenarioSet } from '../../test-support/tls/index.js';
import { certificatesSection, checkEndpoints, endpointCheck, minDaysLeft, type EndpointResult } from '../src/check-endpoints.js';
import type { ExpiryThresholds } from '../src/classify.js';
import { parseTlsTarget } from '../src/targets.js';

const THRESHOLDS: ExpiryThresholds = { warnDays: 30, failDays: 7 };
type Case = 'valid' | 'expiring' | 'expired' | 'notYetValid' | 'wrongName' | 'selfSigned' | 'missingIntermediate';
const CASES: Case[] = ['valid', 'expiring', 'expired', 'notYetValid', 'wrongName', 'selfSigned', 'missingIntermediate'];

let scenarios: TlsScenarioSet;
const servers: Partial<Record<Case, RunningServer>> = {};
let hanging: RunningServer;
let ca: string[];

beforeAll(async () => {
  scenarios = await createTlsScenarios();
  for (const c of CASES) servers[c] = await startTlsServer(scenarios[c]);
  hanging = await startHangingServer();
  ca = [...rootCertificates, scenarios.root.certPem];
});

afterAll(async () => {
  await Promise.all([...Object.values(servers).map((s) => s.close()), hanging?.close()]);
});

async function checkOne(c: Case, host = 'localhost', extraCa = true): Promise<EndpointResult> {
  const target = parseTlsTarget(`${host}:${servers[c]!.port}`, 'test');
  const [result] = await checkEndpoints([target], {
    thresholds: THRESHOLDS,
    timeoutMs: 3000,
    ca: extraCa ? ca : undefined,
    concurrency: 4,
    lookup: async () => ['127.0.0.1']
  });
  return result;
}

describe('checking one endpoint per certificate case', () => {
  it.each([
    ['valid', 'ok', [], 89, 90],
    ['expiring', 'warn', [], 9, 10],
    ['expired', 'fail', ['expired'], -6, -4],
    ['notYetValid', 'fail', ['not-yet-valid'], 94, 95],
    ['wrongName', 'fail', ['wrong-name'], 89, 90],
    ['selfSigned', 'fail', ['self-signed'], 89, 90],
    ['missingIntermediate', 'fail', ['missing-intermediate'], 89, 90]
  ] as const)('the %s certificate is classified %s with problems %j and the right days left', async (c, status, problems, minDays, maxDays) => {
    const result = await checkOne(c);
    expect(result.status).toBe(status);
    expect(result.verdicts).toHaveLength(1);
    expect(result.verdicts[0].problems).toEqual(problems);
    expect(result.daysLeft).toBeGreaterThan(minDays);
    expect(result.daysLeft).toBeLessThan(maxDays);
    const check = endpointCheck(result, THRESHOLDS);
    expect(check.id).toBe(`tls:localhost:${servers[c]!.port}`);
    expect(check.value).toBeCloseTo(result.daysLeft!, 2);
  });

  it('reports the subject, issuer, SANs, serial, key type and TLS version of the certificate', async () => {
    const result = await checkOne('valid');
    const details = endpointCheck(result, THRESHOLDS).details ?? '';
    expect(details).toContain('subject: CN=localhost');
    expect(details).toContain('issuer: CN=A2A Test Intermediate CA');
    expect(details).toContain('DNS:localhost');
    expect(details).toContain('IP Address:127.0.0.1');
    expect(details).toContain(`serial: ${scenarios.valid.leaf.cert.serialNumber.toUpperCase()}`);
    expect(details).toContain('key: EC P-256');
    expect(details).toMatch(/protocol: TLSv1\.3/);
    expect(details).toContain('CN=localhost ← CN=A2A Test Intermediate CA ← CN=A2A Test Root CA');
  });

  it('names the problem in the message of each failing case', async () => {
    const messages = Object.fromEntries(
      await Promise.all((['expired', 'wrongName', 'selfSigned', 'missingIntermediate'] as const).map(async (c) => [c, endpointCheck(await checkOne(c), THRESHOLDS).message]))
    );
    expect(messages.expired).toMatch(/^expired 5\.\d days ago/);
    expect(messages.wrongName).toMatch(/^wrong name: .*other\.example\.test/);
    expect(messages.selfSigned).toMatch(/^self-signed certificate \(CN=localhost\)/);
    expect(messages.missingIntermediate).toMatch(/^missing intermediate: .*A2A Test Intermediate CA/);
  });

  it('finds a valid chain untrusted without ca-file, because the test root is not a system root', async () => {
    const result = await checkOne('valid', 'localhost', false);
    expect(result.status).toBe('fail');
    expect(result.verdicts[0].problems).toEqual(['untrusted-root']);
  });

  it('verifies an IP literal against the IP SANs without sending SNI', async () => {
    const result = await checkOne('valid', '127.0.0.1');
    expect(result.status).toBe('ok');
  });
});

describe('bounded waiting', () => {
  it('fails a port that accepts TCP but never answers with "no TLS handshake within N ms" after about N ms', async () => {
    const started = Date.now();
    const [result] = await checkEndpoints([parseTlsTarget(`127.0.0.1:${hanging.port}`, 'test')], {
      thresholds: THRESHOLDS,
      timeoutMs: 400,
      concurrency: 1
    });
    const took = Date.now() - started;
    expect(result.status).toBe('fail');
    expect(result.verdicts[0].message).toBe('no TLS handshake within 400 ms');
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(2000);
    expect(result.daysLeft).toBeUndefined();
  });

  it('fails a closed port with a connection-refused message', async () => {
    const closed = await startHangingServer();
    const port = closed.port;
    await closed.close();
    const [result] = await checkEndpoints([parseTlsTarget(`127.0.0.1:${port}`, 'test')], { thresholds: THRESHOLDS, timeoutMs: 2000, concurrency: 1 });
    expect(result.status).toBe('fail');
    expect(result.verdicts[0].message).toMatch(/connection refused by 127\.0\.0\.1:\d+/);
  });

  it('fails a name that does not resolve, naming it', async () => {
    const [result] = await checkEndpoints([parseTlsTarget('nowhere.invalid:443', 'test')], {
      thresholds: THRESHOLDS,
      timeoutMs: 2000,
      concurrency: 1,
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
      }
    });
    expect(result.status).toBe('fail');
    expect(endpointCheck(result, THRESHOLDS).message).toBe('nowhere.invalid does not resolve (no such name)');
  });
});

describe('every address behind a name', () => {
  it('checks each address a name resolves to and reports the worst one when a load balancer serves different certificates', async () => {
    // Same port on 127.0.0.1 and 127.0.0.2: a "load balancer" whose second node still serves an expiring cert.
    const good = servers.valid!;
    const stale = await startTlsServer(scenarios.expiring, { host: '127.0.0.2', port: good.port });
    try {
      const [result] = await checkEndpoints([parseTlsTarget(`localhost:${good.port}`, 'test')], {
        thresholds: THRESHOLDS,
        timeoutMs: 3000,
        ca,
        concurrency: 4,
        lookup: async () => ['127.0.0.1', '127.0.0.2']
      });
      expect(result.verdicts.map((v) => v.address).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
      expect(result.status).toBe('warn');
      expect(result.daysLeft).toBeLessThan(10);
      const check = endpointCheck(result, THRESHOLDS);
      expect(check.message).toMatch(/^127\.0\.0\.2: renew soon: (9\.\d|10\.0) days left/);
      expect(check.message).toContain('2 addresses, serving different certificates');
    } finally {
      await stale.close();
    }
  });
});

describe('thresholds as a share of the lifetime', () => {
  it.each([
    [{ warnDays: 30, failDays: 7 }, 'warn'],
    [{ warnDays: 30, failDays: 7, warnPercent: 10, failPercent: 5 }, 'ok'],
    [{ warnDays: 30, failDays: 7, warnPercent: 20, failPercent: 5 }, 'warn'],
    [{ warnDays: 30, failDays: 7, warnPercent: 30, failPercent: 15 }, 'fail']
  ] as const)('a 90-day certificate with 10 days left under %j is %s', async (thresholds, status) => {
    const target = parseTlsTarget(`localhost:${servers.expiring!.port}`, 'test');
    const [result] = await checkEndpoints([target], { thresholds, timeoutMs: 3000, ca, concurrency: 1, lookup: async () => ['127.0.0.1'] });
    expect(result.status).toBe(status);
  });
});

describe('the summary table', () => {
  it('lists every endpoint sorted by days left with a status icon, and min-days-left is the smallest', async () => {
    const targets = (['valid', 'expiring', 'expired'] as const).map((c) => parseTlsTarget(`localhost:${servers[c]!.port}`, 'test'));
    const results = await checkEndpoints(targets, { thresholds: THRESHOLDS, timeoutMs: 3000, ca, concurrency: 3, lookup: async () => ['127.0.0.1'] });
    const table = certificatesSection(results).markdown.split('\n').slice(2);
    expect(table.map((row) => row.split('|')[1].trim())).toEqual(['❌', '⚠️', '✅']);
    expect(table.map((row) => Number(row.split('|')[4]))).toEqual([...table.map((row) => Number(row.split('|')[4]))].sort((a, b) => a - b));
    expect(Number(minDaysLeft(results))).toBeCloseTo(Math.min(...results.map((r) => r.daysLeft!)), 2);
    expect(Number(minDaysLeft(results))).toBeLessThan(-4);
  });
});
