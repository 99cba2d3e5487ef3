// buildReport: what it keeps, what it derives (status, finishedAt) and its defaults (no sections, no
// notes, outcome finished), so a report never claims a status or an ending nobody measured.
import { describe, expect, it } from '@jest/globals';
import { buildReport, STATUS_ORDER, type Check } from '../src/index.js';

const warn: Check = { id: 'http:a', kind: 'http', target: 'a', status: 'warn', message: 'slow' };

describe('buildReport', () => {
  it('fills the defaults: no sections, no notes, outcome finished, status from the checks', () => {
    const startedAt = new Date('2026-12-01T12:00:00.000Z');
    const before = Date.now();
    const report = buildReport({ action: 'health', title: 'Health', startedAt, checks: [warn] });
    const finished = Date.parse(report.finishedAt);
    expect(report).toEqual({
      action: 'health',
      title: 'Health',
      status: 'warn',
      startedAt: '2026-12-01T12:00:00.000Z',
      finishedAt: report.finishedAt,
      checks: [warn],
      sections: [],
      notes: [],
      outcome: 'finished'
    });
    expect(finished).toBeGreaterThanOrEqual(before);
    expect(finished).toBeLessThanOrEqual(Date.now());
  });

  it.each(['stopped', 'cancelled', 'finished'] as const)('keeps the sections, notes and the outcome %s it is given', (outcome) => {
    const sections = [{ title: 'Chart', markdown: '```\n#\n```' }];
    const report = buildReport({ action: 'ssl', title: 'TLS', startedAt: new Date(0), checks: [], sections, notes: ['stale data'], outcome });
    expect(report).toMatchObject({ status: 'ok', sections, notes: ['stale data'], outcome, startedAt: '1970-01-01T00:00:00.000Z' });
  });

  it('orders the statuses ok, warn, fail', () => {
    expect(STATUS_ORDER).toEqual(['ok', 'warn', 'fail']);
  });
});
