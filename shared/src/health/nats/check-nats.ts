// Checks that NATS answers: the TCP INFO greeting every NATS server sends on connect, or its monitoring /healthz.
import { connect } from 'node:net';
import type { Check } from '../../report/model.js';
import { oneLine } from '../one-line.js';

/** A NATS server to greet: host and client port. */
export interface NatsTarget {
  host: string;
  port: number;
}

/** The first line of a NATS connection must be `INFO {...}`; anything else is not a NATS server. */
const GREETING_MAX_BYTES = 16 * 1024;

/**
 * Opens a TCP connection, reads the `INFO {json}` greeting and closes. Bounded by `timeoutMs`.
 * Never throws: a refused port, a silent one, or a non-NATS answer each become a failed check.
 */
export async function checkNats(target: NatsTarget, timeoutMs: number): Promise<Check> {
  const start = performance.now();
  const base = { id: `nats:${target.host}:${target.port}`, kind: 'nats', target: `nats://${target.host}:${target.port}`, threshold: `INFO greeting within ${timeoutMs} ms` };
  const outcome = await new Promise<{ ok: boolean; text: string }>((resolve) => {
    let buf = '';
    const socket = connect({ host: target.host, port: target.port });
    const done = (ok: boolean, text: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, text });
    };
    const timer = setTimeout(() => done(false, `no greeting within ${timeoutMs} ms`), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0 && buf.length < GREETING_MAX_BYTES) return;
      const line = (nl < 0 ? buf : buf.slice(0, nl)).trim();
      if (!line.startsWith('INFO ')) return done(false, `answered '${oneLine(line, 40)}', which is not a NATS greeting`);
      try {
        const info = JSON.parse(line.slice(5)) as { version?: string; server_name?: string; server_id?: string; jetstream?: boolean };
        done(true, `NATS ${oneLine(String(info.version ?? '?'), 40)} (${oneLine(String(info.server_name ?? info.server_id ?? 'unnamed'), 80)})${info.jetstream ? ', JetStream on' : ''}`);
      } catch {
        done(false, 'sent an INFO line that is not valid JSON');
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done(false, err.code === 'ECONNREFUSED' ? 'connection refused: NATS is not listening' : `connection failed: ${err.code ?? err.message}`));
    socket.on('close', () => done(false, 'connection closed before a greeting'));
  });
  const ms = Math.round(performance.now() - start);
  return outcome.ok
    ? { ...base, status: 'ok', value: ms, unit: 'ms', message: `answers: ${outcome.text}` }
    : { ...base, status: 'fail', value: 'no answer', message: `down: ${outcome.text}` };
}

/** Checks the NATS monitoring endpoint (`http://host:8222/healthz`), which answers `{"status":"ok"}` when healthy. */
export async function checkNatsMonitor(url: string, timeoutMs: number): Promise<Check> {
  const start = performance.now();
  const base = { id: `nats-monitor:${url}`, kind: 'nats', target: url, threshold: `200 {"status":"ok"} within ${timeoutMs} ms` };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = (await res.text()).slice(0, 2000);
    const ms = Math.round(performance.now() - start);
    if (res.status === 200 && /"status"\s*:\s*"ok"/.test(body)) return { ...base, status: 'ok', value: ms, unit: 'ms', message: 'healthz ok' };
    return { ...base, status: 'fail', value: res.status, message: `healthz answered ${res.status}: ${oneLine(body)}` };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.cause?.code === 'ECONNREFUSED' ? 'connection refused' : String((err as Error).message);
    return { ...base, status: 'fail', value: 'no answer', message: `healthz down: ${why}` };
  }
}

/** Parses `nats://host:4222` (or `host:4222`) into a target; credentials in the URL are ignored, never echoed. */
export function parseNatsUrl(raw: string): NatsTarget | undefined {
  try {
    const url = new URL(raw.includes('://') ? raw : `nats://${raw}`);
    if (url.protocol !== 'nats:' && url.protocol !== 'tls:') return undefined;
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 4222 };
  } catch {
    return undefined;
  }
}
