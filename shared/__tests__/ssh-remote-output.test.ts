// Remote output is printed inside a stop-commands block so the runner never obeys workflow commands from a host.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret } from '../src/secrets.js';
import { logRemoteOutput, stopCommandsToken } from '../src/index.js';

let written: string[];
let restore: () => void;

beforeEach(() => {
  written = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  restore = () => {
    process.stdout.write = original;
  };
});
afterEach(() => {
  restore();
  clearSecretsForTest();
});

describe('logRemoteOutput', () => {
  it('wraps hostile lines between ::stop-commands::<token> and ::<token>::', () => {
    const hostile = '::add-mask::hunter2\n::error::fake failure\n::set-output name=x::y\n::stop-commands::guess\nplain line\n';
    logRemoteOutput(hostile, '[app1] ');
    const lines = written.join('').split(/\r?\n/).filter(Boolean);
    const token = stopCommandsToken();
    expect(token).toMatch(/^a2a-[0-9a-f]{32}$/);
    expect(lines[0]).toBe(`::stop-commands::${token}`);
    expect(lines.at(-1)).toBe(`::${token}::`);
    expect(lines.slice(1, -1)).toEqual([
      '[app1] ::add-mask::hunter2',
      '[app1] ::error::fake failure',
      '[app1] ::set-output name=x::y',
      '[app1] ::stop-commands::guess',
      '[app1] plain line'
    ]);
    expect(hostile).not.toContain(token);
  });

  it('scrubs registered secrets from remote text', () => {
    registerSecret('s3cr3t-db-password');
    written = [];
    logRemoteOutput('connecting with s3cr3t-db-password\n');
    const out = written.join('');
    expect(out).not.toContain('s3cr3t-db-password');
    expect(out).toContain('connecting with ***');
  });
});
