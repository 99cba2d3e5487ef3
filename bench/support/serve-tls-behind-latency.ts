// The far side of the TLS benchmark, run as its own process so the servers' CPU does not share the checker's
// event loop: N TLS endpoints on 127.0.0.1, each also reachable through a latency proxy. Prints one JSON line
//   {"direct":[ports],"proxied":[ports],"delayMs":40,"caPem":"..."}
// then serves until stdin closes (the parent ending or dying ends us: no orphan is left). A line `stats` on
// stdin is answered with one JSON line of EndpointStats (CPU so far, and what the proxies saw since the last
// `stats`), so the bench can tell this process's own slowness from the checker's.
//   node --import tsx bench/support/serve-tls-behind-latency.ts <count> <delayMs>
import { createInterface } from 'node:readline';
import { createTlsScenarios } from '../../test-support/tls/factory.js';
import { startTlsServer } from '../../test-support/tls/servers.js';
import { startLatencyProxy, type ProxyObserver } from './latency-proxy.js';

/** The answer to `stats`. */
export interface EndpointStats {
  /** CPU time of this process so far (user + system). */
  cpuMs: number;
  /** Since the last `stats`: connections seen, and the servers' reply time (first bytes in → first out). */
  replies: number;
  replyMedianMs: number;
  replyMaxMs: number;
  /** Since the last `stats`: the latest a delayed chunk left (this event loop busy with handshakes). */
  lateMaxMs: number;
}

const count = Math.min(Math.max(Number(process.argv[2] ?? 100) || 100, 1), 500);
const delayMs = Math.min(Math.max(Number(process.argv[3] ?? 40) || 0, 0), 1000);

const scenarios = await createTlsScenarios();
const servers = await Promise.all(Array.from({ length: count }, () => startTlsServer(scenarios.valid)));
let replies: number[] = [];
let lateMax = 0;
const observer: ProxyObserver = {
  serverReply: (ms) => replies.push(ms),
  late: (ms) => {
    lateMax = Math.max(lateMax, ms);
  }
};
const proxies = await Promise.all(servers.map((s) => startLatencyProxy(s.port, delayMs, observer)));
process.stdout.write(
  `${JSON.stringify({ direct: servers.map((s) => s.port), proxied: proxies.map((p) => p.port), delayMs, caPem: scenarios.root.certPem })}\n`
);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const sorted = [...replies].sort((a, b) => a - b);
  const stats: EndpointStats = {
    cpuMs: cpuMs(),
    replies: sorted.length,
    replyMedianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    replyMaxMs: sorted[sorted.length - 1] ?? 0,
    lateMaxMs: lateMax
  };
  replies = [];
  lateMax = 0;
  process.stdout.write(`${JSON.stringify(stats)}\n`);
});
input.on('close', () => process.exit(0));
