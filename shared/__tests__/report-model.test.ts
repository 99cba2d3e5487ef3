// The status order every action reports in: reaches, worst and overallStatus at every pair of statuses.
import { describe, expect, it } from '@jest/globals';
import { buildReport, overallStatus, reaches, worst, type Check, type Status } from '../src/index.js';

const check = (id: string, status: Status): Check => ({ id, kind: 'http', target: id, status, message: status });

describe('reaches', () => {
  it.each<{ status: Status; level: Status; reached: boolean }>([
    { status: 'ok', level: 'ok', reached: true },
    { status: 'ok', level: 'warn', reached: false },
    { status: 'ok', level: 'fail', reached: false },
    { status: 'warn', level: 'ok', reached: true },
    { status: 'warn', level: 'warn', reached: true },
    { status: 'warn', level: 'fail', reached: false },
    { status: 'fail', level: 'ok', reached: true },
    { status: 'fail', level: 'warn', reached: true },
    { status: 'fail', level: 'fail', reached: true }
  ])('says $status reaches $level: $reached', ({ status, level, reached }) => {
    expect(reaches(status, level)).toBe(reached);
  });
});

describe('worst', () => {
  it.each<{ a: Status; b: Status; expected: Status }>([
    { a: 'ok', b: 'ok', expected: 'ok' },
    { a: 'ok', b: 'warn', expected: 'warn' },
    { a: 'ok', b: 'fail', expected: 'fail' },
    { a: 'warn', b: 'ok', expected: 'warn' },
    { a: 'warn', b: 'warn', expected: 'warn' },
    { a: 'warn', b: 'fail', expected: 'fail' },
    { a: 'fail', b: 'ok', expected: 'fail' },
    { a: 'fail', b: 'warn', expected: 'fail' },
    { a: 'fail', b: 'fail', expected: 'fail' }
  ])('takes $expected as the worse of $a and $b', ({ a, b, expected }) => {
    expect(worst(a, b)).toBe(expected);
  });
});

describe('overallStatus', () => {
  it('is ok for a report without checks', () => {
    expect(overallStatus([])).toBe('ok');
  });

  it.each<{ a: Status; b: Status; expected: Status }>([
    { a: 'ok', b: 'ok', expected: 'ok' },
    { a: 'ok', b: 'warn', expected: 'warn' },
    { a: 'ok', b: 'fail', expected: 'fail' },
    { a: 'warn', b: 'ok', expected: 'warn' },
    { a: 'warn', b: 'warn', expected: 'warn' },
    { a: 'warn', b: 'fail', expected: 'fail' },
    { a: 'fail', b: 'ok', expected: 'fail' },
    { a: 'fail', b: 'warn', expected: 'fail' },
    { a: 'fail', b: 'fail', expected: 'fail' }
  ])('is $expected for checks $a then $b, and so is the built report', ({ a, b, expected }) => {
    const checks = [check('first', a), check('second', b)];
    expect(overallStatus(checks)).toBe(expected);
    expect(buildReport({ action: 'a', title: 'T', startedAt: new Date(), checks }).status).toBe(expected);
  });

  it.each<Status>(['ok', 'warn', 'fail'])('is the status of a single check when it is %s', (status) => {
    expect(overallStatus([check('only', status)])).toBe(status);
  });
});
