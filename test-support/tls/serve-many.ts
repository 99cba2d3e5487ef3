// Serves N TLS endpoints (one certificate, one port each) on 127.0.0.1 in its own process, for benchmarks:
// prints {"ports":[...],"caPem":"..."} on one line, then serves until killed or stdin closes.
import { createTlsScenarios } from './factory.js';
import { startTlsServer } from './servers.js';

const count = Math.min(Math.max(Number(process.argv[2] ?? 100), 1), 1000);
const scenarios = await createTlsScenarios();
const servers = await Promise.all(Array.from({ length: count }, () => startTlsServer(scenarios.valid)));
process.stdout.write(`${JSON.stringify({ ports: servers.map((s) => s.port), caPem: scenarios.root.certPem })}\n`);
// The parent closing our stdin (or dying) ends us: no orphan server is left behind.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
