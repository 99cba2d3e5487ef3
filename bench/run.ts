// Runs every bench/*.bench.ts (or those named), prints ours vs the baseline with the ratio, and writes
// bench/results/latest.json. Benchmarks measure; they do not pass or fail on timing.
//   npm run bench [-- ssl health]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, BenchResult } from './types.js';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')))
  .sort();
if (files.length === 0) {
  console.error(`bench: nothing matches ${wanted.join(', ') || '*.bench.ts'}`);
  process.exit(2);
}

const results: BenchResult[] = [];
let failures = 0;
for (const file of files) {
  process.stdout.write(`running ${file} ...\n`);
  try {
    const mod = (await import(join(dir, file))) as { default: Bench };
    const out = await mod.default();
    results.push(...(Array.isArray(out) ? out : [out]));
  } catch (e) {
    failures++;
    console.error(`  ${file} failed: ${(e as Error).message}`);
  }
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log('');
for (const r of results) {
  console.log(`${r.name}`);
  console.log(`  ours      ${fmt(r.ours.ms).padStart(9)}  ${r.ours.label}`);
  console.log(`  baseline  ${fmt(r.baseline.ms).padStart(9)}  ${r.baseline.label}`);
  console.log(`  ratio     ${r.ratio.toFixed(1)}× ${r.ratio >= 1 ? 'faster' : 'slower'} than the baseline`);
  for (const n of r.notes ?? []) console.log(`  note      ${n}`);
}
// Results of benchmarks not run this time are kept, so `npm run bench -- ssl` does not erase the others.
const latest = join(dir, 'results', 'latest.json');
const previous: Array<BenchResult & { at?: string }> = existsSync(latest) ? JSON.parse(readFileSync(latest, 'utf8')).results ?? [] : [];
const at = new Date().toISOString();
const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results.map((r) => ({ ...r, at }))];
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(latest, JSON.stringify({ at, results: merged }, null, 2));
console.log(`\nwritten: bench/results/latest.json`);
process.exit(failures ? 1 : 0);
