// Cold start of every action bundle beside bare `node -e 0`, in the same run: each bundle loads, parses
// its inputs, fails on a bad one (as scripts/smoke-bundles.mjs does) and exits. Also the sizes the
// targets name: the largest bundle file and all of dist/ (the shared libraries included).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './types.js';

const root = join(import.meta.dirname, '..');
const RUNS = 7;

/** Wall time and peak memory of one process, measured by GNU time when the machine has it. */
function runOnce(args: string[], env: NodeJS.ProcessEnv): { ms: number; peakKiB?: number } {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const started = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - started;
  const peak = timeBin ? Number(r.stderr.trim().split('\n').pop()) : undefined;
  return { ms, peakKiB: Number.isFinite(peak) ? peak : undefined };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

export default async function coldStart(): Promise<BenchResult[]> {
  const actions = readdirSync(root).filter((d) => d.startsWith('action-') && existsSync(join(root, d, 'dist', 'index.js'))).sort();
  const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: join(dir, 'out'), 'INPUT_FAIL-ON': 'sometimes', INPUT_ISSUE: 'off', RUNNER_TEMP: dir };
  const distFiles = [...actions.map((a) => join(root, a, 'dist')), join(root, 'shared', 'dist')].filter(existsSync).flatMap(filesUnder);
  const largest = distFiles.reduce((a, f) => (statSync(f).size > statSync(a).size ? f : a));
  const totalMiB = distFiles.reduce((n, f) => n + statSync(f).size, 0) / 2 ** 20;

  const results: BenchResult[] = [];
  for (const action of actions) {
    const bare: number[] = [];
    const ours: number[] = [];
    const peaks: number[] = [];
    const barePeaks: number[] = [];
    // Alternate the two so a busy moment of the machine weighs on both alike.
    for (let i = 0; i < RUNS; i++) {
      const b = runOnce(['-e', '0'], env);
      bare.push(b.ms);
      if (b.peakKiB) barePeaks.push(b.peakKiB);
      const o = runOnce([join(root, action, 'dist', 'index.js')], env);
      ours.push(o.ms);
      if (o.peakKiB) peaks.push(o.peakKiB);
    }
    const [oursMs, bareMs] = [median(ours), median(bare)];
    results.push({
      name: `cold start: ${action}`,
      ours: { label: `node ${action}/dist/index.js (load, parse inputs, exit; median of ${RUNS})`, ms: oursMs },
      baseline: { label: `node -e 0 (median of ${RUNS})`, ms: bareMs },
      ratio: bareMs / oursMs,
      notes: [
        `over bare node: ${(oursMs - bareMs).toFixed(0)} ms (target ≤ 150 ms)`,
        ...(peaks.length ? [`peak memory: ${(median(peaks) / 1024).toFixed(0)} MiB against ${(median(barePeaks) / 1024).toFixed(0)} MiB for bare node`] : []),
        `index.js ${(statSync(join(root, action, 'dist', 'index.js')).size / 2 ** 20).toFixed(2)} MB`
      ]
    });
  }
  results[results.length - 1].notes?.push(
    `largest bundle file: ${largest.slice(root.length + 1)} ${(statSync(largest).size / 2 ** 20).toFixed(2)} MB (target ≤ 3 MB); all dist/ with shared/dist/: ${totalMiB.toFixed(1)} MB (target ≤ 12 MB)`
  );
  return results;
}
