// NATS greeting checks against in-process TCP servers, the freshness rule, and the history chart.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { checkNats, emptyState, parseNatsUrl, type RunState } from '../../shared/src/index.js';
import { evaluateFreshness } from '../src/freshness.js';
import { renderHistoryChart } from '../src/history-chart.js';
import { appendSamples, MAX_SAMPLES_PER_SERIES, SERIES, uptimePercent } from '../src/history.js';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** A TCP server that greets every client with `greeting` (or says nothing when undefined). */
async function greeter(greeting: string | undefined): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (greeting !== undefined) socket.write(greeting);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('checkNats', () => {
  it('passes a server that sends the NATS INFO greeting, naming its version', async () => {
    const port = await greeter('INFO {"server_id":"N1","version":"2.9.11","server_name":"bus","jetstream":true}\r\n');
    const c = await checkNats({ host: '127.0.0.1', port }, 1000);
    expect([c.status, c.message]).toEqual(['ok', 'answers: NATS 2.9.11 (bus), JetStream on']);
  });

  it.each([
    ['a server that speaks another protocol', 'SSH-2.0-OpenSSH_9.2\r\n', /^down: answered 'SSH-2.0-OpenSSH_9.2', which is not a NATS greeting$/],
    ['a server that never greets', undefined, /^down: no greeting within 300 ms$/],
    ['a broken INFO line', 'INFO {not json\r\n', /^down: sent an INFO line that is not valid JSON$/],
    ['a server that tries to inject a workflow command', '-ERR\u0007::add-mask::x\r\n', /^down: answered '-ERR ::add-mask::x', which is not a NATS greeting$/]
  ])('fails %s', async (_n, greeting, message) => {
    const port = await greeter(greeting);
    const c = await checkNats({ host: '127.0.0.1', port }, 300);
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(message);
  });

  it('fails a port nothing listens on, saying so', async () => {
    const port = await greeter(undefined);
    await new Promise((r) => servers.pop()?.close(r));
    const c = await checkNats({ host: '127.0.0.1', port }, 1000);
    expect(c.message).toBe('down: connection refused: NATS is not listening');
  });

  it.each([
    ['nats://127.0.0.1:4222', { host: '127.0.0.1', port: 4222 }],
    ['nats://user:pw@bus.internal', { host: 'bus.internal', port: 4222 }],
    ['127.0.0.1:14222', { host: '127.0.0.1', port: 14222 }],
    ['http://bus:8222', undefined]
  ])('parses %s', (raw, want) => {
    expect(parseNatsUrl(raw)).toEqual(want);
  });
});

describe('evaluateFreshness', () => {
  const now = new Date('2026-11-28T07:00:00Z');
  const hour = 3_600_000;
  it.each([
    ['no earlier scheduled run', undefined, 'ok', /no earlier scheduled run recorded/],
    ['a run one interval ago', '2026-11-28T06:00:00Z', 'ok', /previous scheduled run 60 min ago/],
    ['a run 1.75 intervals ago (late)', '2026-11-28T05:15:00Z', 'warn', /running late/],
    ['a run 5 intervals ago (missed)', '2026-11-28T02:00:00Z', 'fail', /about 4 scheduled runs missing/]
  ])('%s', (_n, last, status, message) => {
    const c = evaluateFreshness(last, now, hour);
    expect(c.status).toBe(status);
    expect(c.message).toMatch(message);
  });
});

describe('history and chart', () => {
  const base = Date.parse('2026-11-28T06:00:00Z');
  const fill = (state: RunState, id: string, values: number[], ups: number[]): void => {
    appendSamples(state, SERIES.latency(id), values.map((v, i) => ({ t: new Date(base + i * 300_000).toISOString(), v })), new Date(base));
    appendSamples(state, SERIES.up(id), ups.map((v, i) => ({ t: new Date(base + i * 300_000).toISOString(), v })), new Date(base));
  };

  it('draws one Mermaid line chart per endpoint with its response times and an uptime table', () => {
    const state = emptyState();
    fill(state, 'http:a', [120, 180, 95], [1, 1, 0, 1]);
    const md = renderHistoryChart(state, [{ id: 'http:a', label: 'api' }], new Date(base + 3_600_000));
    expect(md).toContain('```mermaid\nxychart-beta\n  title "api — response time (ms)"\n  x-axis ["06:00", "06:05", "06:10"]\n  y-axis "ms" 0 --> 198\n  line [120, 180, 95]\n```');
    expect(md).toContain('| api | 75 % | 75 % | 75 % | 4 |');
  });

  it('draws nothing before there are two samples', () => {
    const state = emptyState();
    fill(state, 'http:a', [120], []);
    expect(renderHistoryChart(state, [{ id: 'http:a', label: 'api' }])).toBe('');
  });

  it('keeps each series bounded and in time order', () => {
    const state = emptyState();
    const now = new Date();
    const samples = Array.from({ length: MAX_SAMPLES_PER_SERIES + 50 }, (_, i) => ({ t: new Date(now.getTime() - i * 1000).toISOString(), v: i }));
    appendSamples(state, 'k', samples, now);
    expect(state.history.k).toHaveLength(MAX_SAMPLES_PER_SERIES);
    expect(Date.parse(state.history.k[0].t)).toBeLessThan(Date.parse(state.history.k[1].t));
    expect(state.history.k[state.history.k.length - 1].v).toBe(0);
  });

  it('computes uptime over a period from up/down samples only in that period', () => {
    const now = new Date(base);
    const s = [
      { t: new Date(base - 2 * 86_400_000).toISOString(), v: 0 },
      { t: new Date(base - 3600_000).toISOString(), v: 1 },
      { t: new Date(base - 60_000).toISOString(), v: 1 }
    ];
    expect(uptimePercent(s, 86_400_000, now)).toBe(100);
    expect(uptimePercent(s, 7 * 86_400_000, now)).toBe(66.67);
    expect(uptimePercent([], 86_400_000, now)).toBeUndefined();
  });
});
