// Host key pinning inputs: every fingerprint format is normalised or refused with a clear message.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { HostKeyPolicy, fingerprintOf, keyTypeOf, normalizeFingerprint, parseKnownHosts } from '../src/index.js';
import { generateKeyPair } from '../../test-support/ssh-server.js';

const key = generateKeyPair();
const blob = Buffer.from(key.publicLine.split(' ')[1], 'base64');
const digest = createHash('sha256').update(blob).digest();
const canonical = `SHA256:${digest.toString('base64').replace(/=+$/, '')}`;

describe('fingerprint formats', () => {
  it('computes the fingerprint ssh-keygen prints', () => {
    expect(fingerprintOf(blob)).toBe(canonical);
    expect(key.fingerprint).toBe(canonical);
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
  });

  it.each([
    ['SHA256: base64 without padding', canonical],
    ['SHA256: base64 with padding', `${canonical}=`],
    ['64 hex digits', digest.toString('hex')],
    ['64 upper-case hex digits with colons', digest.toString('hex').toUpperCase().match(/../g)!.join(':')],
    ['surrounding whitespace', `  ${canonical}\n`]
  ])('normalises %s to the canonical form', (_name, input) => {
    expect(normalizeFingerprint(input)).toBe(canonical);
  });

  it.each([
    ['garbage', 'not-a-fingerprint', /not a SHA-256 host key fingerprint/],
    ['a truncated base64 value', canonical.slice(0, 30), /not a SHA-256 host key fingerprint/],
    ['an MD5 fingerprint', 'MD5:' + randomBytes(16).toString('hex').match(/../g)!.join(':'), /MD5 fingerprint; only SHA-256/],
    ['a bare MD5 colon form', randomBytes(16).toString('hex').match(/../g)!.join(':'), /MD5 fingerprint/],
    ['63 hex digits', digest.toString('hex').slice(1), /not a SHA-256/]
  ])('refuses %s with a ConfigurationError naming the input', (_name, input, message) => {
    expect(() => normalizeFingerprint(input)).toThrow(ConfigurationError);
    expect(() => normalizeFingerprint(input)).toThrow(message);
    expect(() => normalizeFingerprint(input)).toThrow(/Input 'ssh-fingerprint'/);
  });
});

describe('known_hosts lines', () => {
  const target = { address: '10.0.0.5', port: 22 };
  const salt = randomBytes(20);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('10.0.0.5').digest('base64')}`;

  it.each([
    ['a plain address', `10.0.0.5 ${key.publicLine}`, target, true],
    ['a comment after the key', `10.0.0.5 ${key.publicLine} root@app1`, target, true],
    ['a list of names', `app1,10.0.0.5 ${key.publicLine}`, target, true],
    ['a [host]:port entry', `[10.0.0.5]:2222 ${key.publicLine}`, { address: '10.0.0.5', port: 2222 }, true],
    ['a [host]:port entry for another port', `[10.0.0.5]:2222 ${key.publicLine}`, target, false],
    ['a wildcard', `10.0.0.* ${key.publicLine}`, target, true],
    ['a negated match', `10.0.0.*,!10.0.0.5 ${key.publicLine}`, target, false],
    ['a hashed entry', `${hashed} ${key.publicLine}`, target, true],
    ['a hashed entry for another host', `${hashed} ${key.publicLine}`, { address: '10.0.0.6', port: 22 }, false]
  ])('matches %s: %#', (_name, line, t, matches) => {
    const policy = HostKeyPolicy.fromInputs({ knownHosts: `# comment\n\n${line}\n` });
    expect(policy.check(t, blob).ok).toBe(matches);
  });

  it.each([
    ['an unknown key type', `10.0.0.5 ssh-foo ${key.publicLine.split(' ')[1]}`, /key type 'ssh-foo', which is not a host key type/],
    ['a type that differs from the key inside', `10.0.0.5 ssh-rsa ${key.publicLine.split(' ')[1]}`, /says 'ssh-rsa' but the key itself is 'ssh-ed25519'/],
    ['a missing key', '10.0.0.5 ssh-ed25519', /is not a known_hosts line/],
    ['a @cert-authority marker', `@cert-authority *.example ${key.publicLine}`, /marker, which is not supported/],
    ['broken base64', '10.0.0.5 ssh-ed25519 !!!notbase64', /not valid base64/]
  ])('refuses %s', (_name, line, message) => {
    expect(() => parseKnownHosts(`# ok\n${line}`)).toThrow(ConfigurationError);
    expect(() => parseKnownHosts(`# ok\n${line}`)).toThrow(message);
    expect(() => parseKnownHosts(`# ok\n${line}`)).toThrow(/line 2/);
  });

  it('asks the client to prefer the pinned key types', () => {
    const policy = HostKeyPolicy.fromInputs({ knownHosts: `10.0.0.5 ${key.publicLine}` });
    expect(policy.keyTypesFor(target)).toEqual(['ssh-ed25519']);
  });
});

describe('policy', () => {
  it('refuses to exist without any pin (no trust on first use)', () => {
    expect(() => HostKeyPolicy.fromInputs({})).toThrow(/Host key verification is mandatory: set input 'ssh-fingerprint'.*or 'ssh-known-hosts'/);
    expect(() => HostKeyPolicy.fromInputs({ fingerprint: '  ', knownHosts: '# nothing\n' })).toThrow(ConfigurationError);
  });

  it('accepts any of several fingerprints and rejects a different key', () => {
    const other = generateKeyPair();
    const policy = HostKeyPolicy.fromInputs({ fingerprint: `${other.fingerprint}, ${canonical}` });
    expect(policy.check({ address: 'x', port: 22 }, blob)).toMatchObject({ ok: true, presented: canonical });
    const third = Buffer.from(generateKeyPair().publicLine.split(' ')[1], 'base64');
    expect(policy.check({ address: 'x', port: 22 }, third)).toMatchObject({ ok: false, expected: [other.fingerprint, canonical] });
  });

  it('names the bad entry of a fingerprint list', () => {
    expect(() => HostKeyPolicy.fromInputs({ fingerprint: `${canonical}\nnope` })).toThrow(/\(entry 2\)/);
  });
});
