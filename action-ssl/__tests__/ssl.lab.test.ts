// Lab: the action's checks against real nginx endpoints with openssl-made certificates (lab part "tls").
import { describe, expect, it } from '@jest/globals';
import { readCaFile } from '../src/inputs.js';
import { rootCertificates } from 'node:tls';
import { checkEndpoints, endpointCheck } from '../src/check-endpoints.js';
import { parseTlsTarget } from '../src/targets.js';
import { readLabPart } from '../../test-support/lab.js';

interface TlsLab {
  host: string;
  name: string;
  caFile: string;
  hangingPort: number;
  cases: Record<string, { port: number; status: 'ok' | 'warn' | 'fail'; problems: string[]; daysLeft: number }>;
}

const THRESHOLDS = { warnDays: 30, failDays: 7 };

describe('checking the lab TLS endpoints', () => {
  const lab = readLabPart<TlsLab>('tls');
  const ca = [...rootCertificates, ...readCaFile(lab.caFile)];

  it.each(Object.keys(lab.cases))('classifies the %s endpoint with the expected status, problem and days left', async (name) => {
    const expected = lab.cases[name];
    const [result] = await checkEndpoints([parseTlsTarget(`${lab.name}:${expected.port}`, 'lab')], {
      thresholds: THRESHOLDS,
      timeoutMs: 5000,
      ca,
      concurrency: 1
    });
    // localhost may resolve to ::1 too, where nothing listens: judge the 127.0.0.1 verdict.
    const verdict = result.verdicts.find((v) => v.address === lab.host);
    expect(verdict).toBeDefined();
    expect(verdict!.status).toBe(expected.status);
    expect(verdict!.problems).toEqual(expected.problems);
    expect(verdict!.daysLeft!).toBeGreaterThan(expected.daysLeft - 1.1);
    expect(verdict!.daysLeft!).toBeLessThan(expected.daysLeft + 0.1);
  });

  it('gets the SNI-only certificate only because it sends the name: by IP the default certificate does not match', async () => {
    const port = lab.cases.sniOnly.port;
    const [byName, byIp] = await checkEndpoints([parseTlsTarget(`${lab.name}:${port}=${lab.host}`, 'lab'), parseTlsTarget(`${lab.host}:${port}`, 'lab')], {
      thresholds: THRESHOLDS,
      timeoutMs: 5000,
      ca,
      concurrency: 2
    });
    expect(byName.status).toBe('ok');
    expect(byIp.status).toBe('fail');
    expect(endpointCheck(byIp, THRESHOLDS).details).toContain('CN=fallback.invalid');
  });

  it('times out on the port that accepts TCP and never answers', async () => {
    const started = Date.now();
    const [result] = await checkEndpoints([parseTlsTarget(`${lab.host}:${lab.hangingPort}`, 'lab')], { thresholds: THRESHOLDS, timeoutMs: 1500, concurrency: 1 });
    expect(endpointCheck(result, THRESHOLDS).message).toBe('no TLS handshake within 1500 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
