// POSIX shell quoting for the one place user text meets a remote shell.

/**
 * Quotes `s` as one POSIX shell word: wrapped in single quotes, each `'` written as `'\''`. Inside
 * single quotes no character is special, so the word reaches the command byte-identical. NUL cannot be
 * passed in an argument at all and is refused. Quoting never stops a leading `-` from being read as an
 * option by the command: validate such values (see validate.ts) or put them after `--`.
 */
export function shellQuote(s: string): string {
  if (s.includes('\0')) throw new TypeError('shellQuote: a NUL byte cannot be passed through a shell argument');
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quotes every word and joins them with spaces: `shellJoin(['docker', 'ps', '-q'])`. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
