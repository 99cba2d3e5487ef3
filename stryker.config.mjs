import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Mutation testing of the decision code (issue 14): `npm run test:mutation`.
// Stryker plants small bugs (mutants) in the modules below, one at a time, and runs the hermetic tests
// that cover each; a mutant the tests do not notice "survives". CI runs it incrementally against
// reports/mutation/incremental.json (committed), so only mutants in changed code, or covered by changed
// tests, run again. Equivalent mutants (no behaviour a test could observe) are listed in
// docs/mutation-testing.md with a one-line reason each.
//
// Adding a module is one line in MODULES: the file to mutate (optionally `file:from-to` for lines, or
// `file:a-b,c-d` for several ranges of one file) and the hermetic test files that exercise it. Only
// those tests run, so the dry run stays short.

/** @type {Array<[mutate: string, tests: string[]]>} */
export const MODULES = [
  // Thresholds and classification
  ['action-health/src/http/evaluate-latency.ts', ['action-health/__tests__/evaluate-latency.test.ts']],
  // The funnel: report status ordering and the fail-on decision (decideStepResult in run-action.ts)
  ['shared/src/report/model.ts', ['shared/__tests__/report-model.test.ts', 'shared/__tests__/report-build.test.ts']],
  ['shared/src/run/run-action.ts:169-180', ['shared/__tests__/run-action.test.ts', 'shared/__tests__/run-fail-on-message.test.ts']],
  // Input validation and quoting
  ['shared/src/ssh/quote.ts', ['shared/__tests__/ssh-quote-edges.test.ts', 'shared/__tests__/ssh-input-safety.test.ts', 'shared/__tests__/ssh-roundtrip-property.test.ts']],
  ['shared/src/ssh/validate.ts', ['shared/__tests__/ssh-validate-messages.test.ts', 'shared/__tests__/ssh-input-safety.test.ts', 'shared/__tests__/ssh-inputs.test.ts']],
  ['shared/src/net/host-name.ts', ['shared/__tests__/host-name.test.ts', 'shared/__tests__/host-name-edges.test.ts', 'shared/__tests__/ssh-inputs.test.ts']],
  // Secret scrubbing
  ['shared/src/secrets.ts', ['shared/__tests__/secrets.test.ts', 'shared/__tests__/secrets-forms.test.ts']],
  // action-deploy's decisions
  ['action-deploy/src/rollout/decide.ts', ['action-deploy/__tests__/decide.test.ts', 'action-deploy/__tests__/decide-edges.test.ts']],
  // image.ts: the pure functions (versionVariable, interpolate, imageFor); ensureImage is SSH I/O.
  ['action-deploy/src/rollout/image.ts:11-50', ['action-deploy/__tests__/image.test.ts', 'action-deploy/__tests__/image-edges.test.ts']],
  // Wave 2: cost projection, backup retention, the long-query target filter
  ['action-cost/src/decide/projection.ts', ['action-cost/__tests__/projection.test.ts', 'action-cost/__tests__/projection-mutants.test.ts']],
  ['shared/src/backup/retention.ts', ['shared/__tests__/backup-retention.test.ts', 'shared/__tests__/backup-retention-parse-edges.test.ts']],
  ['shared/src/database/activity.ts', ['shared/__tests__/database-query-targets.test.ts', 'shared/__tests__/database-query-targets-details.test.ts']],
  // Wave 2: backup verification (the checksum and row-count verdicts, the metadata a backup is trusted by,
  // the pg_dump version and archive-listing checks); the ranges leave out the file and process I/O
  ['shared/src/backup/restore.ts:12-43', ['shared/__tests__/backup-metadata.test.ts', 'shared/__tests__/backup-verify-mutants.test.ts']],
  ['shared/src/backup/metadata.ts:74-119,166-169', ['shared/__tests__/backup-metadata.test.ts', 'shared/__tests__/backup-verify-mutants.test.ts']],
  ['shared/src/backup/pg-tools.ts:18-27,46-54,66-76,86-88,94-97,146-149', ['shared/__tests__/backup-metadata.test.ts', 'shared/__tests__/backup-verify-mutants.test.ts']],
  // action-backup's own decisions: how old the newest good backup may be, the restore drill's scratch
  // database, which backups retention may count as proven
  ['action-backup/src/operations/freshness.ts:6-10', ['action-backup/__tests__/decisions.test.ts', 'action-backup/__tests__/decisions-mutants.test.ts']],
  ['action-backup/src/operations/verify.ts:26-45', ['action-backup/__tests__/decisions.test.ts', 'action-backup/__tests__/decisions-mutants.test.ts']],
  ['action-backup/src/operations/prune.ts:9-21', ['action-backup/__tests__/decisions.test.ts', 'action-backup/__tests__/decisions-mutants.test.ts']],
  // Wave 2, issue 14's survivors killed (their tables are the *-mutants.test.ts files)
  ['action-migrate/src/migrations/checksum.ts', ['action-migrate/__tests__/decide.test.ts', 'action-migrate/__tests__/checksum-mutants.test.ts']],
  ['action-migrate/src/migrations/versions.ts', ['action-migrate/__tests__/decide.test.ts', 'action-migrate/__tests__/versions-mutants.test.ts']],
  ['action-migrate/src/migrations/decide-apply.ts', ['action-migrate/__tests__/decide.test.ts', 'action-migrate/__tests__/decide-apply-mutants.test.ts']],
  ['action-cost/src/decide/budget.ts', ['action-cost/__tests__/decide.test.ts', 'action-cost/__tests__/budget-mutants.test.ts']],
  ['shared/src/issues/recurrence.ts', ['shared/__tests__/issues-recurrence.test.ts', 'shared/__tests__/issues-sync.test.ts', 'shared/__tests__/recurrence-mutants.test.ts']],
  // Wave 3: host CPU/memory sustained rules, TLS verdicts, inputs, config, database and host rows, issue settings
  ['action-health/src/hosts/sustained.ts', ['action-health/__tests__/host-metrics.test.ts', 'action-health/__tests__/sustained-mutants.test.ts']],
  ['action-ssl/src/classify.ts', ['action-ssl/__tests__/classify.test.ts', 'action-ssl/__tests__/classify-mutants.test.ts']],
  ['shared/src/inputs.ts', ['shared/__tests__/inputs.test.ts', 'shared/__tests__/inputs-mutants.test.ts']],
  ['shared/src/health/database/classify-database.ts', ['shared/__tests__/health-database-classify.test.ts', 'shared/__tests__/classify-database-mutants.test.ts']],
  ['shared/src/config/load-config.ts', ['shared/__tests__/ops-config.test.ts', 'shared/__tests__/load-config-mutants.test.ts']],
  // The incident lifecycle's decisions (settings, maintenance windows, each check's step); sync-issues.ts
  // around it is the GitHub calls, tested against the stand-in (28 s a run, too slow to run per mutant)
  ['shared/src/issues/decide.ts', ['shared/__tests__/issues-decide.test.ts', 'shared/__tests__/sync-issues-mutants.test.ts']],
  ['action-health/src/hosts/evaluate-host.ts', ['action-health/__tests__/host-metrics.test.ts', 'action-health/__tests__/host-containers.test.ts', 'action-health/__tests__/evaluate-host-mutants.test.ts']]
];

/**
 * Modules in scope not yet scored: without a committed results file, a first run from scratch is
 * 10-40 minutes each on 2 cores, too long for CI. They run only when named
 * (`npm run test:mutation -- evaluate-host`); once a module scores >= 85 % with its survivors killed or
 * listed as equivalent, move its line up into MODULES and commit its reports/mutation/incremental file.
 */
/** @type {Array<[mutate: string, tests: string[]]>} */
export const PENDING = [
];

// scripts/mutation.mjs (`npm run test:mutation`) runs Stryker once per module, MUTATE_ONLY naming it,
// so each module has its own score, threshold and results file. By hand, MUTATE_ONLY takes a comma list
// of path fragments (MUTATE_ONLY=secrets.ts,quote.ts npx stryker run).
const only = process.env.MUTATE_ONLY?.split(',').filter(Boolean);
const selected = only ? [...MODULES, ...PENDING].filter(([file]) => only.some((part) => file.includes(part))) : MODULES;
if (selected.length === 0) throw new Error(`MUTATE_ONLY=${process.env.MUTATE_ONLY} matches no module in stryker.config.mjs`);
/** A file name for a selection: the module's path, or `selection` for several. */
export const slugOf = (file) => file.replace(/:.*$/, '').replace(/\.ts$/, '').replaceAll('/', '-');
/** Stryker's mutate patterns for a module: `file:a-b,c-d` is one pattern per range of the file. */
export const patternsOf = (spec) => {
  const [file, ranges] = spec.split(':');
  return ranges ? ranges.split(',').map((range) => `${file}:${range}`) : [file];
};
const slug = selected.length === 1 ? slugOf(selected[0][0]) : 'selection';
const tests = [...new Set(selected.flatMap(([, files]) => files))];

// The TypeScript checker compiles only the mutated files and what they import. With the whole
// tsconfig it re-checked every file importing a mutated one (the barrel: nearly all of them), 7 s a
// mutant instead of 3. Written here so the list of modules stays the one above.
const CHECKER_TSCONFIG = `reports/mutation/${slug}.tsconfig.json`;
mkdirSync(dirname(CHECKER_TSCONFIG), { recursive: true });
writeFileSync(
  CHECKER_TSCONFIG,
  `${JSON.stringify({ extends: '../../tsconfig.json', include: ['../../shared/src/**/*.d.ts', '../../action-*/src/**/*.d.ts'], files: selected.map(([file]) => `../../${file.replace(/:.*$/, '')}`) }, null, 2)}\n`
);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: selected.flatMap(([file]) => patternsOf(file)),
  testRunner: 'jest',
  // jest 30 + ts-jest in ESM mode needs the VM modules flag in every test-runner process.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // Only the hermetic tests of the modules above (the repository's jest.config.js otherwise).
    // No --findRelatedTests: per-test coverage already picks the tests that reach a mutant, and
    // resolving related files through the barrel cost seconds per mutant.
    config: { testMatch: tests.map((file) => `<rootDir>/${file}`), maxWorkers: 1 },
    enableFindRelatedTests: false
  },
  // perTest works with ESM here: Stryker's jest environment records which test reaches which mutant.
  coverageAnalysis: 'perTest',
  // A static mutant (module-level constants, e.g. a regex built once) needs every test in a fresh
  // module registry: 80 % of the time for 20 % of the mutants. They are reported as ignored, not run.
  ignoreStatic: true,
  // Jest runs every selected test anyway; this makes the report name every test that kills a mutant.
  disableBail: true,
  checkers: ['typescript'],
  tsconfigFile: CHECKER_TSCONFIG,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  concurrency: 2,
  timeoutMS: 20000,
  // One results file per module, committed: a run re-tests only mutants in changed code or covered by
  // changed tests, and reuses the rest.
  incremental: true,
  incrementalFile: `reports/mutation/incremental/${slug}.json`,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${slug}.report.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // The sandbox needs sources, tests, test-support and configs; not the built bundles or the lab.
  ignorePatterns: ['/action-*/dist', '/shared/dist', '/bench/results', '/reports', `!/${CHECKER_TSCONFIG}`, '/coverage', '/.a2a-ops'],
  // The sandboxes (a copy of the repository each) live outside it, where no `npm test` finds their tests.
  tempDirName: join(tmpdir(), 'a2a-ops-stryker'),
  cleanTempDir: 'always'
};
