// Mutation-testing table for versions.ts (issue 14): only whole digit strings compare as numbers;
// anything else (a version with a letter before or after its digits) compares as text, after the numbers.
import { describe, expect, it } from '@jest/globals';
import { compareVersions, versionKey } from '../src/migrations/versions.js';

describe('versionKey', () => {
  it.each([
    ['0042', '42'],
    ['7', '7'],
    ['v0042', 'v0042'],
    ['0042a', '0042a'],
    ['0042_x', '0042_x'],
    ['', '']
  ])('versionKey(%j) = %j', (v, key) => expect(versionKey(v)).toBe(key));
});

describe('compareVersions', () => {
  it.each([
    // Both digits: numeric.
    ['0009', '0010', -1],
    ['0010', '0009', 1],
    ['0007', '7', 0],
    // One digits, one not: the digit string first, whatever the text order says.
    ['5', 'a12', -1],
    ['a12', '5', 1],
    ['5', '12a', -1],
    ['12a', '5', 1],
    ['1', '0.5', -1],
    ['0.5', '1', 1],
    // Neither digits: plain text order.
    ['abc', 'abd', -1],
    ['abd', 'abc', 1],
    ['abc', 'abc', 0],
    ['a12', 'a9', -1]
  ])('compareVersions(%j, %j) = %i', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
  });

  it('sorts a mixed list: numbers numerically, then the rest as text', () => {
    expect(['b1', '10', 'a2', '9', '0.5', '0010'].sort(compareVersions)).toEqual(['9', '10', '0010', '0.5', 'a2', 'b1']);
  });
});
