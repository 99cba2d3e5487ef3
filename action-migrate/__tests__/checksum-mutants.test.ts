// Mutation-testing table for checksum.ts (issue 14): only a byte-order mark at the very start is dropped.
import { describe, expect, it } from '@jest/globals';
import { migrationChecksum, normaliseMigrationText, rawChecksum } from '../src/migrations/checksum.js';

describe('normaliseMigrationText keeps a byte-order mark that is not the first character', () => {
  it.each([
    ['inside a string literal', "select '\uFEFF';\n", "select '\uFEFF';\n"],
    ['after a leading one (only the first is dropped)', '\uFEFF\uFEFFselect 1;\r\n', '\uFEFFselect 1;\n'],
    ['at the end of a CRLF file', 'select 1;\r\n\uFEFF', 'select 1;\n\uFEFF']
  ])('%s', (_case, text, normalised) => {
    expect(normaliseMigrationText(text)).toBe(normalised);
    // A file whose text differs only by that mark has its own checksum: the mark is content there.
    expect(migrationChecksum(text)).toBe(rawChecksum(normalised));
    expect(migrationChecksum(text)).not.toBe(migrationChecksum(normalised.replaceAll('\uFEFF', '')));
  });
});
