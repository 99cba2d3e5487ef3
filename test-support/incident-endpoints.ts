// Endpoints for the incident tests, on 127.0.0.1: one that accepts connections and never answers (the
// runbook's hanging API), and one that answers with a chosen status. Closing either drops its sockets.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TestEndpoint {
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

function track(server: Server | HttpServer, path: string): Promise<TestEndpoint> {
  const sockets = new Set<Socket>();
  let count = 0;
  server.on('connection', (s: Socket) => {
    count += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${path}`,
        accepted: () => count,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          })
      });
    })
  );
}

/** Accepts TCP connections, reads what is sent, and never writes a byte back. */
export function startHangingEndpoint(): Promise<TestEndpoint> {
  const server = createServer((socket) => socket.on('data', () => undefined));
  return track(server, '/health');
}

/** Answers every request with `status` and a short body. */
export function startAnsweringEndpoint(status = 200): Promise<TestEndpoint> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status < 400 ? 'ok' : 'broken');
  });
  return track(server, '/health');
}
