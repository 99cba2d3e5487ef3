// A TCP proxy on loopback that makes a path look like the internet: every chunk, in each direction, is
// delivered a fixed one-way delay after it arrived, and the client's first bytes wait one round trip more,
// as they would behind a real TCP handshake. tc netem does the same in the kernel; it is not available here.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** What the proxy saw, for telling the endpoints' own slowness from the checker's. */
export interface ProxyObserver {
  /** Per connection: ms from the client's first bytes reaching the server to the server's first reply. */
  serverReply(ms: number): void;
  /** Per delivery: how late a delayed chunk left, in ms (this process's event loop being busy). */
  late(ms: number): void;
}

/** A running proxy; `close()` ends it and every connection through it. */
export interface LatencyProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * Delivers chunks (and the end of the stream) to `to` in arrival order, each at its own due time. One timer
 * for the head of the queue, not one per chunk: timers of different lengths may fire out of order on a tie,
 * and TLS records must never be reordered.
 */
class DelayLine {
  private readonly queue: Array<{ at: number; chunk?: Buffer }> = [];
  private timer: NodeJS.Timeout | undefined;

  /** When the first chunk was written on (performance.now()), undefined before. */
  firstWriteAt: number | undefined;

  constructor(
    private readonly to: Socket,
    private readonly observer?: ProxyObserver
  ) {}

  push(at: number, chunk?: Buffer): void {
    this.queue.push({ at, chunk });
    if (this.queue.length === 1) this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.at - performance.now()));
  }

  private flush(): void {
    this.timer = undefined;
    // setTimeout may fire up to a millisecond early by our clock: allow that rather than re-arm for 0 ms.
    while (this.queue.length && this.queue[0].at <= performance.now() + 1) {
      const item = this.queue.shift() as { at: number; chunk?: Buffer };
      if (this.to.destroyed) continue;
      this.observer?.late(Math.max(0, performance.now() - item.at));
      this.firstWriteAt ??= performance.now();
      if (item.chunk) this.to.write(item.chunk);
      else this.to.end();
    }
    if (this.queue.length === 0) this.drained();
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.drained();
  }

  private waiting: Array<() => void> = [];

  /** Calls `fn` once everything queued so far has been delivered (at once when nothing is queued). */
  whenDrained(fn: () => void): void {
    this.waiting.push(fn);
    if (this.queue.length === 0) setImmediate(() => this.drained());
  }

  private drained(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const fn of waiting) fn();
  }
}

/**
 * Listens on 127.0.0.1 (ephemeral port) and forwards each connection to `127.0.0.1:upstreamPort` with
 * `delayMs` one way. With delay 0 it forwards at once (still one extra loopback hop).
 */
export async function startLatencyProxy(upstreamPort: number, delayMs: number, observer?: ProxyObserver): Promise<LatencyProxy> {
  const open = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const accepted = performance.now();
    // The kernel accepted the client at once; over a real path its first bytes could only leave after the
    // SYN / SYN-ACK round trip, so they reach the server no earlier than 3 one-way delays after accept.
    const connectedAt = accepted + 2 * delayMs;
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort, allowHalfOpen: true });
    open.add(client);
    open.add(upstream);
    const toServer = new DelayLine(upstream, observer);
    const toClient = new DelayLine(client, observer);
    let replied = false;
    client.on('data', (chunk: Buffer) => toServer.push(Math.max(performance.now(), connectedAt) + delayMs, chunk));
    client.on('end', () => toServer.push(Math.max(performance.now(), connectedAt) + delayMs));
    upstream.on('data', (chunk: Buffer) => {
      if (!replied && toServer.firstWriteAt !== undefined) observer?.serverReply(performance.now() - toServer.firstWriteAt);
      replied = true;
      toClient.push(performance.now() + delayMs, chunk);
    });
    upstream.on('end', () => toClient.push(performance.now() + delayMs));
    const teardown = (): void => {
      toServer.stop();
      toClient.stop();
      client.destroy();
      upstream.destroy();
    };
    // A reset on either side resets the other; a clean close is carried by the delayed 'end' above.
    client.on('error', teardown);
    upstream.on('error', teardown);
    // When one side is gone, the other is torn down only once what was already on its way has arrived:
    // a fixed timer here could fire before the delayed end of the stream and cut it off.
    client.on('close', () => {
      open.delete(client);
      toServer.whenDrained(() => {
        if (!upstream.writableEnded) teardown();
      });
    });
    upstream.on('close', () => {
      open.delete(upstream);
      toClient.whenDrained(() => {
        if (!client.writableEnded) teardown();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      })
  };
}
