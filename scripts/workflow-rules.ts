// The repository's own workflow rules (test catalogue item 15), beyond what actionlint checks:
// no untrusted expressions in `run:`, read-only top-level permissions, SHA-pinned actions, no
// pull_request_target, checkout without persisted credentials, and production jobs serialised.
import { parse as parseYaml } from 'yaml';

export interface RuleViolation {
  rule: string;
  where: string;
  message: string;
}

type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps?: Step[]; concurrency?: unknown; 'timeout-minutes'?: unknown; environment?: unknown; uses?: string };
type Workflow = { on?: unknown; permissions?: unknown; jobs?: Record<string, Job> };

/** Actions whose steps change production: their jobs must be serialised and time-boxed. */
// action-database: vacuum-analyze and terminate-long-queries change the production database.
const PRODUCTION_ACTIONS = /\.\/action-(deploy|migrate|backup|database)\b/;
const UNTRUSTED_IN_RUN = /\$\{\{\s*(github\.event\.|inputs\.|github\.head_ref)/;

/** Checks one workflow file's text; `file` names it in every violation. */
export function checkWorkflow(text: string, file: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const add = (rule: string, where: string, message: string): void => {
    out.push({ rule, where: `${file}: ${where}`, message });
  };
  const wf = (parseYaml(text) ?? {}) as Workflow;

  const triggers = typeof wf.on === 'string' ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys((wf.on as object) ?? {});
  if (triggers.includes('pull_request_target')) add('no-pull-request-target', 'on', 'pull_request_target runs fork code with secrets: use pull_request');

  if (wf.permissions === undefined) add('top-level-permissions', 'permissions', 'set top-level `permissions:` (read-only), grant writes per job');
  else if (wf.permissions === 'write-all' || (typeof wf.permissions === 'object' && Object.values(wf.permissions as object).includes('write'))) {
    add('top-level-permissions', 'permissions', 'top-level permissions must be read-only; grant `write` per job');
  }

  for (const [jobId, job] of Object.entries(wf.jobs ?? {})) {
    const steps = job.steps ?? [];
    steps.forEach((step, i) => {
      const where = `jobs.${jobId}.steps[${i}]${step.id ? ` (${step.id})` : ''}`;
      if (!step.id) add('step-id', where, 'give every step an `id:`');
      if (step.run && UNTRUSTED_IN_RUN.test(step.run)) {
        add('no-untrusted-expression-in-run', where, 'pass github.event.*, inputs.* and head_ref through `env:`, never inline in `run:`');
      }
      if (step.uses && !step.uses.startsWith('./') && !step.uses.startsWith('docker://')) {
        if (!/@[0-9a-f]{40}$/.test(step.uses)) add('pin-by-sha', where, `pin '${step.uses}' by its full commit SHA with a # vX.Y.Z comment`);
      }
      if (step.uses?.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) {
        add('checkout-no-credentials', where, 'set `persist-credentials: false` on actions/checkout');
      }
    });
    const changesProduction = steps.some((s) => s.uses && PRODUCTION_ACTIONS.test(s.uses));
    if (changesProduction) {
      const c = job.concurrency as { group?: string; 'cancel-in-progress'?: boolean } | string | undefined;
      if (!c || typeof c === 'string' || c['cancel-in-progress'] !== false) {
        add('production-concurrency', `jobs.${jobId}`, 'a job that changes production needs `concurrency:` with a group and `cancel-in-progress: false`');
      }
      if (job['timeout-minutes'] === undefined) add('production-timeout', `jobs.${jobId}`, 'a job that changes production needs `timeout-minutes:`');
    }
  }
  return out;
}
