// Mutation-testing table for report/tables.ts (issue 14): the bloat estimate, the bloat warning at both of
// its edges (10 MB of heap, a fifth of the rows dead) and the cache hit rate.
import { describe, expect, it } from '@jest/globals';
import { BLOAT_WARN, estimateBloat, hitRate, isBloated } from '../src/report/tables.js';

const MB = 1024 * 1024;

describe('estimateBloat', () => {
  it.each<[string, { heapBytes: number; liveRows: number; deadRows: number }, { deadShare: number; reclaimableBytes: number }]>([
    ['a quarter dead of 4 MB', { heapBytes: 4 * MB, liveRows: 300, deadRows: 100 }, { deadShare: 0.25, reclaimableBytes: MB }],
    ['a third dead of 10 bytes rounds to 3', { heapBytes: 10, liveRows: 2, deadRows: 1 }, { deadShare: 1 / 3, reclaimableBytes: 3 }],
    ['two thirds dead of 10 bytes rounds up to 7', { heapBytes: 10, liveRows: 1, deadRows: 2 }, { deadShare: 2 / 3, reclaimableBytes: 7 }],
    ['no rows at all: nothing dead (not NaN)', { heapBytes: 8192, liveRows: 0, deadRows: 0 }, { deadShare: 0, reclaimableBytes: 0 }],
    ['only dead rows: all of it', { heapBytes: 8192, liveRows: 0, deadRows: 5 }, { deadShare: 1, reclaimableBytes: 8192 }],
    ['no dead rows: none of it', { heapBytes: 8192, liveRows: 5, deadRows: 0 }, { deadShare: 0, reclaimableBytes: 0 }]
  ])('%s', (_name, row, expected) => {
    expect(estimateBloat(row)).toEqual(expected);
  });
});

describe('isBloated', () => {
  it.each<[string, number, number, number, boolean]>([
    // heap bytes, live, dead → warned
    ['exactly 10 MB and exactly a fifth dead', BLOAT_WARN.minHeapBytes, 4, 1, true],
    ['a byte under 10 MB, half dead', BLOAT_WARN.minHeapBytes - 1, 1, 1, false],
    ['a byte over 10 MB, half dead', BLOAT_WARN.minHeapBytes + 1, 1, 1, true],
    ['1 GB, just under a fifth dead', 1024 * MB, 4001, 1000, false],
    ['1 GB, just over a fifth dead', 1024 * MB, 3999, 1000, true],
    ['1 GB, nothing dead', 1024 * MB, 1000, 0, false],
    ['a small table entirely dead', MB, 0, 1000, false]
  ])('%s: warned %s', (_name, heapBytes, liveRows, deadRows, warned) => {
    expect(isBloated({ heapBytes, liveRows, deadRows })).toBe(warned);
  });

  it('warns at a fifth dead on 10 MB (the constants the message quotes)', () => {
    expect(BLOAT_WARN).toEqual({ deadShare: 0.2, minHeapBytes: 10 * MB });
  });
});

describe('hitRate', () => {
  it.each<[number, number, number | undefined]>([
    [0, 0, undefined],
    [1, 3, 25],
    [3, 1, 75],
    [0, 5, 0],
    [5, 0, 100]
  ])('%i hit, %i read → %s %', (hit, read, expected) => {
    expect(hitRate(hit, read)).toBe(expected);
  });
});
