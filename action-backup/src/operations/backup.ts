// `backup`: the database (direct with database-url, or in the compose postgres service over SSH), the
// app data volumes and the encrypted config, each into the destination directory, each checked before
// it takes its final name. One failed target fails the run; the others are still taken.
import { formatBytes, formatDuration, listBackups, markdownTable, toError, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import { BACKUP_OUTPUTS, type BackupInputs, type Target } from '../inputs.js';
import { backUpConfig } from '../targets/config.js';
import { backUpDatabaseCompose } from '../targets/database-compose.js';
import { backUpDatabaseDirect } from '../targets/database-direct.js';
import type { BackupOutcome } from '../targets/types.js';
import { backUpVolumes } from '../targets/volumes.js';
import { openBackupHosts, type BackupHost } from './hosts.js';
import { trendChart } from './trend.js';

/** Takes every target's backup; returns what was written (the failures are in the report). */
export async function takeBackups(inputs: BackupInputs, ctx: RunContext, targets: readonly Target[] = inputs.targets): Promise<BackupOutcome[]> {
  const needsHosts = targets.some((t) => t !== 'database') || inputs.mode === 'compose';
  const hosts: BackupHost[] = needsHosts ? await openBackupHosts(inputs, ctx) : [];
  const outcomes: BackupOutcome[] = [];
  const attempt = async (id: string, target: string, work: () => Promise<BackupOutcome>): Promise<void> => {
    try {
      const o = await ctx.log.group(`Backup: ${target}`, work);
      outcomes.push(o);
      ctx.report.add({
        id,
        kind: 'backup',
        target,
        status: 'ok',
        value: o.metadata.sizeBytes,
        unit: 'bytes',
        message: `${o.path}: ${formatBytes(o.metadata.sizeBytes)} in ${formatDuration(o.metadata.durationMs)}, sha256 ${o.metadata.sha256.slice(0, 16)}…; ${o.metadata.verification.detail}`
      });
    } catch (err) {
      ctx.report.add({ id, kind: 'backup', target, status: 'fail', message: toError(err).message });
    }
  };
  for (const target of targets) {
    if (target === 'database') {
      if (inputs.mode === 'direct') await attempt('backup:database', `database ${inputs.database!.target}`, () => backUpDatabaseDirect(inputs, ctx));
      else {
        const h = hosts[0];
        if (hosts.length > 1) ctx.report.note(`The database is dumped once, on ${h.session.target.name} (the first host); the other hosts' volumes and config are backed up each.`);
        await attempt(`backup:database:${h.session.target.name}`, `database ${inputs.databaseName} (compose ${h.session.target.name})`, () => backUpDatabaseCompose(inputs, ctx, h.session, h.project));
      }
    }
    if (target === 'volumes') {
      for (const h of hosts) await attempt(`backup:volumes:${h.session.target.name}`, `volumes ${h.session.target.name}:${inputs.dataDir}`, () => backUpVolumes(inputs, ctx, h.session));
    }
    if (target === 'config') {
      for (const h of hosts) await attempt(`backup:config:${h.session.target.name}`, `config ${h.session.target.name}:${h.project.dir}`, () => backUpConfig(inputs, ctx, h.session, h.project));
    }
  }
  return outcomes;
}

export async function backup(inputs: BackupInputs, ctx: RunContext): Promise<ActionResult> {
  const outcomes = await takeBackups(inputs, ctx);
  if (outcomes.length) {
    ctx.report.section({
      title: 'Backups written',
      markdown: markdownTable(
        ['Target', 'File', { title: 'Size', align: 'right' }, { title: 'Duration', align: 'right' }, 'SHA-256', 'Restore with'],
        outcomes.map((o) => [o.target, o.path, formatBytes(o.metadata.sizeBytes), formatDuration(o.metadata.durationMs), o.metadata.sha256, { markdown: `\`${o.metadata.restoreCommand}\`` }])
      )
    });
  }
  const { backups } = await listBackups(inputs.destination, { kind: 'database', label: inputs.databaseName }).catch(() => ({ backups: [] }));
  const chart = trendChart(`Backups of ${inputs.databaseName}`, backups);
  if (chart) ctx.report.section({ title: 'Trend', markdown: chart });
  const main = outcomes.find((o) => o.target === 'database') ?? outcomes[0];
  return main ? { outputs: { [BACKUP_OUTPUTS.backupPath]: main.path, [BACKUP_OUTPUTS.sha256]: main.metadata.sha256, [BACKUP_OUTPUTS.sizeBytes]: String(main.metadata.sizeBytes) } } : {};
}
