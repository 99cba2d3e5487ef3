// A local port forward over an existing SSH session (what `ssh -L` does): a TCP server on 127.0.0.1
// whose every accepted connection is piped to its own direct-tcpip channel to a remote host:port.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SshSession } from './session.js';

/** An open tunnel: connect to `host:port` to reach the remote end. */
export interface SshTunnel {
  host: '127.0.0.1';
  port: number;
  /**
   * Why the most recent channel could not be opened (refused, timed out, connection lost), if one
   * failed. A TCP client only sees its socket closed, so callers read the reason here.
   */
  readonly lastError: Error | undefined;
  /** Stops listening and destroys every piped socket/channel pair. Safe to call twice. */
  close(): Promise<void>;
}

interface Pair {
  socket: Socket;
  channel?: Duplex;
}

/**
 * Opens a tunnel to `remoteHost:remotePort` as the session's host sees that address. Nothing is
 * opened on the remote side until a client connects; each client gets its own channel on the
 * session's one connection (no new SSH connection). A channel that fails (the remote port refuses,
 * the channel breaks) destroys only its own client socket, so the client sees a connection error
 * at once instead of a hang; the tunnel keeps serving other clients.
 */
export async function openTunnel(session: Pick<SshSession, 'forwardOut'>, remoteHost: string, remotePort: number): Promise<SshTunnel> {
  const pairs = new Set<Pair>();
  let closed = false;
  let lastError: Error | undefined;

  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (closed) {
      socket.destroy();
      return;
    }
    const pair: Pair = { socket };
    pairs.add(pair);
    socket.on('close', () => {
      pair.channel?.destroy();
      pairs.delete(pair);
    });
    // Hold what the client sends first (a Postgres startup packet) until the channel can take it.
    socket.pause();
    session.forwardOut(remoteHost, remotePort).then(
      (channel) => {
        if (closed || socket.destroyed) {
          channel.destroy();
          return;
        }
        pair.channel = channel;
        channel.on('error', (err: Error) => {
          lastError = err;
          socket.destroy();
        });
        // The remote end finished: let what is buffered reach the client, then close its socket.
        channel.on('close', () => socket.end());
        socket.pipe(channel);
        channel.pipe(socket);
        socket.resume();
      },
      (err: Error) => {
        lastError = err;
        // A reset, not a clean FIN: the client reports a connection error rather than waiting for data.
        socket.resetAndDestroy();
      }
    );
  });
  // A failing accept (EMFILE) must not crash the process; the clients it concerns simply fail.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    get lastError() {
      return lastError;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        server.close(() => resolve());
        for (const p of pairs) {
          p.channel?.destroy();
          p.socket.destroy();
        }
        pairs.clear();
      });
      return closing;
    }
  };
}
