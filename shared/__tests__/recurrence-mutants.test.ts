// Mutation-testing tables for recurrence.ts (issue 14): each optional part of an ISO time, the two
// conditions of a hex id (a digit and a letter, anywhere), the status-code look-arounds, and
// rememberAnnouncement's list (no duplicates, newest last, at most ANNOUNCED_LIMIT).
import { describe, expect, it } from '@jest/globals';
import { ANNOUNCED_LIMIT, normaliseFailureMessage, rememberAnnouncement } from '../src/issues/recurrence.js';
import type { CheckMemory } from '../src/state/types.js';

describe('normaliseFailureMessage, time forms', () => {
  it.each([
    ['a date alone', 'last backup 2026-03-01, retrying'],
    ['minutes without seconds', 'last backup 2026-03-01T04:00Z, retrying'],
    ['fractional seconds', 'last backup 2026-03-01T04:00:12.345Z, retrying'],
    ['no zone', 'last backup 2026-03-01T04:00:12, retrying'],
    ['a +hh:mm offset', 'last backup 2026-03-01T04:00:12+02:00, retrying'],
    ['a -hhmm offset after a space', 'last backup 2026-03-01 04:00:12-0530, retrying'],
    ['an offset on minutes only', 'last backup 2026-03-01T04:00+02:00, retrying']
  ])('%s is one <time>', (_case, message) => {
    expect(normaliseFailureMessage(message)).toBe('last backup <time>, retrying');
  });
});

describe('normaliseFailureMessage, hex ids', () => {
  it.each([
    ['starting with a letter', 'container abcdef012345 exited', 'container <id> exited'],
    ['a digit then digits before the first letter', 'container 0123456789abcdef exited', 'container <id> exited'],
    ['upper case', 'request 12AB34CD56EF failed', 'request <id> failed'],
    ['only letters a-f is a word, not an id', 'page defaced by deadbeefcafe', 'page defaced by deadbeefcafe'],
    ['only digits is a number, not an id', 'wrote 12345678 bytes', 'wrote # bytes'],
    ['six characters are too short', 'commit abc123 failed', 'commit abc# failed']
  ])('%s', (_case, message, normalised) => {
    expect(normaliseFailureMessage(message)).toBe(normalised);
  });
});

describe('normaliseFailureMessage, status-code look-arounds', () => {
  it.each([
    ['a decimal is no status', 'load 503.5, rising', 'load #, rising'],
    ['a decimal comma is no status', 'load 503,5, rising', 'load #, rising'],
    ['a status followed by a number after a space stays a status', 'answered 503 2 times', 'answered 5xx # times'],
    ['a percent sign right after is a measurement', 'at 250% of the limit', 'at #% of the limit'],
    ['a unit after a space is a measurement', 'took 250 ms', 'took # ms'],
    ['a status at the end', 'answered 404', 'answered 4xx']
  ])('%s', (_case, message, normalised) => {
    expect(normaliseFailureMessage(message)).toBe(normalised);
  });
});

describe('rememberAnnouncement', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  it.each<[string, string[] | undefined, string, string[]]>([
    ['the first announcement', undefined, 'a', ['a']],
    ['an empty list', [], 'a', ['a']],
    ['a new failure goes last', ['a', 'b'], 'c', ['a', 'b', 'c']],
    ['one already announced moves to the end, once', ['a', 'b'], 'a', ['b', 'a']],
    ['at the limit the oldest is dropped', ['a', 'b', 'c', 'd', 'e'], 'f', ['b', 'c', 'd', 'e', 'f']],
    ['at the limit a repeat drops nothing else', ['a', 'b', 'c', 'd', 'e'], 'c', ['a', 'b', 'd', 'e', 'c']]
  ])('%s', (_case, announced, fingerprint, want) => {
    const before = announced ? [...announced] : undefined;
    const memory = { announced } as CheckMemory;
    rememberAnnouncement(memory, fingerprint, now);
    expect(memory.announced).toEqual(want);
    expect(memory.lastCommentAt).toBe('2026-03-01T10:00:00.000Z');
    // The list passed in is not changed in place.
    expect(announced).toEqual(before);
  });

  it('keeps ANNOUNCED_LIMIT fingerprints', () => {
    const memory = {} as CheckMemory;
    for (let i = 0; i < ANNOUNCED_LIMIT + 3; i++) rememberAnnouncement(memory, `f${i}`, now);
    expect(memory.announced).toHaveLength(ANNOUNCED_LIMIT);
    expect(memory.announced?.at(-1)).toBe(`f${ANNOUNCED_LIMIT + 2}`);
  });
});
