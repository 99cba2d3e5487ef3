// parseRetention at the edges the main table leaves open: spaces on one side of '=' only, a policy
// whose counts are non-zero in pairs (the "keeps nothing" sum), the largest count (3650), and pairs that only
// look like key=count ('1last=2', 'last=2=3').
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, parseRetention } from '../src/index.js';

describe('parseRetention edges', () => {
  it.each([
    { text: 'last= 2,daily =3', want: { keepLast: 2, daily: 3, weekly: 0, monthly: 0 } },
    { text: 'weekly=1,monthly=1', want: { keepLast: 0, daily: 0, weekly: 1, monthly: 1 } },
    { text: 'daily=2,weekly=2', want: { keepLast: 0, daily: 2, weekly: 2, monthly: 0 } },
    { text: 'last=1,daily=1', want: { keepLast: 1, daily: 1, weekly: 0, monthly: 0 } },
    { text: 'daily=3650', want: { keepLast: 0, daily: 3650, weekly: 0, monthly: 0 } }
  ])('reads $text', ({ text, want }) => {
    expect(parseRetention(text, 'retention')).toEqual(want);
  });

  it.each([
    { text: '1last=2', error: "Input 'retention': '1last=2' is not key=count" },
    { text: 'last=2=3', error: "Input 'retention': last must be a whole number from 0 to" },
    // An echoed bad input is cut short (40 characters of a pair, 20 of a key or value), so a pasted blob cannot flood the log.
    { text: `last=2,${'x'.repeat(60)}`, error: `Input 'retention': '${'x'.repeat(40)}' is not key=count;` },
    { text: `${'k'.repeat(30)}=2`, error: `Input 'retention': unknown key '${'k'.repeat(20)}'; the keys are` },
    { text: `daily=${'9x'.repeat(15)}`, error: `got '${'9x'.repeat(10)}'.` }
  ])('refuses $text', ({ text, error }) => {
    expect(() => parseRetention(text, 'retention')).toThrow(ConfigurationError);
    expect(() => parseRetention(text, 'retention')).toThrow(error);
  });
});
