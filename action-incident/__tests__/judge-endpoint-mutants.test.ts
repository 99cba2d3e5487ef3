// The edges of the endpoint verdict (issue 14's mutation testing of judgeEndpoint): the 2xx/3xx range,
// the expected statuses, both latency limits to the millisecond, a hang with and without the phase it
// stalled in, and an answer without a total time.
import { describe, expect, it } from '@jest/globals';
import { judgeEndpoint } from '../src/endpoints/diagnose-endpoints.js';
import type { TimedResponse } from '../src/endpoints/time-request.js';

const target = { name: 'api', url: 'https://api.example/health', method: 'GET', expectStatus: [] as number[] };
const limits = { latencyWarnMs: 500, latencyFailMs: 2000 };
const answered = (statusCode: number | undefined, total?: number): TimedResponse => ({ statusCode, timings: { dns: 1, connect: 2, tls: 3, ...(total === undefined ? {} : { firstByte: total, total }) }, timedOut: false }) as TimedResponse;

describe('judgeEndpoint: the status', () => {
  it.each<[string, number | undefined, number[], 'ok' | 'fail', string]>([
    ['199 is not an answer', 199, [], 'fail', 'answered 199 in 10 ms'],
    ['200 is', 200, [], 'ok', '200 in 10 ms'],
    ['399 is', 399, [], 'ok', '399 in 10 ms'],
    ['400 is not', 400, [], 'fail', 'answered 400 in 10 ms'],
    ['no status at all is 0', undefined, [], 'fail', 'answered 0 in 10 ms'],
    ['an expected 503 is an answer', 503, [503], 'ok', '503 in 10 ms'],
    ['a 200 outside the expected list is not', 200, [204, 301], 'fail', 'answered 200, expected 204, 301 in 10 ms']
  ])('%s', (_name, statusCode, expectStatus, status, message) => {
    expect(judgeEndpoint({ ...target, expectStatus }, answered(statusCode, 10), limits)).toStrictEqual({ status, message });
  });
});

describe('judgeEndpoint: the latency limits', () => {
  it.each<[number | undefined, 'ok' | 'warn' | 'fail', string]>([
    [500, 'ok', '200 in 500 ms'],
    [501, 'warn', 'degraded: 501 ms (warn above 500 ms)'],
    [2000, 'warn', 'degraded: 2000 ms (warn above 500 ms)'],
    [2001, 'fail', 'slow: 2001 ms (limit 2000 ms)'],
    [120.4, 'ok', '200 in 120 ms'],
    [120.6, 'ok', '200 in 121 ms'],
    [undefined, 'ok', '200 in —']
  ])('total %s ms: %s', (total, status, message) => {
    expect(judgeEndpoint(target, answered(200, total), limits)).toStrictEqual({ status, message });
  });
});

describe('judgeEndpoint: no answer', () => {
  it.each<[string, TimedResponse, string]>([
    ['a hang before connecting', { timings: { stalledIn: 'dns' }, problem: 'no answer within 3000 ms', timedOut: true }, 'hangs: no answer within 3000 ms, stalled waiting for dns'],
    ['a hang without a phase', { timings: {}, problem: 'no answer within 3000 ms', timedOut: true }, 'hangs: no answer within 3000 ms'],
    [
      'a hang after connecting',
      { timings: { dns: 0, connect: 12.7, tls: 30, stalledIn: 'first byte' }, problem: 'no answer within 3000 ms', timedOut: true },
      'hangs: no answer within 3000 ms, stalled waiting for first byte (connected in 13 ms)'
    ],
    ['a hang wins over a status', { statusCode: 200, timings: { dns: 0, connect: 1, tls: 0, firstByte: 2, stalledIn: 'body' }, problem: 'body not complete', timedOut: true }, 'hangs: body not complete, stalled waiting for body (connected in 1 ms)'],
    ['refused', { timings: { dns: 0, stalledIn: 'connect' }, problem: 'connect ECONNREFUSED', timedOut: false }, 'down: connect ECONNREFUSED']
  ])('%s', (_name, r, message) => {
    expect(judgeEndpoint(target, r, limits)).toStrictEqual({ status: 'fail', message });
  });
});
