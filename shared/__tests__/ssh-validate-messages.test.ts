// The allow-list validators' refusals, word for word: each problem named (checked in order, so a NUL is
// "a NUL byte", not "a control character"), each validator's own rule and default name, and values that
// pass the problem checks but not the pattern (a leading '.', one character too many, a character
// outside the alphabet at either end), where only the anchored pattern refuses them.
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { assertDatabaseName, assertImageTag, assertRemotePath, assertServiceName, assertVersion } from '../src/index.js';

const SERVICE_RULE = "letters, digits, '_', '.', '-' (up to 63, not starting with '-' or '.')";
const TAG_RULE = "a Docker tag: letters, digits, '_', '.', '-' (up to 128)";
const VERSION_RULE = "a version such as 'v1.4.2': letters, digits, '_', '.', '-'";
const PATH_RULE = "a path of letters, digits, '_', '.', '/', '-'";
const DATABASE_RULE = "letters, digits, '_', '-' (up to 63, starting with a letter or '_')";

function refusal(check: () => unknown): string {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError, got none');
}

describe('validator refusals name the problem', () => {
  it.each([
    ['an empty value', '', 'is empty'],
    ['a NUL byte', 'api\0', 'contains a NUL byte'],
    ['a line feed', 'api\nrm', 'contains a line break'],
    ['a carriage return', 'api\r', 'contains a line break'],
    ['a tab', 'api\tx', 'contains a control character'],
    ['DEL', 'api\u007f', 'contains a control character'],
    ['a Cyrillic look-alike', 'аpi', 'contains a non-ASCII character (possibly a look-alike of an ASCII one)'],
    ['a leading dash', '-api', "starts with '-' (it would be read as an option)"],
    ['a semicolon', 'api;id', 'contains a shell metacharacter or space'],
    ['a space', 'api x', 'contains a shell metacharacter or space']
  ])('%s: %p', (_what, value, problem) => {
    expect(refusal(() => assertServiceName(value, 'input `service`'))).toBe(`input \`service\` ${problem}; it must be ${SERVICE_RULE}.`);
  });
});

describe('each validator: its default name, its rule, its anchored pattern', () => {
  it.each([
    ['service name', assertServiceName, SERVICE_RULE, ['.hidden', 'a'.repeat(64), 'api@x', '@api']],
    ['image tag', assertImageTag, TAG_RULE, ['.v1', 'v'.repeat(129), 'v1@x', '@v1']],
    ['version', assertVersion, VERSION_RULE, ['.v1', 'v'.repeat(129), 'v1@x', '@v1']],
    ['remote path', assertRemotePath, PATH_RULE, ['/srv/a@b', '@/srv', '/srv@', `/${'a'.repeat(4096)}`]],
    ['database name', assertDatabaseName, DATABASE_RULE, ['1db', 'db.x', '.db', 'd'.repeat(64)]]
  ] as const)('%s refuses values only its pattern catches', (name, assert, rule, values) => {
    for (const value of values) expect(refusal(() => assert(value))).toBe(`${name} is not allowed; it must be ${rule}.`);
  });

  it.each([
    ['service name', assertServiceName, ['api', 'a2a_api-2.web', 'a'.repeat(63)]],
    ['image tag', assertImageTag, ['v1.4.2', '_latest', 'v'.repeat(128)]],
    ['version', assertVersion, ['v1.4.2', '2024.06.01-rc1', 'v'.repeat(128)]],
    ['remote path', assertRemotePath, ['/srv/a2a/.env', 'relative/dir', `/${'a'.repeat(4095)}`]],
    ['database name', assertDatabaseName, ['a2a_world', '_scratch-1', 'd'.repeat(63)]]
  ] as const)('%s accepts its edges and returns the value', (_name, assert, values) => {
    for (const value of values) expect(assert(value)).toBe(value);
  });

  it('names the problem with the default name when none is given', () => {
    expect(refusal(() => assertImageTag(''))).toBe(`image tag is empty; it must be ${TAG_RULE}.`);
    expect(refusal(() => assertVersion('v1;x'))).toBe(`version contains a shell metacharacter or space; it must be ${VERSION_RULE}.`);
    expect(refusal(() => assertDatabaseName('-db'))).toBe(`database name starts with '-' (it would be read as an option); it must be ${DATABASE_RULE}.`);
    expect(refusal(() => assertRemotePath('/srv/../etc'))).toBe("remote path contains a '..' segment; give a path without it.");
  });
});
