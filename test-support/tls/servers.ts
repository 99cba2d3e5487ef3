// In-process TLS servers on loopback for hermetic tests and benchmarks: one serving a chosen certificate,
// and one that accepts TCP but never answers (the "hanging port" a probe must time out on).
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import type { ServedCert } from './factory.js';

/** A running loopback server; `close()` ends it and every open connection. */
export interface RunningServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: Server, host: string, port: number): Promise<RunningServer> {
  const sockets = track(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}

/** Serves `served` over TLS on `host` (default 127.0.0.1) and an ephemeral port unless one is given. */
export function startTlsServer(served: ServedCert, opts: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const server = createTlsServer({ key: served.keyPem, cert: served.chainPem }, (socket) => {
    socket.on('error', () => undefined);
    socket.end();
  });
  server.on('tlsClientError', () => undefined);
  return listen(server, opts.host ?? '127.0.0.1', opts.port ?? 0);
}

/** Serves a different certificate per SNI name; `fallback` for clients that send none or an unknown one. */
export function startSniTlsServer(byName: Record<string, ServedCert>, fallback: ServedCert, opts: { host?: string } = {}): Promise<RunningServer> {
  const server = createTlsServer(
    {
      key: fallback.keyPem,
      cert: fallback.chainPem,
      SNICallback: (name, cb) => {
        const served = byName[name];
        cb(null, served ? createSecureContext({ key: served.keyPem, cert: served.chainPem }) : undefined);
      }
    },
    (socket) => {
      socket.on('error', () => undefined);
      socket.end();
    }
  );
  server.on('tlsClientError', () => undefined);
  return listen(server, opts.host ?? '127.0.0.1', 0);
}

/** Accepts TCP connections and never sends a byte: a TLS client waiting for ServerHello hangs. */
export function startHangingServer(opts: { host?: string } = {}): Promise<RunningServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => undefined);
  });
  return listen(server, opts.host ?? '127.0.0.1', 0);
}
