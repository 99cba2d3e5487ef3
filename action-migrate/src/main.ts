// Database migrations, first version: `operation: status` only. Reads the migrations folder and the
// schema_migrations table (read-only) and reports applied, pending, edited and vanished migrations.
import { buildReport, DatabaseConnectError, runAction, type ActionDefinition } from '../../shared/src/index.js';
import { readMigrateInputs, STATUS_TIMEOUT_MS, type MigrateInputs } from './inputs.js';
import { planStatus } from './plan-status.js';
import { readApplied } from './read-applied.js';
import { readMigrations } from './read-migrations.js';
import { reportStatus } from './report-status.js';

export const definition: ActionDefinition<MigrateInputs> = {
  name: 'migrate',
  title: 'Database migration status',
  readInputs: (ctx) => readMigrateInputs(ctx),
  async execute(inputs, ctx) {
    const startedAt = new Date();
    // Files first: a misnamed file is the user's to fix, and is reported before the database is contacted.
    const files = await ctx.log.group(`Reading ${inputs.migrationsDirInput}`, async () => {
      const found = await readMigrations(inputs.migrationsDir);
      ctx.log.info(`${found.length} migration file${found.length === 1 ? '' : 's'}.`);
      return found;
    });
    const applied = await ctx.log.group(`Reading schema_migrations on ${inputs.target}`, async () => {
      const state = await readApplied(inputs.database, STATUS_TIMEOUT_MS).catch((err: unknown) => {
        // The session's message says what happened; the step's error should also say to which database.
        if (err instanceof DatabaseConnectError) throw new DatabaseConnectError(`${inputs.target}: ${err.message}`, err.code);
        throw err;
      });
      ctx.log.info(state.tableExists ? `${state.rows.length} applied.` : 'No schema_migrations table.');
      return state;
    });
    const status = planStatus(files, applied.rows);
    const parts = reportStatus(status, {
      target: inputs.target,
      dir: inputs.migrationsDirInput,
      tableExists: applied.tableExists,
      missingColumns: applied.missingColumns
    });
    return {
      report: buildReport({ action: 'migrate', title: 'Database migration status', startedAt, checks: parts.checks, sections: parts.sections, notes: parts.notes }),
      outputs: parts.outputs
    };
  }
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
