// An HTTP server with endpoints that behave like a production site on a good and a bad day: healthy,
// slow, 5xx, hanging, flaky, redirect chains, redirect loops and off-host redirects. Used in-process by
// hermetic tests and benches, and as the lab's `http` part (lab/servers/http-endpoints.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A running endpoint server. */
export interface HttpEndpoints {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** Requests seen per path (without the query), for tests that count retries. */
  hits(path: string): number;
  /** Stops listening and drops every open connection, including hanging ones. */
  close(): Promise<void>;
}

/**
 * The routes, for documentation and for the lab part's JSON. Every route also takes `?ms=N` to delay
 * the answer by N milliseconds (capped at 60 s).
 */
export const HTTP_ENDPOINT_ROUTES = {
  healthy: '/healthy',
  slow: '/slow',
  error: '/status/500',
  status: '/status/{code}',
  hanging: '/hang',
  flaky: '/flaky/{key}?fail=N',
  redirectChain: '/redirect/{n}',
  redirectLoop: '/loop/a',
  offHost: '/off-host',
  echoHeaders: '/echo-headers'
} as const;

/** Address an off-host redirect points at: `.invalid` never resolves, so nothing is ever sent there. */
export const OFF_HOST_TARGET = 'http://elsewhere.invalid/landing';

const MAX_DELAY_MS = 60_000;

/**
 * Starts the endpoint server on 127.0.0.1 (port 0 = any free port).
 * `slowMs` is how long `/slow` takes when no `?ms=` is given (default 800 ms: above the 500 ms target).
 */
export async function startHttpEndpoints(opts: { port?: number; host?: string; slowMs?: number } = {}): Promise<HttpEndpoints> {
  const host = opts.host ?? '127.0.0.1';
  const slowMs = opts.slowMs ?? 800;
  const hits = new Map<string, number>();
  const flakyFailures = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const ms = Math.min(Number(url.searchParams.get('ms') ?? 0) || 0, MAX_DELAY_MS);
    const delay = url.pathname === '/slow' && !url.searchParams.has('ms') ? slowMs : ms;
    if (url.pathname === '/hang') return; // accept, read, never answer: the client's timeout must fire
    const timer = setTimeout(() => {
      timers.delete(timer);
      route(req, res, url, flakyFailures);
    }, delay);
    timers.add(timer);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Benches open 100+ connections at once; the default backlog copes, keep-alive keeps reuse cheap.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      })
  };
}

function route(req: IncomingMessage, res: ServerResponse, url: URL, flakyFailures: Map<string, number>): void {
  const path = url.pathname;
  const send = (code: number, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
  if (path === '/healthy' || path === '/slow' || path === '/') {
    return send(200, JSON.stringify({ status: 'ok', path }), { 'x-service': 'a2a-api' });
  }
  let m = /^\/status\/(\d{3})$/.exec(path);
  if (m) return send(Number(m[1]), JSON.stringify({ status: 'error', code: Number(m[1]) }));
  m = /^\/flaky\/([\w-]+)$/.exec(path);
  if (m) {
    // Fails the first `fail` requests for this key with 503, then answers 200: a blip that retries absorb.
    const key = m[1];
    const failFirst = Number(url.searchParams.get('fail') ?? 1);
    const seen = (flakyFailures.get(key) ?? 0) + 1;
    flakyFailures.set(key, seen);
    return seen <= failFirst ? send(503, JSON.stringify({ status: 'starting' })) : send(200, JSON.stringify({ status: 'ok' }));
  }
  m = /^\/redirect\/(\d+)$/.exec(path);
  if (m) {
    const n = Number(m[1]);
    return send(302, '', { location: n <= 1 ? '/healthy' : `/redirect/${n - 1}` });
  }
  if (path === '/loop/a') return send(302, '', { location: '/loop/b' });
  if (path === '/loop/b') return send(302, '', { location: '/loop/a' });
  if (path === '/off-host') return send(301, '', { location: OFF_HOST_TARGET });
  if (path === '/echo-headers') return send(200, JSON.stringify({ headers: req.headers }));
  return send(404, JSON.stringify({ status: 'not found', path }));
}
