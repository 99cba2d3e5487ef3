// action-database: the runbook's database maintenance (Database Optimization, Database Issues, the
// Wednesday query-performance check): report, vacuum-analyze and terminate-long-queries, one file per operation.
import { runAction, type ActionDefinition, type ActionResult, type RunContext } from '../../shared/src/index.js';
import { DATABASE_ACTION, readDatabaseInputs, type DatabaseInputs, type Operation } from './inputs.js';
import { report } from './operations/report.js';
import { terminateLongQueries } from './operations/terminate-long-queries.js';
import { vacuumAnalyze } from './operations/vacuum-analyze.js';

const OPERATION: Record<Operation, (inputs: DatabaseInputs, ctx: RunContext) => Promise<ActionResult>> = {
  report,
  'vacuum-analyze': vacuumAnalyze,
  'terminate-long-queries': terminateLongQueries
};

export const definition: ActionDefinition<DatabaseInputs> = {
  ...DATABASE_ACTION,
  readInputs: readDatabaseInputs,
  execute: (inputs, ctx) => OPERATION[inputs.operation](inputs, ctx)
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
