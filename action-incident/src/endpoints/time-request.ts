// One timed request, the way `curl -w "@curl-format.txt" -o /dev/null -s URL` times it: a fresh
// connection (no keep-alive pool, so every phase is measured), socket events for DNS, connect and TLS,
// the response for the first byte, the body read and dropped for the total. Bounded by a timeout.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { describeNetworkError } from '../../../shared/src/index.js';
import { computePhases, type PhaseMarks, type Timings } from './phases.js';

/** What one timed request saw. */
export interface TimedResponse {
  statusCode?: number;
  timings: Timings;
  /** Why no complete answer came (timeout, refused, reset, TLS). */
  problem?: string;
  timedOut: boolean;
}

const USER_AGENT = 'a2a-ops-incident (+https://github.com/features/actions)';
/** The body is read and dropped up to this size; past it the total is taken where reading stopped. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Times one request; never throws and never outlives `timeoutMs` (or `signal`). */
export function timeRequest(url: URL, method: string, timeoutMs: number, signal?: AbortSignal): Promise<TimedResponse> {
  return new Promise((resolve) => {
    const https = url.protocol === 'https:';
    const start = performance.now();
    const at = (): number => Math.round((performance.now() - start) * 10) / 10;
    // An IP literal needs no lookup: DNS is 0, as curl's time_namelookup shows it.
    const marks: PhaseMarks = isIP(url.hostname.replace(/^\[|\]$/g, '')) ? { lookup: 0 } : {};
    let statusCode: number | undefined;
    let settled = false;
    const finish = (problem?: string, timedOut = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve({ statusCode, timings: computePhases(marks, https), ...(problem ? { problem } : {}), timedOut });
    };
    const req = (https ? httpsRequest : httpRequest)(url, { method, agent: false, headers: { 'user-agent': USER_AGENT, connection: 'close' } }, (res) => {
      marks.firstByte = at();
      statusCode = res.statusCode;
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          marks.end = at();
          finish();
        }
      });
      res.on('end', () => {
        marks.end = at();
        finish();
      });
      res.on('error', (err) => finish(describeNetworkError(err, timeoutMs)));
    });
    req.on('socket', (socket: Socket) => {
      socket.once('lookup', () => (marks.lookup ??= at()));
      socket.once('connect', () => (marks.connect ??= at()));
      socket.once('secureConnect', () => (marks.secure ??= at()));
    });
    req.on('error', (err) => finish(describeNetworkError(err, timeoutMs)));
    const timer = setTimeout(() => finish(`no complete answer within ${timeoutMs} ms`, true), timeoutMs);
    const onAbort = (): void => finish('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}
