// `npm run test:mutation`: Stryker over each decision module in stryker.config.mjs, one run per module
// (its own tests, its own committed results file, its own threshold), then one table of the scores.
// Fails when any module scores below the break threshold or a run fails. Needs Node >= 22 (Stryker 10).
// Arguments are path fragments choosing modules (npm run test:mutation -- secrets.ts quote.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import config, { MODULES, slugOf } from '../stryker.config.mjs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Stryker 10 needs Node >= 22; this is ${process.version}. Run with a newer node on PATH (CI uses the node@24 it installs for the bundle smoke test).`);
  process.exit(2);
}

const wanted = process.argv.slice(2);
const all = MODULES.map(([file]) => file);
// In the order asked for (the config's order without arguments), each module once.
const modules = wanted.length === 0 ? all : [...new Set(wanted.flatMap((part) => all.filter((file) => file.includes(part))))];
if (modules.length === 0) {
  console.error(`No module in stryker.config.mjs matches ${wanted.join(', ')}`);
  process.exit(2);
}

const breakAt = config.thresholds.break;
const rows = [];
for (const file of modules) {
  const started = Date.now();
  console.log(`\n=== mutation testing ${file}`);
  rmSync(`reports/mutation/${slugOf(file)}.report.json`, { force: true });
  const run = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_ONLY: file }
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  rows.push({ file, seconds, exit: run.status ?? run.signal, ...score(file) });
}

console.log('\nMutation score per module (killed + timed out) / (all - compile errors - ignored):');
console.log(['module', 'score %', 'killed', 'survived', 'no coverage', 'seconds', 'result'].join(' | '));
let failed = 0;
for (const row of rows) {
  const ok = row.exit === 0 && row.score !== undefined && row.score >= breakAt;
  if (!ok) failed++;
  console.log([row.file, row.score?.toFixed(2) ?? '-', row.killed ?? '-', row.survived ?? '-', row.noCoverage ?? '-', row.seconds, ok ? 'ok' : `FAILED (below ${breakAt} % or the run failed)`].join(' | '));
}
if (failed) {
  console.error(`\n${failed} of ${rows.length} modules below the ${breakAt} % threshold or failed to run; the survivors are listed above each module's table.`);
  process.exit(1);
}

/** The module's counts from its JSON report (written even when the score breaks the threshold). */
function score(file) {
  try {
    const report = JSON.parse(readFileSync(`reports/mutation/${slugOf(file)}.report.json`, 'utf8'));
    const mutants = Object.values(report.files).flatMap((f) => f.mutants);
    const count = (status) => mutants.filter((m) => m.status === status).length;
    const killed = count('Killed') + count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const valid = killed + survived + noCoverage;
    return { score: valid === 0 ? 100 : (100 * killed) / valid, killed, survived, noCoverage };
  } catch {
    return {};
  }
}
