// The env file that pins each service's version (rollout/env-file.ts), as pure text: reading a
// variable the way compose reads it, and writing a new value in place without touching anything else.
import { describe, expect, it } from '@jest/globals';
import { envFilePath, readEnvValue, setEnvValue } from '../src/rollout/env-file.js';

const PRODUCTION = ['# a2a-world production', 'POSTGRES_PASSWORD=s3cret', 'VERSION=v1.4.2', 'WORKER_VERSION=v0.9', ''].join('\n');

describe('readEnvValue', () => {
  it.each([
    { name: 'a plain assignment', content: PRODUCTION, want: 'v1.4.2' },
    { name: 'a double-quoted value', content: 'VERSION="v1.4.2"\n', want: 'v1.4.2' },
    { name: 'a single-quoted value', content: "VERSION='v1.4.2'\n", want: 'v1.4.2' },
    { name: 'a double-quoted value followed by a comment', content: 'VERSION="v1.4.2" # pinned by ops\n', want: 'v1.4.2' },
    { name: 'a single-quoted value followed by a comment', content: "VERSION='v1.4.2'  # pinned\n", want: 'v1.4.2' },
    { name: 'an `export NAME=` line', content: 'export VERSION=v1.4.2\n', want: 'v1.4.2' },
    { name: 'spaces around the name, the = and the value', content: '  VERSION =  v1.4.2  \n', want: 'v1.4.2' },
    { name: 'an unquoted value with a trailing comment', content: 'VERSION=v1.4.2 # pinned by ops\n', want: 'v1.4.2' },
    { name: 'a # inside an unquoted value (no space before it: not a comment)', content: 'VERSION=v1#2\n', want: 'v1#2' },
    { name: 'CRLF line endings', content: 'A=1\r\nVERSION=v1.4.2\r\nB=2\r\n', want: 'v1.4.2' },
    { name: 'the last of several assignments (compose reads the file top to bottom)', content: 'VERSION=v1\nOTHER=x\nVERSION=v2\n', want: 'v2' },
    { name: 'an empty assignment, as an empty string', content: 'VERSION=\n', want: '' }
  ])('reads $name', ({ content, want }) => {
    expect(readEnvValue(content, 'VERSION')).toBe(want);
  });

  it.each([
    { name: 'the variable is absent', content: 'A=1\nB=2\n' },
    { name: 'it is only in a comment', content: '# VERSION=v0.1\nA=1\n' },
    { name: 'only a longer name ends with it', content: 'API_VERSION=v1\n' },
    { name: 'only a longer name starts with it', content: 'VERSION_OLD=v1\n' },
    { name: 'the file is empty', content: '' }
  ])('is undefined when $name', ({ content }) => {
    expect(readEnvValue(content, 'VERSION')).toBeUndefined();
  });
});

describe('setEnvValue', () => {
  it.each([
    {
      name: 'replaces the value in place and keeps every other line, comments included',
      content: PRODUCTION,
      want: ['# a2a-world production', 'POSTGRES_PASSWORD=s3cret', 'VERSION=v1.5.0', 'WORKER_VERSION=v0.9', ''].join('\n')
    },
    { name: 'keeps CRLF line endings', content: 'A=1\r\nVERSION=v1\r\nB=2\r\n', want: 'A=1\r\nVERSION=v1.5.0\r\nB=2\r\n' },
    { name: 'keeps CRLF on a last line without a final newline', content: 'A=1\r\nVERSION=v1\r', want: 'A=1\r\nVERSION=v1.5.0\r' },
    { name: 'replaces a quoted value with a plain one', content: 'VERSION="v1"\n', want: 'VERSION=v1.5.0\n' },
    { name: 'keeps `export`', content: 'export VERSION=v1\n', want: 'export VERSION=v1.5.0\n' },
    { name: 'keeps the indentation and the spacing before the =', content: '  VERSION = v1\n', want: '  VERSION =v1.5.0\n' },
    { name: 'replaces the whole value, a trailing comment with it', content: 'VERSION=v1 # pinned\n', want: 'VERSION=v1.5.0\n' },
    { name: 'leaves a commented-out assignment alone', content: '# VERSION=v0\nVERSION=v1\n', want: '# VERSION=v0\nVERSION=v1.5.0\n' },
    { name: 'leaves longer names alone', content: 'API_VERSION=v9\nVERSION_OLD=v8\nVERSION=v1\n', want: 'API_VERSION=v9\nVERSION_OLD=v8\nVERSION=v1.5.0\n' },
    { name: 'changes only the last assignment, the one compose uses', content: 'VERSION=v0\nVERSION=v1\n', want: 'VERSION=v0\nVERSION=v1.5.0\n' },
    { name: 'appends a missing variable', content: 'A=1\n', want: 'A=1\nVERSION=v1.5.0\n' },
    { name: 'appends a missing variable after fixing a missing final newline', content: 'A=1', want: 'A=1\nVERSION=v1.5.0\n' },
    { name: 'writes a missing variable into an empty file', content: '', want: 'VERSION=v1.5.0\n' },
    { name: 'appends rather than reuse a commented-out assignment', content: '# VERSION=v0\n', want: '# VERSION=v0\nVERSION=v1.5.0\n' }
  ])('$name', ({ content, want }) => {
    expect(setEnvValue(content, 'VERSION', 'v1.5.0')).toBe(want);
  });

  it.each([PRODUCTION, 'VERSION="v1" # x\n', 'export VERSION=v1\r\n', 'A=1', ''])('writes what readEnvValue reads back (%j)', (content) => {
    expect(readEnvValue(setEnvValue(content, 'VERSION', 'v2.0.0-rc1'), 'VERSION')).toBe('v2.0.0-rc1');
  });
});

describe('envFilePath', () => {
  it.each([
    { name: 'joins a relative env file to the project directory', dir: '/opt/a2a-world', file: '.env.production', want: '/opt/a2a-world/.env.production' },
    { name: 'drops trailing slashes of the project directory', dir: '/opt/a2a-world//', file: '.env', want: '/opt/a2a-world/.env' },
    { name: 'keeps a relative path with folders', dir: '/opt/a2a-world', file: 'config/prod.env', want: '/opt/a2a-world/config/prod.env' },
    { name: 'takes an absolute env file as it is', dir: '/opt/a2a-world', file: '/etc/a2a/prod.env', want: '/etc/a2a/prod.env' }
  ])('$name', ({ dir, file, want }) => {
    expect(envFilePath(dir, file)).toBe(want);
  });
});
