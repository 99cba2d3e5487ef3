// The edges of curl-style phase timings (issue 14's mutation testing of phases.ts): which timings a
// request that stopped early has (and which it has not: strictly, no key set to undefined), and the
// curl-format line with moments not reached.
import { describe, expect, it } from '@jest/globals';
import { computePhases, formatCurlStyle, type PhaseMarks, type Timings } from '../src/endpoints/phases.js';

describe('computePhases: only the moments reached have a timing', () => {
  it.each<[string, PhaseMarks, boolean, Timings]>([
    ['https, every moment', { lookup: 2, connect: 5, secure: 20, firstByte: 60, end: 61 }, true, { dns: 2, connect: 5, tls: 20, firstByte: 60, total: 61 }],
    ['https, name never resolved', {}, true, { stalledIn: 'dns' }],
    ['http, name never resolved', {}, false, { stalledIn: 'dns' }],
    ['https, resolved only', { lookup: 4 }, true, { dns: 4, stalledIn: 'connect' }],
    ['https, connected without a lookup: DNS 0, stalled in TLS', { connect: 3 }, true, { dns: 0, connect: 3, stalledIn: 'tls' }],
    ['http ignores a TLS mark: TLS is 0', { lookup: 1, connect: 3, secure: 7, firstByte: 9, end: 10 }, false, { dns: 1, connect: 3, tls: 0, firstByte: 9, total: 10 }],
    ['https, handshake done, no headers', { lookup: 1, connect: 2, secure: 3 }, true, { dns: 1, connect: 2, tls: 3, stalledIn: 'first byte' }],
    ['https, headers, body never ended', { lookup: 1, connect: 2, secure: 3, firstByte: 4 }, true, { dns: 1, connect: 2, tls: 3, firstByte: 4, stalledIn: 'body' }],
    ['a lookup at 0 ms counts as reached', { lookup: 0, connect: 0, firstByte: 0, end: 0 }, false, { dns: 0, connect: 0, tls: 0, firstByte: 0, total: 0 }]
  ])('%s', (_name, marks, https, want) => {
    expect(computePhases(marks, https)).toStrictEqual(want);
  });
});

describe('formatCurlStyle', () => {
  it.each<[string, Timings, string]>([
    ['nothing reached', { stalledIn: 'dns' }, 'time_namelookup: —, time_connect: —, time_appconnect: —, time_starttransfer: —, time_total: —'],
    [
      'stalled after connecting',
      { dns: 0, connect: 1500, tls: 0, stalledIn: 'first byte' },
      'time_namelookup: 0.000s, time_connect: 1.500s, time_appconnect: 0.000s, time_starttransfer: —, time_total: —'
    ],
    ['rounded to the millisecond', { dns: 0.4, connect: 12.6, tls: 999.5, firstByte: 1000, total: 61234.4 }, 'time_namelookup: 0.000s, time_connect: 0.013s, time_appconnect: 1.000s, time_starttransfer: 1.000s, time_total: 61.234s']
  ])('%s', (_name, t, want) => {
    expect(formatCurlStyle(t)).toBe(want);
  });
});
