// `exec`: for apps with their own migration tool (the runbook's `docker-compose exec api python
// database/scripts/migration_manager.py --apply`): the backup first, then the command in the service's
// container over SSH (core compose exec, no TTY, every word quoted), then the version verified.
import { composeExec, resolveComposeProject, SshPool, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import { reachDatabase } from '../connection/reach-database.js';
import { verifyDatabase } from '../engine/verify-database.js';
import { READ_TIMEOUT_MS, type MigrateInputs } from '../inputs.js';
import { statusOutputs } from '../report/report-status.js';
import { backUpFirst, readFolder, withTarget } from './common.js';

/** The app's migration command may take as long as a statement may. */
export async function exec(inputs: MigrateInputs, ctx: RunContext): Promise<ActionResult> {
  const run = inputs.exec!;
  const files = await readFolder(inputs, ctx);
  const pool = new SshPool(run.ssh);
  ctx.cleanups.add('close the SSH connections', () => pool.closeAll());
  const db = await reachDatabase(inputs, ctx, inputs.route ? pool : undefined);
  const backup = await backUpFirst(db.url, inputs, ctx);

  const host = run.ssh.targets[0];
  const command = `${run.service}: ${run.argv.join(' ')}`;
  const result = await ctx.log.group(`Running '${run.argv.join(' ')}' in ${run.service} on ${host.name}`, async () => {
    const session = await pool.get(host);
    const project = await resolveComposeProject(session, { ...ctx.config.compose, ...(ctx.config.hosts.find((h) => h.name === host.name)?.compose ?? {}) });
    return composeExec(session, project, run.service, run.argv, {
      timeoutMs: inputs.statementTimeoutMs,
      onStdout: (line) => ctx.log.info(`  ${line}`),
      onStderr: (line) => ctx.log.info(`  ${line}`)
    });
  });
  const ok = result.code === 0;
  ctx.report.add({
    id: 'migrations:exec',
    kind: 'migration',
    target: `${host.name} ${run.service}`,
    status: ok ? 'ok' : 'fail',
    value: result.code ?? 'none',
    unit: 'exit code',
    message: ok
      ? `'${command}' exited 0 in ${Math.round(result.durationMs / 1000)} s`
      : `'${command}' ${result.timedOut ? 'timed out (statement-timeout) and was killed' : result.code === null ? 'ended without an exit code (connection lost?)' : `exited ${result.code}`}${backup ? `; the backup taken before it: ${backup.path}` : ''}`,
    ...(ok ? {} : { details: `${result.stderr}\n${result.stdout}`.trim().slice(-4000) })
  });
  const v = await ctx.log.group(`Verifying ${db.target}`, () => verifyDatabase(db.url, db.target, files, { timeoutMs: READ_TIMEOUT_MS, dir: inputs.migrationsDirInput }).catch(withTarget(db.target)));
  ctx.report.add(...v.checks);
  return { outputs: statusOutputs(v.status, { backup }) };
}
