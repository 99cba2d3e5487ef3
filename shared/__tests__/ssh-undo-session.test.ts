// UndoSessions against the in-process SSH server: the run's own session while it lives; once the server
// drops it, one new connection (counted at the server), shared by every later undo on that host; a host
// that cannot be reached again costs one attempt, not one per undo.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostKeyPolicy, SshSession, UndoSessions, type HostTarget, type SshConnectParams } from '../src/index.js';
import { startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

let server: TestSshServer;
let params: SshConnectParams;
let target: HostTarget;

beforeAll(async () => {
  server = await startSshServer();
  target = { name: 'app1', address: server.address, port: server.port, user: server.user };
  params = {
    auth: { privateKey: server.clientKey.privateKey },
    hostKeys: HostKeyPolicy.fromInputs({ fingerprint: server.hostKey.fingerprint }),
    options: { connectTimeoutMs: 3000, commandTimeoutMs: 10_000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, connectRetries: 0, connectRetryDelayMs: 50, parallel: 1 }
  };
});
afterAll(async () => {
  await server.close();
});

async function lost(session: SshSession): Promise<void> {
  server.dropConnections();
  for (let i = 0; i < 100 && !session.lostReason; i++) await sleep(20);
  expect(session.lostReason).toBeDefined();
}

describe('UndoSessions', () => {
  it('gives the live session, then one new connection once it is lost, shared by every undo', async () => {
    const warnings: string[] = [];
    const undo = new UndoSessions(params, (m) => warnings.push(m));
    const session = await SshSession.connect(target, params);
    const get = undo.sessionFor(target, () => session);
    expect(await get()).toBe(session);
    expect(undo.reconnects).toBe(0);

    const before = server.log.connections;
    await lost(session);
    const again = await get();
    expect(again).not.toBe(session);
    expect(await get()).toBe(again);
    expect(server.log.connections - before).toBe(1);
    expect(undo.reconnects).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^app1: the SSH connection was lost \(.+\); connecting again to undo what this run changed\.$/)]);
    await undo.closeAll();
  });

  it('tries a host that cannot be reached again only once', async () => {
    const undo = new UndoSessions({ ...params, options: { ...params.options, connectTimeoutMs: 500 } }, () => undefined);
    const session = await SshSession.connect(target, params);
    await lost(session);
    const gone: HostTarget = { ...target, port: 1 };
    const get = undo.sessionFor(gone, () => session);
    await expect(get()).rejects.toThrow();
    await expect(get()).rejects.toThrow();
    expect(undo.reconnects).toBe(1);
    await undo.closeAll();
  });
});
