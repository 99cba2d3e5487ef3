// Secret scrubbing of the forms a secret takes besides itself: each line of a key (its armour lines
// public), CRLF keys, unpadded Base64 of the trimmed value, values read with a trailing newline, and the
// 4-character floor. Also: each form is masked with the runner exactly once.
import { afterEach, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret, registerUrlSecrets, scrubSecrets } from '../src/index.js';
import { capturedStdout } from '../../test-support/quiet-stdout.js';

const KEY_LINES = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA', 'QyNTUxOQAAACDkZXBsb3kta2V5', '-----END OPENSSH PRIVATE KEY-----'];
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

afterEach(() => clearSecretsForTest());

describe('secret forms', () => {
  it.each([
    { name: 'LF', eol: '\n' },
    { name: 'CRLF', eol: '\r\n' }
  ])('scrubs every line of a $name private key on its own and leaves the armour lines readable', ({ eol }) => {
    registerSecret(`${KEY_LINES.join(eol)}${eol}`);
    expect(scrubSecrets(`line: ${KEY_LINES[1]}.`)).toBe('line: ***.');
    expect(scrubSecrets(`line: ${KEY_LINES[2]}.`)).toBe('line: ***.');
    expect(scrubSecrets(`${KEY_LINES[0]} was refused`)).toBe(`${KEY_LINES[0]} was refused`);
    expect(scrubSecrets(`${KEY_LINES[3]}`)).toBe(KEY_LINES[3]);
  });

  it('leaves an indented armour line readable (lines are trimmed before the armour test)', () => {
    registerSecret(`  ${KEY_LINES[0]}\n${KEY_LINES[1]}\n  ${KEY_LINES[3]}`);
    expect(scrubSecrets(`${KEY_LINES[0]} / ${KEY_LINES[3]}`)).toBe(`${KEY_LINES[0]} / ${KEY_LINES[3]}`);
    expect(scrubSecrets(KEY_LINES[1])).toBe('***');
  });

  it.each([
    { name: 'two padding characters', secret: 'abcd', unpadded: 'YWJjZA' },
    { name: 'one padding character', secret: 'abcde', unpadded: 'YWJjZGU' },
    { name: 'a trailing newline (read from a file)', secret: 'abcd\n', unpadded: 'YWJjZA' }
  ])('scrubs the unpadded Base64 of the trimmed value: $name', ({ secret, unpadded }) => {
    expect(b64(secret.trim()).replace(/=+$/, '')).toBe(unpadded);
    registerSecret(secret);
    expect(scrubSecrets(`jwt-like ${unpadded}.x`)).toBe('jwt-like ***.x');
    expect(scrubSecrets(`padded ${b64(secret)}`)).toBe('padded ***');
  });

  it('registers secrets of 4 characters and ignores 3', () => {
    registerSecret('xyz');
    registerSecret('wxyz');
    expect(scrubSecrets('wxyz and xyz')).toBe('*** and xyz');
  });

  it('ignores an empty or missing value', () => {
    registerSecret('');
    registerSecret(undefined);
    registerSecret(null);
    expect(scrubSecrets('nothing registered')).toBe('nothing registered');
  });

  it('masks each form with the runner once, even when registered twice', () => {
    capturedStdout();
    registerSecret('s3cret-value');
    registerSecret('s3cret-value');
    const masks = capturedStdout().split('\n').filter((line) => line.startsWith('::add-mask::'));
    const forms = ['s3cret-value', encodeURIComponent('s3cret-value'), b64('s3cret-value'), b64('s3cret-value').replace(/=+$/, '')];
    expect(masks.sort()).toEqual([...new Set(forms)].map((f) => `::add-mask::${f}`).sort());
  });

  it('scrubs a whole multi-line secret as one mask, not one per line', () => {
    const key = KEY_LINES.join('\n');
    registerSecret(key);
    expect(scrubSecrets(`key:\n${key}\nend`)).toBe('key:\n***\nend');
  });

  it('scrubs an indented line of a secret without its indentation', () => {
    registerSecret('first-secret-line\n    indented-secret-line  ');
    expect(scrubSecrets('got indented-secret-line.')).toBe('got ***.');
  });

  it('treats only lines that start with the armour as public', () => {
    registerSecret('first-secret-line\nsecret-----BEGIN part');
    expect(scrubSecrets('[secret-----BEGIN part]')).toBe('[***]');
  });

  it('scrubs a DSN password in the URL encoding it was written in, even one encodeURIComponent would not produce', () => {
    registerUrlSecrets('postgres://a2a_user:p%21ss-word@db.internal:5432/a2a_world');
    expect(scrubSecrets('password p%21ss-word / p!ss-word')).toBe('password *** / ***');
  });

  it('forgets every secret on clearSecretsForTest', () => {
    registerSecret('sekret-value-1');
    clearSecretsForTest();
    expect(scrubSecrets('sekret-value-1')).toBe('sekret-value-1');
  });
});
