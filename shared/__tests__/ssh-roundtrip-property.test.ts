// Property: any free text sent through stdin or through shellQuote arrives byte-identical on /bin/sh.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { shellQuote, type SshSession } from '../src/index.js';
import { connectToTestServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

let server: TestSshServer;
let session: SshSession;

// Full Unicode (no lone surrogates, which UTF-8 cannot carry), plus the characters shells care about.
const nasty = fc.constantFrom("'", '"', '`', '$', '$(', '\\', '\n', '\r', '\t', ';', '|', '&', '*', '?', '~', '#', '!', '%', '-', ' ', '{', '}');
const freeText = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), nasty), { maxLength: 20 }).map((parts) => parts.join(''));

beforeAll(async () => {
  server = await startSshServer();
  session = await connectToTestServer(server, 10_000);
});
afterAll(async () => {
  await session.close();
  await server.close();
});

describe('free text round trip', () => {
  it('arrives byte-identical through stdin', async () => {
    await fc.assert(
      fc.asyncProperty(freeText, async (text) => {
        const r = await session.exec('cat', { stdin: text });
        expect(r.code).toBe(0);
        expect(Buffer.from(r.stdout)).toEqual(Buffer.from(text));
      }),
      { numRuns: 40 }
    );
  });

  it('arrives byte-identical as a quoted argument', async () => {
    await fc.assert(
      fc.asyncProperty(freeText.filter((t) => !t.includes('\0')), async (text) => {
        const r = await session.exec(`printf '%s' ${shellQuote(text)}`);
        expect(r.code).toBe(0);
        expect(Buffer.from(r.stdout)).toEqual(Buffer.from(text));
      }),
      { numRuns: 40 }
    );
  });

  it('arrives byte-identical as a quoted cwd', async () => {
    // The directory name is random text too; the command proves it ran inside it.
    const dir = `/tmp/a2a ssh 'q' $(x) ${process.pid}`;
    const made = await session.exec(`mkdir -p ${shellQuote(dir)}`);
    expect(made.code).toBe(0);
    const r = await session.exec('pwd', { cwd: dir });
    await session.exec(`rmdir ${shellQuote(dir)}`);
    expect(r.stdout).toBe(`${dir}\n`);
  });
});
