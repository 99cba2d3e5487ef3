// The host lock on a real shell (the runner's own sh, and sh behind the in-process SSH server): one
// holder at a time, the holder named to whoever finds it taken, bounded waits, explicit breaks only.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { acquireHostLock, LocalShell, LockHeldError, readHolder, releaseHostLock, type HostLock } from '../src/index.js';
import { connectToTestServer, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

const shell = new LocalShell();
const holder = (actor: string) => ({ actor, runUrl: `https://github.com/o/r/actions/runs/${actor.length}`, purpose: `deploy api by ${actor}` });
const lockPath = (): string => join(mkdtempSync(join(tmpdir(), 'lock-')), 'project', '.a2a-ops', 'deploy.lock');

describe('acquireHostLock', () => {
  it('takes a free lock and writes who holds it, for what, from which run', async () => {
    const path = lockPath();
    const lock = await acquireHostLock(shell, { path, holder: holder('alice') });
    const written = JSON.parse(readFileSync(join(path, 'holder.json'), 'utf8'));
    expect(written).toEqual({ ...holder('alice'), id: lock.holder.id, acquiredAt: lock.holder.acquiredAt });
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('fails fast on a held lock, naming the holder and how to break it', async () => {
    const path = lockPath();
    const first = await acquireHostLock(shell, { path, holder: holder('alice') });
    const started = Date.now();
    const second = acquireHostLock(shell, { path, holder: holder('bob') });
    await expect(second).rejects.toThrow(LockHeldError);
    await expect(second).rejects.toThrow(new RegExp(`locked by alice \\(https://github.com/o/r/actions/runs/5\\) since .* for 'deploy api by alice'.*break-lock: true`));
    expect(Date.now() - started).toBeLessThan(2000);
    await first.release();
  });

  it('lets exactly one of ten racing runs take the lock', async () => {
    const path = lockPath();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => acquireHostLock(shell, { path, holder: holder(`run${i}`) })));
    const won = results.filter((r): r is PromiseFulfilledResult<HostLock> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof LockHeldError)).toHaveLength(9);
    expect((await readHolder(shell, path))?.id).toBe(won[0].value.holder.id);
    await won[0].value.release();
  });

  it('waits up to the bound for a held lock and takes it once released', async () => {
    const path = lockPath();
    const first = await acquireHostLock(shell, { path, holder: holder('alice') });
    setTimeout(() => void first.release(), 1200);
    const second = await acquireHostLock(shell, { path, holder: holder('bob'), waitMs: 15_000 });
    expect((await readHolder(shell, path))?.actor).toBe('bob');
    await second.release();
  });

  it('gives up waiting at the bound, still naming the holder', async () => {
    const path = lockPath();
    const first = await acquireHostLock(shell, { path, holder: holder('alice') });
    const started = Date.now();
    await expect(acquireHostLock(shell, { path, holder: holder('bob'), waitMs: 1500 })).rejects.toThrow(/locked by alice/);
    expect(Date.now() - started).toBeLessThan(6000);
    await first.release();
  });

  it('breaks a held lock only when asked, and says whose it was', async () => {
    const path = lockPath();
    await acquireHostLock(shell, { path, holder: holder('alice') });
    const taken = await acquireHostLock(shell, { path, holder: holder('bob'), breakExisting: true });
    expect(taken.broken).toMatchObject({ actor: 'alice' });
    expect((await readHolder(shell, path))?.actor).toBe('bob');
    await taken.release();
  });

  it("never releases another run's lock (a stale release after a break)", async () => {
    const path = lockPath();
    const alice = await acquireHostLock(shell, { path, holder: holder('alice') });
    const bob = await acquireHostLock(shell, { path, holder: holder('bob'), breakExisting: true });
    await alice.release();
    expect((await readHolder(shell, path))?.actor).toBe('bob');
    await releaseHostLock(shell, path, 'not-the-holder');
    expect(existsSync(path)).toBe(true);
    await bob.release();
    expect(existsSync(path)).toBe(false);
  });

  it('treats a lock directory without a holder file as held by an unknown holder', async () => {
    const path = lockPath();
    await shell.exec(`mkdir -p '${path}'`);
    await expect(acquireHostLock(shell, { path, holder: holder('bob') })).rejects.toThrow(/locked by an unknown holder/);
    expect(await readHolder(shell, path)).toBeNull();
  });
});

describe('acquireHostLock over SSH', () => {
  let server: TestSshServer;
  beforeAll(async () => {
    server = await startSshServer();
  });
  afterAll(async () => server?.close());

  it('takes, refuses and releases through a remote shell, with a path that needs quoting', async () => {
    const session = await connectToTestServer(server);
    try {
      const path = join(mkdtempSync(join(tmpdir(), "lock 'quoted' ")), 'deploy.lock');
      const lock = await acquireHostLock(session, { path, holder: holder('alice') });
      await expect(acquireHostLock(session, { path, holder: holder('bob') })).rejects.toThrow(/locked by alice/);
      await lock.release();
      expect(existsSync(path)).toBe(false);
    } finally {
      await session.close();
    }
  });
});
