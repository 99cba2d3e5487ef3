// Input readers: YAML 1.2 booleans, durations, integers, lists, choices — each error names the input.
import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError, parseDuration, readBoolean, readChoice, readDuration, readInt, readList, readSecret, readString, scrubSecrets } from '../src/index.js';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

describe('input readers', () => {
  it.each([
    { raw: 'true', expected: true },
    { raw: 'True', expected: true },
    { raw: 'TRUE', expected: true },
    { raw: 'false', expected: false },
    { raw: 'False', expected: false },
    { raw: '', expected: false }
  ])('reads boolean $raw as $expected', ({ raw, expected }) => {
    env = setActionEnv({ flag: raw });
    expect(readBoolean('flag')).toBe(expected);
  });

  it.each(['no', '0', 'yes', '1', 'on', 'maybe'])('rejects the non-YAML-1.2 boolean %p naming the input', (raw) => {
    env = setActionEnv({ 'dry-run': raw });
    expect(() => readBoolean('dry-run')).toThrow(new ConfigurationError(`Input 'dry-run' must be 'true' or 'false' (YAML 1.2 booleans), got '${raw}'.`));
  });

  it.each([
    { raw: '500ms', ms: 500 },
    { raw: '90s', ms: 90_000 },
    { raw: '0', ms: 0 },
    { raw: '5m', ms: 300_000 },
    { raw: '1.5h', ms: 5_400_000 },
    { raw: '2d', ms: 172_800_000 }
  ])('parses the duration $raw as $ms ms', ({ raw, ms }) => {
    expect(parseDuration(raw, 'x')).toBe(ms);
  });

  it.each(['5 minutes', '-1s', 'm5', ''])('rejects the duration %p', (raw) => {
    expect(() => parseDuration(raw, "Input 'timeout'")).toThrow("Input 'timeout' must be a duration with its unit, such as '90s', '5m' or '500ms'");
  });

  it.each(['500', '90', '1.5'])('rejects the bare number %p, which could be ms or s, and says how to write it', (raw) => {
    expect(() => parseDuration(raw, "Input 'latency-warn'")).toThrow(`got '${raw}' (write '${raw}ms' or '${raw}s')`);
  });

  it.each([
    { raw: '3', opts: { min: 1 }, result: 3 },
    { raw: '', opts: { fallback: 7 }, result: 7 }
  ])('reads integer $raw', ({ raw, opts, result }) => {
    env = setActionEnv({ retries: raw });
    expect(readInt('retries', opts)).toBe(result);
  });

  it.each([
    { raw: 'two', message: "Input 'retries' must be a whole number, got 'two'." },
    { raw: '1.5', message: "Input 'retries' must be a whole number, got '1.5'." },
    { raw: '99', message: "Input 'retries' must be at most 10, got 99." },
    { raw: '-1', message: "Input 'retries' must be at least 0, got -1." }
  ])('rejects integer $raw', ({ raw, message }) => {
    env = setActionEnv({ retries: raw });
    expect(() => readInt('retries', { min: 0, max: 10 })).toThrow(message);
  });

  it('splits lists on newlines and commas, dropping blanks and comments', () => {
    env = setActionEnv({ urls: 'https://a.example, https://b.example\n# staging is off\n\n  https://c.example  \n' });
    expect(readList('urls')).toEqual(['https://a.example', 'https://b.example', 'https://c.example']);
  });

  it('rejects a value outside the choices, listing them', () => {
    env = setActionEnv({ operation: 'destroy' });
    expect(() => readChoice('operation', ['check', 'renew'] as const, 'check')).toThrow("Input 'operation' must be one of 'check', 'renew', got 'destroy'.");
  });

  it('names a missing required input and how to set it', () => {
    env = setActionEnv({});
    expect(() => readString('hosts', { required: true })).toThrow("Input 'hosts' is required");
    expect(() => readSecret('ssh-private-key', { required: true })).toThrow("'ssh-private-key: ${{ secrets.NAME }}'");
  });

  it('registers a multi-line secret, each of its lines and its Base64 form before returning it', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACBfakefakefake\n-----END OPENSSH PRIVATE KEY-----\n';
    env = setActionEnv({ 'ssh-private-key': key });
    expect(readSecret('ssh-private-key')).toBe(key.trim());
    const leaked = `stderr: QyNTUxOQAAACBfakefakefake and ${Buffer.from(key).toString('base64')}`;
    expect(scrubSecrets(leaked)).toBe('stderr: *** and ***');
    // Armour lines are public and stay readable.
    expect(scrubSecrets('-----BEGIN OPENSSH PRIVATE KEY-----')).toBe('-----BEGIN OPENSSH PRIVATE KEY-----');
  });
});

describe('input readers at their boundaries', () => {
  it.each([
    { raw: '0', opts: { min: 0, max: 10 }, result: 0 },
    { raw: '10', opts: { min: 0, max: 10 }, result: 10 },
    { raw: '1', opts: { min: 1, max: 500 }, result: 1 },
    { raw: '500', opts: { min: 1, max: 500 }, result: 500 },
    { raw: '4', opts: { min: 4, max: 4 }, result: 4 },
    { raw: '-5', opts: { min: -5, max: -1 }, result: -5 },
    { raw: ' 7 ', opts: { min: 0, max: 10 }, result: 7 }
  ])('accepts the integer $raw on the edge of min $opts.min, max $opts.max', ({ raw, opts, result }) => {
    env = setActionEnv({ n: raw });
    expect(readInt('n', opts)).toBe(result);
  });

  it.each([
    { raw: '-1', opts: { min: 0, max: 10 }, message: "Input 'n' must be at least 0, got -1." },
    { raw: '11', opts: { min: 0, max: 10 }, message: "Input 'n' must be at most 10, got 11." },
    { raw: '0', opts: { min: 1, max: 500 }, message: "Input 'n' must be at least 1, got 0." },
    { raw: '501', opts: { min: 1, max: 500 }, message: "Input 'n' must be at most 500, got 501." },
    { raw: '3', opts: { min: 4, max: 4 }, message: "Input 'n' must be at least 4, got 3." },
    { raw: '5', opts: { min: 4, max: 4 }, message: "Input 'n' must be at most 4, got 5." },
    { raw: '+3', opts: { min: 0, max: 10 }, message: "Input 'n' must be a whole number, got '+3'." },
    { raw: '1e1', opts: { min: 0, max: 10 }, message: "Input 'n' must be a whole number, got '1e1'." }
  ])('rejects the integer $raw just outside min $opts.min, max $opts.max', ({ raw, opts, message }) => {
    env = setActionEnv({ n: raw });
    expect(() => readInt('n', opts)).toThrow(new ConfigurationError(message));
  });

  it.each([
    { raw: '0', ms: 0 },
    { raw: '0ms', ms: 0 },
    { raw: '0s', ms: 0 },
    { raw: '1ms', ms: 1 },
    { raw: '1.5s', ms: 1500 },
    { raw: '0.5m', ms: 30_000 },
    { raw: '90 s', ms: 90_000 },
    { raw: ' 2m ', ms: 120_000 }
  ])('parses the edge duration $raw as $ms ms', ({ raw, ms }) => {
    expect(parseDuration(raw, 'x')).toBe(ms);
  });

  it.each(['00', '.5s', '1.s', '1S', '1M', '1.5', 's', '1 ms 2'])('rejects the edge duration %p', (raw) => {
    expect(() => parseDuration(raw, "Input 'timeout'")).toThrow(ConfigurationError);
  });

  it.each([
    { raw: '100ms', ms: 100 },
    { raw: '5m', ms: 300_000 }
  ])('accepts the duration $raw on a bound, the bounds being inclusive', ({ raw, ms }) => {
    env = setActionEnv({ timeout: raw });
    expect(readDuration('timeout', 10_000, { minMs: 100, maxMs: 300_000 })).toBe(ms);
  });

  it.each([
    { raw: '99ms', message: "Input 'timeout' must be between 100ms and 5m, got 99ms." },
    { raw: '300001ms', message: "Input 'timeout' must be between 100ms and 5m, got 300001ms." }
  ])('rejects the duration $raw a millisecond outside the bounds', ({ raw, message }) => {
    env = setActionEnv({ timeout: raw });
    expect(() => readDuration('timeout', 10_000, { minMs: 100, maxMs: 300_000 })).toThrow(new ConfigurationError(message));
  });

  it.each([
    { raw: 'renew', result: 'renew' },
    { raw: '  renew  ', result: 'renew' },
    { raw: '', result: 'check' }
  ])('reads the choice $raw as $result', ({ raw, result }) => {
    env = setActionEnv({ operation: raw });
    expect(readChoice('operation', ['check', 'renew'] as const, 'check')).toBe(result);
  });

  it.each(['Renew', 'RENEW', 'check,renew', 'renews'])('rejects the choice %p: choices are case-sensitive and exact', (raw) => {
    env = setActionEnv({ operation: raw });
    expect(() => readChoice('operation', ['check', 'renew'] as const, 'check')).toThrow("Input 'operation' must be one of 'check', 'renew', got");
  });
});
