// Spreads one run's TLS handshakes over the machine's cores: this thread takes one share and each worker
// thread (src/workers/tls-handshake.ts, bundled to dist/workers/tls-handshake.js) another, each on its own
// event loop. Certificate verification and parsing cost ~2 ms of CPU per handshake, so on one event loop
// a hundred endpoints queue behind each other; the network waits overlap either way.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runHandshakeBatch, type HandshakeBatch } from './handshake-batch.js';
import type { ProbeResult } from './probe.js';

/**
 * How many handshakes a worker starts behind this thread. Measured on a 2-core machine with a ca-file: a
 * worker costs ~85 ms of CPU before it keeps pace (start-up ~25 ms, its own secure context from the ~150
 * trust anchors ~25 ms, its first handshakes on cold code ~35 ms), about 40 handshakes at ~2 ms each here.
 * This thread takes that many more than each worker, so that all finish at about the same time (with 100
 * endpoints at 80 ms RTT: 70/30 was fastest, an even split slower than this thread alone); and unless each
 * worker would get at least MIN_WORKER_SHARE handshakes, everything stays in this thread.
 */
export const WORKER_HEAD_START = 40;

/** The fewest handshakes worth giving a worker. */
export const MIN_WORKER_SHARE = 4;

/** Where handshakes may run. */
export interface HandshakeThreads {
  /** Cores to spread over: os.availableParallelism() unless a test says otherwise. */
  cores: number;
  /** The bundled worker script; undefined when there is none (running from source under tests or tsx). */
  workerUrl?: URL;
}

// In the bundle this module is inlined into dist/index.js, so this is dist/workers/tls-handshake.js. The
// webpackIgnore comment keeps ncc from taking the URL for an asset to bundle (it would emit the .ts source
// under a hashed name instead).
const BUNDLED_WORKER = new URL(/* webpackIgnore: true */ './workers/tls-handshake.js', import.meta.url);

/** From source this module is a .ts file, and no worker bundle lies beside it. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The machine's cores, and the worker bundle when running from dist/index.js. */
export function defaultHandshakeThreads(): HandshakeThreads {
  return { cores: availableParallelism(), workerUrl: FROM_SOURCE ? undefined : BUNDLED_WORKER };
}

/** Where a run's handshakes go, and why: logged at debug before they start. */
export type HandshakePlan =
  | { mode: 'in-thread'; reason: string }
  | {
      mode: 'workers';
      /** Handshakes per thread: this thread's share first, then one per worker. */
      shares: number[];
      workerUrl: URL;
      reason: string;
    };

/**
 * Decides, from the numbers alone, whether `jobs` handshakes all run in this thread or are shared with
 * worker threads (one per further core, no more threads than `concurrency`), and how many each takes.
 */
export function planHandshakes(jobs: number, concurrency: number, threads: HandshakeThreads): HandshakePlan {
  const all = `${jobs} handshake${jobs === 1 ? '' : 's'}`;
  const here = (why: string): HandshakePlan => ({ mode: 'in-thread', reason: `${all} in this thread: ${why}` });
  if (threads.cores < 2) return here(`${threads.cores} core, nothing to spread over`);
  if (concurrency < 2) return here('concurrency 1 allows one handshake at a time');
  const count = Math.min(threads.cores, concurrency);
  const perWorker = Math.floor((jobs - WORKER_HEAD_START) / count);
  if (perWorker < MIN_WORKER_SHARE) {
    return here(`too few for a worker thread to finish sooner (a worker starts about ${WORKER_HEAD_START} handshakes behind this thread)`);
  }
  if (!threads.workerUrl) return here('running from source, without the worker bundle (dist/workers/tls-handshake.js)');
  const shares = [jobs - perWorker * (count - 1), ...Array.from({ length: count - 1 }, () => perWorker)];
  const workers = count - 1;
  return {
    mode: 'workers',
    shares,
    workerUrl: threads.workerUrl,
    reason: `${all} over ${count} threads on ${threads.cores} cores: ${shares[0]} in this thread, ${perWorker} in each of ${workers} worker${workers === 1 ? '' : 's'}`
  };
}

/** One batch on a fresh worker thread; rejects when the worker cannot start or dies before answering. */
function runInWorker(workerUrl: URL, batch: HandshakeBatch): Promise<ProbeResult[]> {
  const where = workerUrl.protocol === 'file:' ? fileURLToPath(workerUrl) : workerUrl.href;
  const failed = (why: string): Error => new Error(`the TLS handshake worker ${where} ${why}; the action's dist/ is incomplete or damaged (rebuild it)`);
  return new Promise((resolve, reject) => {
    let answered = false;
    // execArgv []: the worker is a plain bundle, whatever loader flags started this process (tsx in the bench).
    const worker = new Worker(workerUrl, { workerData: batch, execArgv: [] });
    worker.once('message', (results: ProbeResult[]) => {
      answered = true;
      if (Array.isArray(results) && results.length === batch.jobs.length) resolve(results);
      else reject(failed(`answered with ${Array.isArray(results) ? results.length : 'no'} results for ${batch.jobs.length} handshakes`));
    });
    worker.once('error', (error) => reject(failed(`failed: ${error.message}`)));
    worker.once('exit', (code) => {
      if (!answered) reject(failed(`exited (code ${code}) before sending its results`));
    });
  });
}

/**
 * Runs the batch as planned and resolves with one result per job, in job order. The jobs are split into
 * contiguous shares, the concurrency likewise (each thread at least one); this thread runs the first share
 * itself while the workers run the others. A worker that fails rejects the whole run: the results would
 * be incomplete, and a broken bundle must not pass for unreachable endpoints.
 */
export async function runHandshakes(batch: HandshakeBatch, plan: HandshakePlan): Promise<ProbeResult[]> {
  if (plan.mode === 'in-thread') return runHandshakeBatch(batch);
  const total = batch.jobs.length;
  let from = 0;
  const parts = plan.shares.map((n): HandshakeBatch => {
    const jobs = batch.jobs.slice(from, (from += n));
    return { ...batch, jobs, concurrency: Math.max(1, Math.floor((batch.concurrency * n) / total)) };
  });
  const [own, ...others] = parts;
  const results = await Promise.all([runHandshakeBatch(own), ...others.map((p) => runInWorker(plan.workerUrl, p))]);
  return results.flat();
}
