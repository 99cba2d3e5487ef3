// `verify`: the recorded version equals the newest file's and every checksum matches (read-only).
import type { ActionResult, RunContext } from '../../../shared/src/index.js';
import { reachDatabase } from '../connection/reach-database.js';
import { verifyDatabase } from '../engine/verify-database.js';
import { READ_TIMEOUT_MS, type MigrateInputs } from '../inputs.js';
import { statusOutputs } from '../report/report-status.js';
import { readFolder, withTarget } from './common.js';

export async function verify(inputs: MigrateInputs, ctx: RunContext): Promise<ActionResult> {
  const files = await readFolder(inputs, ctx);
  const db = await reachDatabase(inputs, ctx);
  const v = await ctx.log.group(`Verifying ${db.target}`, () =>
    verifyDatabase(db.url, db.target, files, { timeoutMs: READ_TIMEOUT_MS, dir: inputs.migrationsDirInput }).catch(withTarget(db.target))
  );
  ctx.report.add(...v.checks);
  return { outputs: statusOutputs(v.status) };
}
