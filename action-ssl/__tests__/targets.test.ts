// Endpoint parsing: the allow-list that runs before any connection.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConfigurationError } from '../../shared/src/errors.js';
import { parseTlsTarget, targetKey } from '../src/targets.js';

describe('parsing an endpoint', () => {
  it.each([
    ['api.example.com', 'api.example.com', 443, undefined],
    ['api.example.com:8443', 'api.example.com', 8443, undefined],
    ['127.0.0.1:18441', '127.0.0.1', 18441, undefined],
    ['[2001:db8::1]:993', '2001:db8::1', 993, undefined],
    ['::1', '::1', 443, undefined],
    ['https://a2aworld.ai/health', 'a2aworld.ai', 443, undefined],
    ['https://a2aworld.ai:9443', 'a2aworld.ai', 9443, undefined],
    ['lab.test:18460=127.0.0.1', 'lab.test', 18460, '127.0.0.1'],
    ['example.com.', 'example.com', 443, undefined]
  ])('%s means host %s port %d address %s', (raw, host, port, address) => {
    const t = parseTlsTarget(raw, "Input 'hosts'");
    expect([t.host, t.port, t.address]).toEqual([host, port, address]);
  });

  it.each([
    ['a2aworld.ai;rm -rf /', /printable ASCII/],
    ['$(id).example.com', /not a host name/],
    ['`id`', /not a host name/],
    ['host|nc', /not a host name/],
    ['a.com&&b', /not a host name/],
    ['-oProxyCommand=x', /may not start with '-'/],
    ['--help', /may not start with '-'/],
    ['host:0', /port must be a number from 1 to 65535/],
    ['host:65536', /port must be a number from 1 to 65535/],
    ['host:http', /port must be a number/],
    ['2001:db8::1:443x', /IPv6 addresses with a port/],
    ['http://a2aworld.ai', /only https:\/\/ URLs/],
    ['ехample.com', /printable ASCII/],
    ['a b', /printable ASCII/],
    ['host\nother', /printable ASCII/],
    ['1.2.3.999', /not a host name/],
    ['lab.test=not-an-ip', /after '=' must come an IP address/]
  ])('rejects %j with a ConfigurationError naming the input', (raw, message) => {
    let caught: unknown;
    try {
      parseTlsTarget(raw, "Input 'hosts'");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toMatch(/^Input 'hosts': /);
    expect((caught as Error).message).toMatch(message);
  });

  it('never accepts a shell metacharacter, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom(';', '$', '`', '|', '&', '(', ')', '<', '>', '\\', '"', "'", ' ', '\n', '\0'), fc.string({ maxLength: 20 }), (a, meta, b) => {
        expect(() => parseTlsTarget(`${a}${meta}${b}`, 'x')).toThrow(ConfigurationError);
      })
    );
  });

  it('gives IPv6 endpoints a bracketed key', () => {
    expect(targetKey(parseTlsTarget('[::1]:8443', 'x'))).toBe('[::1]:8443');
  });
});
