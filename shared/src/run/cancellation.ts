// Cancellation as the runner does it: SIGINT, then SIGTERM about 7.5 s later, then SIGKILL. The first
// signal aborts the run's AbortSignal; the funnel then has that window to clean up and report.
/** The signals a runner (or a person at a terminal) cancels a step with. */
export const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type CancelSignal = (typeof CANCEL_SIGNALS)[number];

/**
 * How long the funnel allows itself after the first signal: the runner sends SIGTERM 7.5 s after
 * SIGINT and kills 2.5 s after that. Cleanups get most of the first window; the report the rest.
 */
export const CANCEL_GRACE = { settleMs: 1500, cleanupMs: 5000 } as const;

export interface Cancellation {
  /** Aborted at the first cancel signal; pass it to everything that can stop early. */
  signal: AbortSignal;
  /** The first signal received, once one was. */
  readonly received: CancelSignal | undefined;
  /** Resolves with the first signal. */
  whenCancelled: Promise<CancelSignal>;
  /** Removes the handlers (at the end of the run). */
  dispose(): void;
}

/** Installs SIGINT/SIGTERM handlers for one run. Later signals are absorbed while cleanups run. */
export function watchCancellation(target: NodeJS.Process = process): Cancellation {
  const controller = new AbortController();
  let received: CancelSignal | undefined;
  let resolve!: (s: CancelSignal) => void;
  const whenCancelled = new Promise<CancelSignal>((r) => (resolve = r));
  const handlers = CANCEL_SIGNALS.map((sig) => {
    const handler = (): void => {
      if (received) return;
      received = sig;
      controller.abort(new Error(`cancelled by ${sig}`));
      resolve(sig);
    };
    target.on(sig, handler);
    return [sig, handler] as const;
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    whenCancelled,
    dispose: () => {
      for (const [sig, handler] of handlers) target.off(sig, handler);
    }
  };
}
