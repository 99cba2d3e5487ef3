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
  // action-host's decisions (issue 14, wave 2)
  // plan-docker.ts: which images, tags, stopped containers and build cache the clean-up removes (and why the rest stays)
  ['action-host/src/cleanup/plan-docker.ts', ['action-host/__tests__/cleanup-plan.test.ts', 'action-host/__tests__/plan-docker-mutants.test.ts']],
  // upgradable.ts: the apt plan (Inst lines, security archives, kept back, the count line)
  ['action-host/src/apt/upgradable.ts', ['action-host/__tests__/apt-plan.test.ts', 'action-host/__tests__/upgradable-mutants.test.ts']],
  // apt-commands.ts: only parseRebootRequired (whether to reboot); the rest is SSH I/O
  ['action-host/src/apt/apt-commands.ts:58-61', ['action-host/__tests__/apt-plan.test.ts', 'action-host/__tests__/reboot-required-mutants.test.ts']],
  // judge-services.ts: whether a host's services are healthy, starting or unhealthy (stops the rollout)
  ['action-host/src/services/judge-services.ts', ['action-host/__tests__/rollout-decision.test.ts', 'action-host/__tests__/judge-services-mutants.test.ts']],
  // trend.ts (compareAudit, recordAudit; the chart left out) and lynis-report.ts: the audit's index and warnings,
  // and what counts as a drop or a new warning
  ['action-host/src/audit/trend.ts:30-56', ['action-host/__tests__/lynis-audit.test.ts', 'action-host/__tests__/trend-mutants.test.ts']],
  ['action-host/src/audit/lynis-report.ts', ['action-host/__tests__/lynis-audit.test.ts', 'action-host/__tests__/lynis-report-mutants.test.ts']],
  // sizes.ts (journal-max-size, Docker's sizes; formatSize left out), and the df and journal parsers of inventory.ts (the SSH reads left out)
  ['action-host/src/sizes.ts:11-28', ['action-host/__tests__/cleanup-plan.test.ts', 'action-host/__tests__/sizes-mutants.test.ts']],
  ['action-host/src/cleanup/inventory.ts:17-23,62-67', ['action-host/__tests__/cleanup-plan.test.ts', 'action-host/__tests__/inventory-mutants.test.ts']],
  // backups.ts: planBackupCleanup (metadata blocks grouped per kind and label, each planned by the backup core)
  ['action-host/src/cleanup/backups.ts:40-66', ['action-host/__tests__/cleanup-plan.test.ts', 'action-host/__tests__/backups-mutants.test.ts']],
  // action-database's decisions (issue 14, wave 2)
  // The report's verdicts: bloat estimate and warning, hit rate (tables.ts; the rest is SQL), unused and duplicate indexes
  // (indexes.ts; readIndexes is SQL), the week-over-week history
  ['action-database/src/report/tables.ts:99-110,136-138', ['action-database/__tests__/decisions.test.ts', 'action-database/__tests__/tables-mutants.test.ts']],
  ['action-database/src/report/indexes.ts:94-96,115-142', ['action-database/__tests__/decisions.test.ts', 'action-database/__tests__/indexes-mutants.test.ts']],
  ['action-database/src/report/history.ts', ['action-database/__tests__/decisions.test.ts', 'action-database/__tests__/history-mutants.test.ts']],
  // pg_stat_statements: the column naming and why it is unavailable (the SQL and savepoints left out)
  ['action-database/src/report/statements.ts:33-38,54-66,79-83,87-88', ['action-database/__tests__/decisions.test.ts', 'action-database/__tests__/statements-mutants.test.ts']],
  // vacuum-analyze: what stops a run, the tables picked, each table's outcome, and the verdicts (vacuumAnalyze's
  // session steps left out); terminate-long-queries: the signals' outcomes and the run's one check
  ['action-database/src/vacuum/blocking-activity.ts', ['action-database/__tests__/decisions.test.ts', 'action-database/__tests__/blocking-activity-mutants.test.ts']],
  ['action-database/src/vacuum/list-tables.ts:45-52', ['action-database/__tests__/list-tables-mutants.test.ts']],
  ['action-database/src/vacuum/vacuum-table.ts:24-47', ['action-database/__tests__/vacuum-table-mutants.test.ts']],
  ['action-database/src/operations/vacuum-analyze.ts:15-15,102-150', ['action-database/__tests__/vacuum-analyze-mutants.test.ts']],
  ['action-database/src/terminate/signal-targets.ts:55-137', ['action-database/__tests__/signal-targets-mutants.test.ts']],
  ['action-database/src/operations/terminate-long-queries.ts:85-100', ['action-database/__tests__/decisions.test.ts', 'action-database/__tests__/terminate-long-queries-mutants.test.ts']],
  // action-incident's decisions (issue 14, wave 2)
  // error patterns: which lines are errors and their signatures, grouping, last week's trend, the faults
  ['action-incident/src/error-patterns/signature.ts', ['action-incident/__tests__/error-patterns.test.ts', 'action-incident/__tests__/signature-mutants.test.ts']],
  ['action-incident/src/error-patterns/group.ts', ['action-incident/__tests__/error-patterns.test.ts', 'action-incident/__tests__/group-mutants.test.ts']],
  ['action-incident/src/error-patterns/week-over-week.ts', ['action-incident/__tests__/error-patterns.test.ts', 'action-incident/__tests__/week-over-week-mutants.test.ts']],
  ['action-incident/src/error-patterns/diagnose-error-patterns.ts', ['action-incident/__tests__/error-patterns.test.ts', 'action-incident/__tests__/diagnose-error-patterns-mutants.test.ts']],
  // endpoint phases and verdicts (diagnoseEndpoints' timing and table are network I/O)
  ['action-incident/src/endpoints/phases.ts', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/phases-mutants.test.ts']],
  ['action-incident/src/endpoints/diagnose-endpoints.ts:13-31,70-72', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/judge-endpoint-mutants.test.ts']],
  // hosts: judgeContainers (the rest of diagnose-hosts.ts is SSH I/O), ps output, the daemon log
  ['action-incident/src/hosts/diagnose-hosts.ts:59-78', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/judge-containers-mutants.test.ts']],
  ['action-incident/src/hosts/processes.ts', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/processes-mutants.test.ts']],
  ['action-incident/src/hosts/daemon-log.ts', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/daemon-log-mutants.test.ts']],
  // the one incident check and the load balancer's verdict (its API calls left out)
  ['action-incident/src/incident/incident-check.ts', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/incident-check-mutants.test.ts']],
  ['action-incident/src/platform/diagnose-load-balancer.ts:9-20', ['action-incident/__tests__/decisions.test.ts', 'action-incident/__tests__/load-balancer-mutants.test.ts']],
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
