// An in-process HTTP server for API stand-ins: routes by the OpenAPI description, checks every request
// and every response against it, and records each mismatch as a violation a test can assert on.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MatchedOperation, OpenApiValidator } from './openapi-validator.js';

/** A request that matched a documented operation, with its JSON body parsed. */
export interface StandinRequest {
  method: string;
  url: URL;
  operation: MatchedOperation;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** `http://127.0.0.1:<port>`, for links the stand-in writes into its answers. */
  origin: string;
}

/** What a handler answers. `generic` marks answers the API gives everywhere but documents rarely (401, 429). */
export interface StandinResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  generic?: boolean;
}

export type StandinHandler = (req: StandinRequest) => StandinResponse | Promise<StandinResponse>;

/** A request or response that does not match the API description (or that the stand-in cannot serve). */
export interface Violation {
  method: string;
  path: string;
  kind: 'unknown-route' | 'bad-json' | 'request' | 'response' | 'unimplemented' | 'standin-error';
  problems: string[];
}

/** One request as the stand-in saw it, for tests that count calls by effect (e.g. retries). */
export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
}

export interface ValidatedServerOptions {
  validator: OpenApiValidator;
  handlers: Partial<Record<string, StandinHandler>>;
  /** Runs after routing and before validation, as the real APIs check credentials first. */
  gate?: (req: StandinRequest) => StandinResponse | undefined;
  /** The API's error body for a status and message (GitHub and DigitalOcean differ). */
  errorBody: (status: number, message: string) => unknown;
  /** Routes outside the API (test back doors such as `GET /_standin/state`), keyed `METHOD /path`. */
  extraRoutes?: Record<string, (url: URL) => StandinResponse>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

export interface ValidatedServer {
  url: string;
  violations: Violation[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 on a free port. */
export async function startValidatedServer(opts: ValidatedServerOptions): Promise<ValidatedServer> {
  const violations: Violation[] = [];
  const requests: RecordedRequest[] = [];
  const maxBody = opts.maxBodyBytes ?? 10 * 1024 * 1024;
  let origin = '';

  const send = (res: ServerResponse, record: RecordedRequest, answer: StandinResponse): void => {
    record.status = answer.status;
    requests.push(record);
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': String(Buffer.byteLength(text)),
      ...answer.headers
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = { method, path: url.pathname, status: 0 };
    const violate = (kind: Violation['kind'], problems: string[]): void => {
      violations.push({ method, path: url.pathname, kind, problems });
    };

    const raw = await readBody(req, maxBody);
    const extra = opts.extraRoutes?.[`${method} ${url.pathname}`];
    if (extra) return send(res, record, extra(url));
    if (raw === undefined) {
      violate('request', [`request body larger than ${maxBody} bytes`]);
      return send(res, record, { status: 413, body: opts.errorBody(413, 'Payload Too Large') });
    }

    const match = opts.validator.matchOperation(method, url.pathname);
    if ('reason' in match) {
      violate('unknown-route', [
        match.reason === 'no-path' ? `no documented path matches ${url.pathname}` : `${method} is not documented here (allowed: ${match.allowed.join(', ')})`
      ]);
      return send(res, record, { status: 404, body: opts.errorBody(404, 'Not Found') });
    }
    record.operationId = match.operationId;

    let body: unknown;
    const hasBody = raw.length > 0;
    if (hasBody) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violate('bad-json', ['request body is not valid JSON']);
        return send(res, record, { status: 400, body: opts.errorBody(400, 'Problems parsing JSON'), generic: true });
      }
    }
    const request: StandinRequest = {
      method,
      url,
      operation: match,
      params: match.pathParams,
      query: url.searchParams,
      body,
      headers: req.headers,
      origin
    };

    const respond = (answer: StandinResponse): void => {
      const problems = opts.validator.validateResponse(match, answer.status, answer.body, { allowUndocumented: answer.generic });
      if (problems.length) violate('response', problems);
      send(res, record, answer);
    };

    const gated = opts.gate?.(request);
    if (gated) return respond({ generic: true, ...gated });

    const problems = opts.validator.validateRequest(match, { query: url.searchParams, body, hasBody });
    if (problems.length) {
      violate('request', problems);
      return respond({ status: 422, body: opts.errorBody(422, `Validation Failed: ${problems.join('; ')}`), generic: true });
    }

    const handler = opts.handlers[match.operationId];
    if (!handler) {
      violate('unimplemented', [`the stand-in does not implement ${match.operationId} (${method} ${match.template})`]);
      return send(res, record, { status: 501, body: opts.errorBody(501, 'Not Implemented by the stand-in') });
    }
    try {
      respond(await handler(request));
    } catch (error) {
      violate('standin-error', [String(error instanceof Error ? error.stack : error)]);
      send(res, record, { status: 500, body: opts.errorBody(500, 'stand-in error') });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({ method: req.method ?? '?', path: req.url ?? '?', kind: 'standin-error', problems: [String(error)] });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    violations,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

/** Reads the whole body; `undefined` when it is larger than `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) tooBig = true;
    else chunks.push(chunk as Buffer);
  }
  return tooBig ? undefined : Buffer.concat(chunks);
}

/**
 * One page of a list the way both APIs page: `per_page` (clamped to `maxPerPage`, default `defaultPerPage`)
 * and `page`, plus the URL of any page with the request's other query parameters kept.
 */
export function pageOf<T>(req: StandinRequest, items: T[], defaultPerPage: number, maxPerPage: number): { items: T[]; page: number; last: number; urlOf(page: number): string } {
  const perPage = Math.min(maxPerPage, Math.max(1, Number(req.query.get('per_page') ?? defaultPerPage)));
  const page = Math.max(1, Number(req.query.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const urlOf = (p: number): string => {
    const u = new URL(req.url.pathname, req.origin);
    for (const [k, v] of req.query) if (k !== 'page') u.searchParams.append(k, v);
    u.searchParams.set('page', String(p));
    return u.toString();
  };
  return { items: items.slice((page - 1) * perPage, page * perPage), page, last, urlOf };
}
