// The benchmark's latency proxy must really cost a round trip per exchange (plus one for the TCP handshake)
// and must pass every byte through intact and in order, or the TLS benchmark's figures mean nothing.
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { startLatencyProxy, type LatencyProxy } from '../latency-proxy.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An echo server on loopback that also ends when the client ends. */
async function startEcho(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  return (server.address() as AddressInfo).port;
}

async function proxyTo(port: number, delayMs: number, observer?: Parameters<typeof startLatencyProxy>[2]): Promise<LatencyProxy> {
  const proxy = await startLatencyProxy(port, delayMs, observer);
  cleanups.push(() => proxy.close());
  return proxy;
}

/** Sends `data` and resolves with the ms until the same number of bytes came back, and those bytes. */
function roundTrip(socket: Socket, data: Buffer, since = performance.now()): Promise<{ ms: number; echoed: Buffer }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer): void => {
      parts.push(chunk);
      got += chunk.length;
      if (got >= data.length) {
        socket.off('data', onData);
        resolve({ ms: performance.now() - since, echoed: Buffer.concat(parts) });
      }
    };
    socket.on('data', onData);
    socket.write(data);
  });
}

async function connectTo(port: number): Promise<{ socket: Socket; startedAt: number }> {
  const startedAt = performance.now();
  const socket = connect({ host: '127.0.0.1', port });
  cleanups.push(async () => void socket.destroy());
  await once(socket, 'connect');
  return { socket, startedAt };
}

describe('the latency proxy', () => {
  it('makes the first exchange cost two round trips (TCP handshake, then the data) and later ones one', async () => {
    const delayMs = 50;
    const proxy = await proxyTo(await startEcho(), delayMs);
    const { socket, startedAt } = await connectTo(proxy.port);

    const first = await roundTrip(socket, Buffer.from('hello'), startedAt);
    const second = await roundTrip(socket, Buffer.from('again'));

    expect(first.echoed.toString()).toBe('hello');
    expect(second.echoed.toString()).toBe('again');
    // Lower bounds only: a busy machine may add time, but nothing may arrive before the path allows it.
    expect(first.ms).toBeGreaterThanOrEqual(4 * delayMs - 2);
    expect(second.ms).toBeGreaterThanOrEqual(2 * delayMs - 2);
  });

  it.each([0, 20])('passes a megabyte through intact and in order with a %i ms delay', async (delayMs) => {
    const proxy = await proxyTo(await startEcho(), delayMs);
    const { socket } = await connectTo(proxy.port);
    const data = randomBytes(1024 * 1024);

    const { echoed } = await roundTrip(socket, data);

    expect(echoed.equals(data)).toBe(true);
  });

  it("carries the client's end of the stream to the server and the server's end back", async () => {
    const proxy = await proxyTo(await startEcho(), 10);
    const { socket } = await connectTo(proxy.port);
    const ended = once(socket, 'end');

    socket.end('bye');
    const [echoed] = (await once(socket, 'data')) as [Buffer];
    await ended;

    expect(echoed.toString()).toBe('bye');
  });

  it('reports how long the server took to answer, once per connection', async () => {
    const replies: number[] = [];
    const proxy = await proxyTo(await startEcho(), 10, { serverReply: (ms) => replies.push(ms), late: () => undefined });
    const { socket } = await connectTo(proxy.port);

    await roundTrip(socket, Buffer.from('one'));
    await roundTrip(socket, Buffer.from('two'));

    expect(replies).toHaveLength(1);
    expect(replies[0]).toBeGreaterThanOrEqual(0);
    expect(replies[0]).toBeLessThan(10_000);
  });
});
