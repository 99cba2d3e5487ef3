// Worker thread entry (bundled to dist/workers/tls-handshake.js): runs one batch of TLS handshakes on this
// thread's own event loop and posts the plain results back. All the logic is in ../handshake-batch.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { runHandshakeBatch, type HandshakeBatch } from '../handshake-batch.js';

if (!parentPort) throw new Error('tls-handshake.js is a worker thread script: start it with new Worker(), not node.');
parentPort.postMessage(await runHandshakeBatch(workerData as HandshakeBatch));
