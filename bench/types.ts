// The shape every benchmark returns: our figure beside the baseline a user would otherwise run.

export interface Timing {
  /** What was run, e.g. `a2a-ops health (100 endpoints, concurrent)` or `curl loop`. */
  label: string;
  ms: number;
}

export interface BenchResult {
  name: string;
  ours: Timing;
  baseline: Timing;
  /** baseline.ms / ours.ms: above 1 means we are faster. */
  ratio: number;
  /** Targets and other figures measured in the same run (`single handshake 12 ms; target ≤ 1.5×`). */
  notes?: string[];
}

/** A benchmark module's default export. */
export type Bench = () => Promise<BenchResult | BenchResult[]>;

/** Median of repeated timings of `fn`, in ms. */
export async function timeMedian(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
