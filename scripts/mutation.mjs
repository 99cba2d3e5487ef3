// `npm run test:mutation`: Stryker over each decision module in stryker.config.mjs, one run per module
// (its own tests, its own committed results file, its own threshold), then one table of the scores.
// Fails when any module scores below the break threshold or a run fails. Needs Node >= 22 (Stryker 10).
// Arguments are path fragments choosing modules (npm run test:mutation -- secrets.ts quote.ts).
// A module whose source, test files and mutate spec are byte-identical to its committed results file is
// not run again: its stored results are what Stryker's incremental mode would reuse, without the minute
// of sandbox, checker and dry run it costs to find that out. MUTATION_FORCE=1 runs every module anyway.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import config, { MODULES, PENDING, patternsOf, slugOf } from '../stryker.config.mjs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Stryker 10 needs Node >= 22; this is ${process.version}. Run with a newer node on PATH (CI uses the node@24 it installs for the bundle smoke test).`);
  process.exit(2);
}

const wanted = process.argv.slice(2);
// Without arguments the gated MODULES; named modules may also come from PENDING (not yet scored).
const all = [...MODULES, ...PENDING].map(([file]) => file);
// In the order asked for (the config's order without arguments), each module once.
const modules = wanted.length === 0 ? MODULES.map(([file]) => file) : [...new Set(wanted.flatMap((part) => all.filter((file) => file.includes(part))))];
if (modules.length === 0) {
  console.error(`No module in stryker.config.mjs matches ${wanted.join(', ')}`);
  process.exit(2);
}

const breakAt = config.thresholds.break;
const rows = [];
for (const file of modules) {
  const started = Date.now();
  const stored = process.env.MUTATION_FORCE ? undefined : unchangedResults(file);
  if (stored) {
    console.log(`\n=== ${file}: unchanged since its results file, not run again`);
    rows.push({ file, seconds: 0, exit: 0, reused: true, ...score(stored) });
    continue;
  }
  console.log(`\n=== mutation testing ${file}`);
  const run = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_ONLY: file }
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  rows.push({ file, seconds, exit: run.status ?? run.signal, ...score(readResults(file)) });
}

console.log('\nMutation score per module (killed + timed out) / (all - compile errors - ignored):');
console.log(['module', 'score %', 'killed', 'survived', 'no coverage', 'seconds', 'result'].join(' | '));
let failed = 0;
for (const row of rows) {
  const ok = row.exit === 0 && row.score !== undefined && row.score >= breakAt;
  if (!ok) failed++;
  const verdict = ok ? (row.reused ? 'ok (unchanged)' : 'ok') : `FAILED (below ${breakAt} % or the run failed)`;
  console.log([row.file, row.score?.toFixed(2) ?? '-', row.killed ?? '-', row.survived ?? '-', row.noCoverage ?? '-', row.seconds, verdict].join(' | '));
}
if (failed) {
  console.error(`\n${failed} of ${rows.length} modules below the ${breakAt} % threshold or failed to run; the survivors are listed above each module's table.`);
  process.exit(1);
}

/** The module's results file (Stryker rewrites it after every run), or undefined. */
function readResults(file) {
  const path = `reports/mutation/incremental/${slugOf(file)}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** The stored results when the module, its tests and its mutate spec are exactly as they were then. */
function unchangedResults(file) {
  const results = readResults(file);
  const tests = [...MODULES, ...PENDING].find(([f]) => f === file)[1];
  const path = file.replace(/:.*$/, '');
  if (!results || JSON.stringify(results.config?.mutate) !== JSON.stringify(patternsOf(file))) return undefined;
  if (results.files[path]?.source !== readFileSync(path, 'utf8')) return undefined;
  if (Object.keys(results.testFiles ?? {}).sort().join('\n') !== [...tests].sort().join('\n')) return undefined;
  return tests.every((test) => results.testFiles[test].source === readFileSync(test, 'utf8')) ? results : undefined;
}

/** Killed (timeouts count as killed) over killed, survived and not covered; compile errors and ignored static mutants are left out. */
function score(results) {
  if (!results) return {};
  const mutants = Object.values(results.files).flatMap((f) => f.mutants);
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed') + count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + survived + noCoverage;
  return { score: valid === 0 ? 100 : (100 * killed) / valid, killed, survived, noCoverage };
}
