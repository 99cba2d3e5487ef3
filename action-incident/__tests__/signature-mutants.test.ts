// The edges of the error-line test and the signature (issue 14's mutation testing of signature.ts):
// control characters and whitespace, the length cut at exactly SIGNATURE_MAX, Docker receive times with
// every fraction length.
import { describe, expect, it } from '@jest/globals';
import { errorSignature, isErrorLine, SIGNATURE_MAX, stripDockerTimestamp } from '../src/error-patterns/signature.js';

describe('isErrorLine needs an error word and no "0 errors"', () => {
  it.each([
    ['ERROR upstream refused', true],
    ['ERROR 0 errors in the retry', false],
    ['INFO all good', false],
    ['INFO no errors', false]
  ])('%s → %s', (line, want) => {
    expect(isErrorLine(line)).toBe(want);
  });
});

describe('errorSignature flattens and bounds the line', () => {
  it.each([
    ['control characters become one space', 'ERROR a\u0007\u0001b\u007fc', 'ERROR a b c'],
    ['a control character beside whitespace is one space', 'ERROR a \u0000\t b', 'ERROR a b'],
    ['leading and trailing blanks are trimmed', '  \tERROR boom \u0000 ', 'ERROR boom'],
    ['a line of only blanks is empty', ' \t\u0001 ', '']
  ])('%s', (_name, line, want) => {
    expect(errorSignature(line)).toBe(want);
  });

  it.each([
    ['exactly SIGNATURE_MAX characters: kept whole', SIGNATURE_MAX, `ERROR ${'x'.repeat(SIGNATURE_MAX - 6)}`],
    ['one more: cut to SIGNATURE_MAX with an ellipsis', SIGNATURE_MAX + 1, `ERROR ${'x'.repeat(SIGNATURE_MAX - 7)}…`]
  ])('%s', (_name, length, want) => {
    const line = `ERROR ${'x'.repeat(length - 6)}`;
    expect(line).toHaveLength(length);
    expect(errorSignature(line)).toBe(want);
    expect(errorSignature(line)).toHaveLength(SIGNATURE_MAX);
  });
});

describe('stripDockerTimestamp keeps the receive time to the millisecond', () => {
  it.each([
    ['nanoseconds, truncated', '2026-12-01T14:24:35.999999999Z x', '2026-12-01T14:24:35.999Z'],
    ['four digits, truncated', '2026-12-01T14:24:35.2779Z x', '2026-12-01T14:24:35.277Z'],
    ['milliseconds', '2026-12-01T14:24:35.277Z x', '2026-12-01T14:24:35.277Z'],
    ['one digit', '2026-12-01T14:24:35.5Z x', '2026-12-01T14:24:35.500Z'],
    ['no fraction', '2026-12-01T14:24:35Z x', '2026-12-01T14:24:35.000Z']
  ])('%s', (_name, line, at) => {
    expect(stripDockerTimestamp(line)).toStrictEqual({ at, text: 'x' });
  });

  it('leaves a line without a leading receive time as it is', () => {
    expect(stripDockerTimestamp('ERROR at 2026-12-01T14:24:35Z')).toStrictEqual({ text: 'ERROR at 2026-12-01T14:24:35Z' });
  });
});
