// Host specs, allow-list validators and quoting: injection attempts are refused before any connection.
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import {
  assertDatabaseName,
  assertImageTag,
  assertRemotePath,
  assertServiceName,
  assertVersion,
  parseHostSpec,
  shellJoin,
  shellQuote
} from '../src/index.js';

describe('parseHostSpec', () => {
  it.each([
    ['app1.example.com', { name: 'app1.example.com', address: 'app1.example.com', port: 22, user: 'deploy' }],
    ['root@10.0.0.5', { name: '10.0.0.5', address: '10.0.0.5', port: 22, user: 'root' }],
    ['ops@10.0.0.5:2222', { name: '10.0.0.5', address: '10.0.0.5', port: 2222, user: 'ops' }],
    ['[2001:db8::1]', { name: '2001:db8::1', address: '2001:db8::1', port: 22, user: 'deploy' }],
    ['u@[::1]:2200', { name: '::1', address: '::1', port: 2200, user: 'u' }],
    ['  host-1  ', { name: 'host-1', address: 'host-1', port: 22, user: 'deploy' }]
  ])('parses %s', (spec, expected) => {
    expect(parseHostSpec(spec, { user: 'deploy' })).toEqual(expected);
  });

  it.each([
    ['a leading dash (ssh option injection)', '-oProxyCommand=touch_pwned', /starts with '-'/],
    ['a user that is an option', '-l@host', /starts with '-'/],
    ['a command substitution', 'host$(id)', /shell metacharacter/],
    ['a semicolon', 'host;reboot', /shell metacharacter/],
    ['backticks', '`id`.example', /shell metacharacter/],
    ['a pipe', 'a|b', /shell metacharacter/],
    ['a space', 'host name', /contains a space/],
    ['a newline', 'host\nother', /control character or line break/],
    ['a NUL', 'host\0', /control character/],
    ['a Cyrillic look-alike', 'аpp1.example.com', /non-ASCII/],
    ['an unbracketed IPv6 address', '2001:db8::7', /without brackets/],
    ['a port out of range', 'host:70000', /outside 1-65535/],
    ['a port that is not a number', 'host:ssh', /not a number/],
    ['an empty entry', '   ', /is empty/],
    ['a host starting with a dot', '.host', /invalid host name/]
  ])('refuses %s without echoing it', (_name, spec, message) => {
    let error: unknown;
    try {
      parseHostSpec(spec, { user: 'deploy' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Input 'hosts'/);
    expect((error as Error).message).not.toContain(spec.trim() || '\u0000never');
  });
});

describe('allow-list validators', () => {
  const validators = [
    ['service', assertServiceName],
    ['image tag', assertImageTag],
    ['version', assertVersion],
    ['remote path', assertRemotePath],
    ['database name', assertDatabaseName]
  ] as const;
  const attacks = [
    ['a semicolon', 'api;rm -rf /'],
    ['a command substitution', 'v1$(curl x)'],
    ['backticks', 'v1`id`'],
    ['a pipe', 'a|b'],
    ['an && chain', 'a&&b'],
    ['a newline', 'v1\nreboot'],
    ['a NUL', 'v1\0x'],
    ['a leading dash', '--help'],
    ['an option injection', '-oProxyCommand=x'],
    ['a non-ASCII look-alike', 'аpi'],
    ['a fullwidth semicolon', 'api；x']
  ] as const;

  it.each(validators.flatMap(([kind, fn]) => attacks.map(([name, value]) => [kind, name, value, fn] as const)))(
    'the %s validator refuses %s and names the input without echoing it',
    (_kind, _name, value, fn) => {
      let error: unknown;
      try {
        fn(value, "Input 'thing'");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/^Input 'thing' /);
      expect((error as Error).message).not.toContain(value);
    }
  );

  it.each([
    [assertServiceName, 'api'],
    [assertServiceName, 'a2a_world-api.1'],
    [assertImageTag, 'v1.4.2'],
    [assertImageTag, 'sha-0a1b2c3'],
    [assertVersion, '2024.06.01-rc1'],
    [assertRemotePath, '/opt/a2a-world'],
    [assertRemotePath, 'backups/2024-06-01.dump'],
    [assertDatabaseName, 'a2a_world']
  ])('accepts a plain value (%#)', (fn, value) => {
    expect(fn(value)).toBe(value);
  });

  it('refuses a path that climbs out with ..', () => {
    expect(() => assertRemotePath('/opt/../etc/shadow', 'Input p')).toThrow(/'\.\.' segment/);
  });
});

describe('shellQuote', () => {
  it.each([
    ['plain', 'plain'],
    ['', "''"],
    ["it's", `'it'\\''s'`],
    ['$(id) `x` ;|&', "'$(id) `x` ;|&'"],
    ['-rf', '-rf']
  ])('quotes %j as %s', (input, expected) => {
    expect(shellQuote(input)).toBe(expected);
  });

  it('refuses NUL, which no shell argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(TypeError);
  });

  it('joins words', () => {
    expect(shellJoin(['docker', 'logs', '--tail', "it's"])).toBe(`docker logs --tail 'it'\\''s'`);
  });
});
