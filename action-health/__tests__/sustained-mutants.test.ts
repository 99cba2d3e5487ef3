// evaluateSustained's verdicts word for word (issue 14, mutation testing): the whole verdict for each
// status, samples without a value left out, a streak of one sample, a custom gap and unit, and
// describeWindow on both sides of a minute.
import { describe, expect, it } from '@jest/globals';
import type { Sample } from '../../shared/src/index.js';
import { describeWindow, evaluateSustained } from '../src/hosts/sustained.js';

const at = (sec: number, v: number): Sample => ({ t: new Date(Date.UTC(2026, 10, 28, 6, 0, 0) + sec * 1000).toISOString(), v });
const rule = { failAbove: 80, windowMs: 300_000 };

describe('evaluateSustained, the whole verdict', () => {
  it.each([
    { name: 'no samples', samples: [], verdict: { status: 'ok', latest: NaN, aboveForMs: 0, streak: 0, message: 'no samples' } },
    { name: 'only samples without a value', samples: [at(0, NaN), at(10, Infinity)], verdict: { status: 'ok', latest: NaN, aboveForMs: 0, streak: 0, message: 'no samples' } },
    { name: 'a quiet reading', samples: [at(0, 20)], verdict: { status: 'ok', latest: 20, aboveForMs: 0, streak: 0, message: '20%' } },
    { name: 'a quiet fractional reading', samples: [at(0, 20.25)], verdict: { status: 'ok', latest: 20.25, aboveForMs: 0, streak: 0, message: '20.3%' } },
    { name: 'one high reading', samples: [at(0, 95)], verdict: { status: 'warn', latest: 95, aboveForMs: 0, streak: 1, message: '95%, above 80% for 0 s so far; alerts after 5 min' } },
    { name: 'high for 4 minutes', samples: [at(0, 90), at(120, 95), at(240, 91.5)], verdict: { status: 'warn', latest: 91.5, aboveForMs: 240_000, streak: 3, message: '91.5%, above 80% for 4 min so far; alerts after 5 min' } },
    { name: 'high for the window', samples: [at(0, 90), at(150, 95), at(300, 91)], verdict: { status: 'fail', latest: 91, aboveForMs: 300_000, streak: 3, message: 'above 80% for 5 min (3 samples, now 91%): alert is 80% for 5 min' } },
    { name: 'high for the window, a sample without a value last', samples: [at(0, 90), at(300, 91), at(400, NaN)], verdict: { status: 'fail', latest: 91, aboveForMs: 300_000, streak: 2, message: 'above 80% for 5 min (2 samples, now 91%): alert is 80% for 5 min' } },
    { name: 'high now after a dip', samples: [at(0, 90), at(150, 50), at(300, 91)], verdict: { status: 'warn', latest: 91, aboveForMs: 0, streak: 1, message: '91%, above 80% for 0 s so far; alerts after 5 min' } }
  ])('$name', ({ samples, verdict }) => {
    expect(evaluateSustained(samples, rule)).toEqual(verdict);
  });

  it('says "so far" for a streak short of the window even when the warn level is above it', () => {
    expect(evaluateSustained([at(0, 86), at(60, 87)], { failAbove: 85, warnAbove: 90, windowMs: 180_000 })).toEqual({
      status: 'warn', latest: 87, aboveForMs: 60_000, streak: 2, message: '87%, above 85% for 1 min so far; alerts after 3 min'
    });
  });

  it('breaks a streak at a gap longer than maxGapMs, shorter than the window', () => {
    const samples = [at(0, 90), at(200, 90), at(300, 90)];
    expect(evaluateSustained(samples, { ...rule, maxGapMs: 150_000 })).toMatchObject({ status: 'warn', aboveForMs: 100_000, streak: 2 });
    expect(evaluateSustained(samples, { ...rule, maxGapMs: 200_000 })).toMatchObject({ status: 'fail', aboveForMs: 300_000, streak: 3 });
  });

  it('writes the unit it is given', () => {
    expect(evaluateSustained([at(0, 3)], { failAbove: 2, windowMs: 60_000 }, ' req/s').message).toBe('3 req/s, above 2 req/s for 0 s so far; alerts after 1 min');
  });
});

describe('describeWindow', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [59_400, '59 s'],
    [59_999, '60 s'],
    [60_000, '1 min'],
    [90_000, '1.5 min'],
    [400_000, '6.7 min'],
    [3_600_000, '60 min']
  ])('%d ms is %s', (ms, text) => {
    expect(describeWindow(ms)).toBe(text);
  });
});
