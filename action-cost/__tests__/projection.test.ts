// The month-end projection with the clock passed in: first and last moments of a month, leap and
// ordinary Februaries, 30- and 31-day months, and the cross-check against the inventory.
import { describe, expect, it } from '@jest/globals';
import { daysInMonth, projectMonthEnd } from '../src/decide/projection.js';

describe('daysInMonth', () => {
  it.each([
    ['2026-01-15T00:00:00Z', 31],
    ['2026-02-01T00:00:00Z', 28],
    ['2028-02-29T23:59:59Z', 29],
    ['2100-02-10T00:00:00Z', 28],
    ['2000-02-10T00:00:00Z', 29],
    ['2026-04-30T12:00:00Z', 30],
    ['2026-12-31T23:59:59Z', 31]
  ])('%s is in a month of %i days', (at, days) => {
    expect(daysInMonth(new Date(at))).toBe(days);
  });
});

describe('projectMonthEnd', () => {
  // Inventory $310/month in a 31-day month is $10/day; $280 in February 2027 (28 days) is $10/day too.
  it.each([
    // as of, usage, inventory, projected, elapsed days, run rate
    ['the first moment of a month: all of the month still to come', '2026-12-01T00:00:00Z', 0, 31_000, 31_000, 0, undefined],
    ['six hours into the first day', '2026-12-01T06:00:00Z', 300, 31_000, 300 + 30_750, 0.25, 300 * 124],
    ['the middle of a 31-day month', '2026-12-16T12:00:00Z', 15_000, 31_000, 15_000 + 15_500, 15.5, 30_000],
    ['the last second of a 31-day month: the usage is the bill', '2026-12-31T23:59:59Z', 30_990, 31_000, 30_990, 30.99999, 30_990],
    ['the last day of a 30-day month at noon', '2026-04-30T12:00:00Z', 29_500, 30_000, 29_500 + 500, 29.5, 30_000],
    ['the last day of an ordinary February', '2027-02-28T00:00:00Z', 27_000, 28_000, 27_000 + 1_000, 27, 28_000],
    ['the leap day of a leap February', '2028-02-29T00:00:00Z', 28_000, 29_000, 28_000 + 1_000, 28, 29_000],
    ['the first day of March after a leap February', '2028-03-01T00:00:00Z', 0, 31_000, 31_000, 0, undefined]
  ])('%s', (_name, at, usage, inventory, projected, elapsed, runRate) => {
    const p = projectMonthEnd({ usageCents: usage, inventoryMonthlyCents: inventory, asOf: new Date(at) });
    expect(p.projectedCents).toBe(projected);
    expect(p.elapsedDays).toBeCloseTo(elapsed, 4);
    expect(p.runRateCents).toBe(runRate);
  });

  it('names the month projected and its length', () => {
    expect(projectMonthEnd({ usageCents: 0, inventoryMonthlyCents: 0, asOf: new Date('2028-02-29T10:00:00Z') })).toMatchObject({ month: '2028-02', daysInMonth: 29 });
  });

  it.each([
    ['usage matching the inventory', 10_000, 100],
    ['usage twice the inventory (something the inventory does not explain)', 20_000, 200],
    ['usage at half the inventory (resources created this month)', 5_000, 50]
  ])('cross-checks %s', (_name, usage, percent) => {
    // 10 days into a 30-day month with a $300 inventory: $100 expected so far.
    const p = projectMonthEnd({ usageCents: usage, inventoryMonthlyCents: 30_000, asOf: new Date('2026-11-11T00:00:00Z') });
    expect(p.inventorySoFarCents).toBe(10_000);
    expect(p.crossCheckPercent).toBe(percent);
  });

  it('does not cross-check before a whole day has passed', () => {
    expect(projectMonthEnd({ usageCents: 100, inventoryMonthlyCents: 31_000, asOf: new Date('2026-12-01T23:00:00Z') }).crossCheckPercent).toBeUndefined();
  });

  it('never projects less than the usage so far, even with nothing in the inventory', () => {
    expect(projectMonthEnd({ usageCents: 4_321, inventoryMonthlyCents: 0, asOf: new Date('2026-12-05T00:00:00Z') }).projectedCents).toBe(4_321);
  });
});
