// A batch of TLS handshakes run on one event loop: the one code path for every handshake, whether it runs
// in the action's own thread or inside a worker thread (src/workers/tls-handshake.ts only wraps this).
import { mapLimit } from '../../shared/src/index.js';
import { probeTls, type ProbeResult } from './probe.js';

/** One handshake to make: connect to `address:port`, verify the certificate as `host`. */
export interface HandshakeJob {
  host: string;
  address: string;
  port: number;
}

/**
 * Everything a batch needs, as plain data: it crosses to a worker thread by structured clone, so no
 * functions, sockets or contexts (each thread builds its own secure context from `ca`).
 */
export interface HandshakeBatch {
  jobs: HandshakeJob[];
  timeoutMs: number;
  /** Trust anchors (system roots + ca-file); undefined = node's roots. */
  ca?: string[];
  /** Handshakes of this batch in flight at once. */
  concurrency: number;
}

/**
 * Runs every handshake of the batch, at most `concurrency` at once, and resolves with one ProbeResult per
 * job in job order. Never rejects for a failed handshake: `probeTls` reports it in the result.
 */
export function runHandshakeBatch(batch: HandshakeBatch): Promise<ProbeResult[]> {
  return mapLimit(batch.jobs, batch.concurrency, (job) => probeTls(job.host, job.address, job.port, { timeoutMs: batch.timeoutMs, ca: batch.ca }));
}
