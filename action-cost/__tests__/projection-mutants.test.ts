// Mutation-testing table for projection.ts (issue 14): the run rate appears at exactly one hour, the
// cross-check at exactly one day, and never against an inventory that has cost nothing so far.
import { describe, expect, it } from '@jest/globals';
import { projectMonthEnd } from '../src/decide/projection.js';

describe('projectMonthEnd boundaries', () => {
  // $310 a month in December (31 days) is $10 a day.
  it.each([
    ['a second short of one hour: no run rate yet', '2026-12-01T00:59:59Z', 100, 31_000, undefined, undefined],
    ['exactly one hour: the run rate appears', '2026-12-01T01:00:00Z', 100, 31_000, 100 * 24 * 31, undefined],
    ['a second short of one day: no cross-check yet', '2026-12-01T23:59:59Z', 1_000, 31_000, Math.round((1_000 * 31 * 86_400) / 86_399), undefined],
    ['exactly one day: the cross-check appears', '2026-12-02T00:00:00Z', 1_000, 31_000, 31_000, 100],
    ['four days in with nothing in the inventory: no cross-check (no division by zero)', '2026-12-05T00:00:00Z', 4_321, 0, Math.round((4_321 * 31) / 4), undefined],
    ['four days in, no usage and no inventory', '2026-12-05T00:00:00Z', 0, 0, 0, undefined]
  ])('%s', (_case, at, usage, inventory, runRate, crossCheck) => {
    const p = projectMonthEnd({ usageCents: usage, inventoryMonthlyCents: inventory, asOf: new Date(at) });
    expect(p.runRateCents).toBe(runRate);
    expect(p.crossCheckPercent).toBe(crossCheck);
    expect('runRateCents' in p).toBe(runRate !== undefined);
    expect('crossCheckPercent' in p).toBe(crossCheck !== undefined);
  });
});
