// shellQuote's two edges besides the round trip: an empty word still reaches the command as an (empty)
// argument, and a NUL byte is refused with a TypeError saying why.
import { describe, expect, it } from '@jest/globals';
import { shellJoin, shellQuote } from '../src/index.js';

describe('shellQuote edges', () => {
  it.each([
    ['an empty word', '', "''"],
    ['a safe word', 'v1.4.2', 'v1.4.2'],
    ['a word with a quote', "it's", "'it'\\''s'"]
  ])('quotes %s as %p', (_what, word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('keeps an empty argument in a joined command line', () => {
    expect(shellJoin(['printf', '%s:', '', 'x'])).toBe("printf %s: '' x");
  });

  it('refuses a NUL byte with a TypeError that names it', () => {
    expect(() => shellQuote('a\0b')).toThrow(TypeError);
    expect(() => shellQuote('a\0b')).toThrow('shellQuote: a NUL byte cannot be passed through a shell argument');
  });
});
