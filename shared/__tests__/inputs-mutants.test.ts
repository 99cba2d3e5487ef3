// The input readers word for word (issue 14, mutation testing): the exact error sentences, what is
// trimmed and what is not, which readers register a secret, the echoed value's truncation and control
// characters, the bound formatting of readDuration, and the list splitter's comment and separator rules.
import { afterEach, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, scrubSecrets } from '../src/secrets.js';
import { ConfigurationError } from '../src/errors.js';
import { parseDuration, parseIntValue, readBoolean, readChoice, readDuration, readInt, readList, readSecret, readString, splitList, truncate } from '../src/inputs.js';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';

let env: ActionEnv | undefined;
afterEach(() => {
  env?.restore();
  env = undefined;
  clearSecretsForTest();
});

describe('readString and readSecret', () => {
  it.each([
    { raw: '  app-1  ', opts: {}, result: 'app-1' },
    { raw: '', opts: {}, result: undefined },
    { raw: '   ', opts: {}, result: undefined },
    { raw: 'x', opts: { required: true }, result: 'x' }
  ])('readString reads $raw as $result', ({ raw, opts, result }) => {
    env = setActionEnv({ hosts: raw });
    expect(readString('hosts', opts)).toBe(result);
  });

  it('names the input and the with: block when a required input is empty', () => {
    env = setActionEnv({ hosts: '  ' });
    expect(() => readString('hosts', { required: true })).toThrow(new ConfigurationError("Input 'hosts' is required: set it in the step's 'with:' block."));
  });

  it('registers the value of a secret string input, and only of a secret one', () => {
    env = setActionEnv({ token: 'tok-4242-secret', name: 'plain-4242-value' });
    expect([readString('token', { secret: true }), readString('name')]).toEqual(['tok-4242-secret', 'plain-4242-value']);
    expect(scrubSecrets('token tok-4242-secret name plain-4242-value')).toBe('token *** name plain-4242-value');
  });

  it.each([
    { raw: '  line-one-secret\n  line-two-secret  \n', result: 'line-one-secret\n  line-two-secret' },
    { raw: '', result: undefined },
    { raw: ' \n \n', result: undefined }
  ])('readSecret keeps the inner line breaks and indentation of $raw, trimming only the ends', ({ raw, result }) => {
    env = setActionEnv({ key: raw });
    expect(readSecret('key')).toBe(result);
  });

  it('registers a secret input even when it is not required', () => {
    env = setActionEnv({ key: 'hunter2-hunter2' });
    readSecret('key');
    expect(scrubSecrets('password=hunter2-hunter2')).toBe('password=***');
  });

  it('names the input and how to pass a secret when a required secret is empty', () => {
    env = setActionEnv({ key: ' \n' });
    expect(() => readSecret('ssh-private-key', { required: true })).toThrow(new ConfigurationError("Input 'ssh-private-key' is required: pass it from a secret, e.g. 'ssh-private-key: ${{ secrets.NAME }}'."));
  });
});

describe('integers', () => {
  it.each([
    { raw: 5, opts: {}, result: 5 },
    { raw: ' -12 ', opts: {}, result: -12 },
    { raw: '7', opts: { min: 7 }, result: 7 },
    { raw: '7', opts: { max: 7 }, result: 7 }
  ])('parseIntValue reads $raw as $result', ({ raw, opts, result }) => {
    expect(parseIntValue(raw, 'x', opts)).toBe(result);
  });

  it.each([
    { raw: '6', opts: { min: 7 }, message: "Key 'retries' must be at least 7, got 6." },
    { raw: '8', opts: { max: 7 }, message: "Key 'retries' must be at most 7, got 8." },
    { raw: '', opts: {}, message: "Key 'retries' must be a whole number, got ''." },
    { raw: '12a', opts: {}, message: "Key 'retries' must be a whole number, got '12a'." },
    { raw: 'a12', opts: {}, message: "Key 'retries' must be a whole number, got 'a12'." }
  ])('parseIntValue rejects $raw with $message', ({ raw, opts, message }) => {
    expect(() => parseIntValue(raw, "Key 'retries'", opts)).toThrow(new ConfigurationError(message));
  });

  it('readInt returns undefined for an empty input without a fallback', () => {
    env = setActionEnv({ retries: '' });
    expect(readInt('retries')).toBeUndefined();
  });
});

describe('durations', () => {
  it.each([
    { raw: 0, ms: 0 },
    { raw: ' 0 ', ms: 0 },
    { raw: '1h', ms: 3_600_000 },
    { raw: '1d', ms: 86_400_000 },
    { raw: '0.0015s', ms: 2 }
  ])('parses $raw as $ms ms', ({ raw, ms }) => {
    expect(parseDuration(raw, 'x')).toBe(ms);
  });

  it.each([
    { raw: '5 minutes', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '5 minutes'." },
    { raw: '500', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '500' (write '500ms' or '500s')." },
    { raw: 500, message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '500' (write '500ms' or '500s')." },
    { raw: '1.5', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '1.5' (write '1.5ms' or '1.5s')." },
    { raw: '1.25', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '1.25' (write '1.25ms' or '1.25s')." },
    { raw: 'x500', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got 'x500'." },
    { raw: '500x', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '500x'." },
    { raw: '5s ago', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got '5s ago'." },
    { raw: 'in 5s', message: "Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got 'in 5s'." }
  ])('rejects $raw with the exact sentence', ({ raw, message }) => {
    expect(() => parseDuration(raw, "Input 'timeout'")).toThrow(new ConfigurationError(message));
  });

  it.each([
    { raw: '', fallback: undefined, result: undefined },
    { raw: '', fallback: 2500, result: 2500 },
    { raw: '3s', fallback: 2500, result: 3000 },
    { raw: '1d', fallback: 0, result: 86_400_000 }
  ])('readDuration reads $raw (fallback $fallback) without bounds as $result', ({ raw, fallback, result }) => {
    env = setActionEnv({ timeout: raw });
    expect(fallback === undefined ? readDuration('timeout') : readDuration('timeout', fallback)).toBe(result);
  });

  it('names the input when its duration has no unit', () => {
    env = setActionEnv({ timeout: 'soon' });
    expect(() => readDuration('timeout', 1000)).toThrow(new ConfigurationError("Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms', got 'soon'."));
  });

  it.each([
    { raw: '1ms', bounds: { minMs: 2000, maxMs: 7_200_000 }, message: "Input 'timeout' must be between 2s and 2h, got 1ms." },
    { raw: '3h', bounds: { minMs: 60_000, maxMs: 7_200_000 }, message: "Input 'timeout' must be between 1m and 2h, got 3h." },
    { raw: '3d', bounds: { minMs: 1500, maxMs: 90_000 }, message: "Input 'timeout' must be between 1500ms and 90s, got 3d." },
    { raw: '25h', bounds: { minMs: 0, maxMs: 86_400_000 }, message: "Input 'timeout' must be between 0ms and 1d, got 25h." },
    { raw: '61s', bounds: { minMs: 1, maxMs: 60_000 }, message: "Input 'timeout' must be between 1ms and 1m, got 61s." },
    { raw: '2d', bounds: { minMs: 1000, maxMs: 86_400_000 }, message: "Input 'timeout' must be between 1s and 1d, got 2d." }
  ])('rejects $raw outside the bounds, each bound in its largest whole unit', ({ raw, bounds, message }) => {
    env = setActionEnv({ timeout: raw });
    expect(() => readDuration('timeout', 1000, bounds)).toThrow(new ConfigurationError(message));
  });
});

describe('lists', () => {
  it.each([
    { raw: 'a\r\nb', list: ['a', 'b'] },
    { raw: '  # a comment\nb', list: ['b'] },
    { raw: 'a, #b', list: ['a', '#b'] },
    { raw: 'a,,b, ,c', list: ['a', 'b', 'c'] },
    { raw: '', list: [] }
  ])('splits $raw into $list', ({ raw, list }) => {
    expect(splitList(raw)).toEqual(list);
  });

  it('readList reads the input untrimmed and splits it', () => {
    env = setActionEnv({ urls: '# off\n a \n\nb,c' });
    expect(readList('urls')).toEqual(['a', 'b', 'c']);
  });
});

describe('booleans and choices', () => {
  it.each([
    { raw: '', fallback: true, result: true },
    { raw: 'false', fallback: true, result: false },
    { raw: 'true', fallback: false, result: true }
  ])('readBoolean reads $raw with fallback $fallback as $result', ({ raw, fallback, result }) => {
    env = setActionEnv({ flag: raw });
    expect(readBoolean('flag', fallback)).toBe(result);
  });

  it('echoes a long bad boolean cut to 60 characters', () => {
    env = setActionEnv({ flag: 'y'.repeat(70) });
    expect(() => readBoolean('flag')).toThrow(new ConfigurationError(`Input 'flag' must be 'true' or 'false' (YAML 1.2 booleans), got '${'y'.repeat(60)}…'.`));
  });

  it('lists every choice, quoted, and echoes the trimmed value', () => {
    env = setActionEnv({ operation: '  destroy  ' });
    expect(() => readChoice('operation', ['check', 'renew', 'revoke'] as const, 'check')).toThrow(new ConfigurationError("Input 'operation' must be one of 'check', 'renew', 'revoke', got 'destroy'."));
  });
});

describe('truncate', () => {
  it.each([
    { text: 'a'.repeat(60), max: undefined, result: 'a'.repeat(60) },
    { text: 'a'.repeat(61), max: undefined, result: `${'a'.repeat(60)}…` },
    { text: 'abcdef', max: 5, result: 'abcde…' },
    { text: 'abcde', max: 5, result: 'abcde' },
    { text: 'a\u0000b\u001fc\u007fd e\u0080', max: undefined, result: 'a?b?c?d e\u0080' },
    { text: 'x\ny\tz', max: undefined, result: 'x?y?z' }
  ])('truncate($text, $max) is $result', ({ text, max, result }) => {
    expect(max === undefined ? truncate(text) : truncate(text, max)).toBe(result);
  });
});
