// `prune` (the runbook's "Review Backup Retention"): the retention policy applied to each kind of
// backup. Database backups count as good only once a restore drill proved them, and prune refuses to
// run before one has: the last verified backup is never deleted.
import { rm } from 'node:fs/promises';
import { formatBytes, listBackups, markdownTable, planRetention, type ActionResult, type ListedBackup, type RunContext } from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';

/** Pure: the backups grouped by kind and label (`database a2a_world`, `volumes volumes-app1`). */
export function groupBackups(backups: readonly ListedBackup[]): Map<string, ListedBackup[]> {
  const groups = new Map<string, ListedBackup[]>();
  for (const b of backups) {
    const key = `${b.metadata.kind} ${b.metadata.label}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  return groups;
}

/** Whether a backup counts as verified for retention: database backups only when restored by a drill. */
export function provenGood(b: ListedBackup): boolean {
  return b.metadata.kind === 'database' ? b.metadata.verification.status === 'restored' : b.verified;
}

export async function prune(inputs: BackupInputs, ctx: RunContext): Promise<ActionResult> {
  const { backups } = await listBackups(inputs.destination);
  const now = new Date();
  const rows: Array<Array<string>> = [];
  for (const [group, entries] of groupBackups(backups)) {
    const asEntries = entries.map((b) => ({ ...b, verified: provenGood(b) }));
    if (!asEntries.some((e) => e.verified)) {
      ctx.report.add({ id: `prune:${group}`, kind: 'prune', target: group, status: 'warn', message: `nothing pruned: no ${group} backup has been verified yet (run 'verify' first); retention never runs before a verified backup` });
      continue;
    }
    const plan = planRetention(asEntries, inputs.retention!, now);
    let freed = 0;
    for (const e of plan.remove) {
      const b = e as (typeof asEntries)[number];
      // Metadata first: a backup without metadata is no longer listed, so a half-done removal never looks like a good backup.
      await rm(b.metadataPath, { force: true });
      await rm(b.path, { force: true });
      freed += b.sizeBytes;
      rows.push([group, b.metadata.file, 'removed']);
    }
    for (const e of plan.keep) rows.push([group, (e as (typeof asEntries)[number]).metadata.file, 'kept']);
    ctx.report.add({
      id: `prune:${group}`,
      kind: 'prune',
      target: group,
      status: 'ok',
      value: plan.remove.length,
      unit: 'removed',
      message: `kept ${plan.keep.length}, removed ${plan.remove.length} (${formatBytes(freed)} freed)`
    });
  }
  if (rows.length) ctx.report.section({ title: 'Retention', markdown: markdownTable(['Group', 'File', 'Decision'], rows) });
  return {};
}
