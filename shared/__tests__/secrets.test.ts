// Secret scrubbing: the raw value and every derived form, DSN passwords included.
import { describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret, registerUrlSecrets, scrubSecrets } from '../src/index.js';

describe('secret scrubbing', () => {
  it.each([
    { name: 'the raw value', text: 'token=gho_abcdefghijklmnop', expected: 'token=***' },
    { name: 'the URL-encoded form', text: `p=${encodeURIComponent('p@ss w/rd+1!')}`, expected: 'p=***' },
    { name: 'the Base64 form', text: Buffer.from('gho_abcdefghijklmnop').toString('base64'), expected: '***' }
  ])('scrubs $name', ({ text, expected }) => {
    registerSecret('gho_abcdefghijklmnop');
    registerSecret('p@ss w/rd+1!');
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('scrubs the password inside a DSN, in plain and percent-encoded form', () => {
    registerUrlSecrets('postgres://a2a_user:s3cr%40t-pw@db.internal:5432/a2a_world');
    expect(scrubSecrets('connecting with s3cr@t-pw')).toBe('connecting with ***');
    expect(scrubSecrets('url postgres://a2a_user:s3cr%40t-pw@db.internal:5432/a2a_world')).toBe('url ***');
  });

  it('leaves text without secrets alone and ignores values too short to be secrets', () => {
    registerSecret('ab');
    expect(scrubSecrets('about a cab')).toBe('about a cab');
  });

  it.each([
    { order: 'the shorter first', secrets: ['abcd', 'xabcdx'] },
    { order: 'the longer first', secrets: ['xabcdx', 'abcd'] },
    { order: 'three nested, shortest first', secrets: ['abcd', 'xabcdx', 'yxabcdxy'] },
    { order: 'three nested, middle first', secrets: ['xabcdx', 'yxabcdxy', 'abcd'] }
  ])('scrubs a secret that contains another one whole, never leaving its ends: $order', ({ secrets }) => {
    clearSecretsForTest();
    for (const s of secrets) registerSecret(s);
    const text = `one ${secrets.join(' two ')} end`;
    expect(scrubSecrets(text)).toBe(`one ${secrets.map(() => '***').join(' two ')} end`);
    const longest = [...secrets].sort((a, b) => b.length - a.length)[0];
    expect(scrubSecrets(`token=${longest};`)).toBe('token=***;');
    clearSecretsForTest();
  });
});
