// The host-name check at the edges the first table leaves open: exactly 253 characters, a trailing dot
// on a name that is bad without it, and names that merely start with digits.
import { describe, expect, it } from '@jest/globals';
import { isHostName } from '../src/index.js';

const label63 = 'a'.repeat(63);
const name253 = `${label63}.${label63}.${label63}.${'a'.repeat(61)}`;

describe('isHostName edges', () => {
  it.each([
    ['a 253-character name (the longest allowed)', name253, true],
    ['a 253-character name with its trailing dot', `${name253}.`, true],
    ['a 254-character name', `${name253}a`, false],
    ['a trailing dot after a label ending in a hyphen', 'bad-.', false],
    ['a trailing dot after a 64-character label', `${'a'.repeat(64)}.`, false],
    ['a single label with a trailing dot', 'localhost.', true],
    ['a name starting with digits', '1password.example', true],
    ['a label of digits then letters', '123abc', true],
    ['digits and dots followed by a letter label', '10.0.0.example', true]
  ])('%s: %p is %p', (_what, name, expected) => {
    expect(isHostName(name)).toBe(expected);
  });
});
