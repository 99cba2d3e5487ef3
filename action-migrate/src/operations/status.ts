// `status`: where the database stands against the folder (read-only): applied, pending, edited, vanished.
import type { ActionResult, RunContext } from '../../../shared/src/index.js';
import { reachDatabase } from '../connection/reach-database.js';
import type { MigrateInputs } from '../inputs.js';
import { planStatus } from '../migrations/plan-status.js';
import { reportStatus } from '../report/report-status.js';
import { readAppliedReadOnly, readFolder } from './common.js';

export async function status(inputs: MigrateInputs, ctx: RunContext): Promise<ActionResult> {
  const files = await readFolder(inputs, ctx);
  const db = await reachDatabase(inputs, ctx);
  const applied = await readAppliedReadOnly(db.url, db.target, ctx);
  const parts = reportStatus(planStatus(files, applied.rows), {
    target: db.target,
    dir: inputs.migrationsDirInput,
    tableExists: applied.tableExists,
    missingColumns: applied.missingColumns
  });
  ctx.report.add(...parts.checks);
  for (const s of parts.sections) ctx.report.section(s);
  for (const n of parts.notes) ctx.report.note(n);
  return { outputs: parts.outputs };
}
