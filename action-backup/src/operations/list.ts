// `list` (the Monday "Review backup success/failure status"): every backup in the destination with its
// age, size, checksum state and verification; DigitalOcean's managed-database backups beside them (the
// runbook's `doctl databases backup list`) when a token and database id are given.
import {
  checkBackupChecksum,
  createDigitalOceanClient,
  formatBytes,
  formatDuration,
  listBackups,
  markdownTable,
  toError,
  type ActionResult,
  type ListedBackup,
  type RunContext
} from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';

/** The backups of the destination, with each file's checksum re-read (reported in the run, not changed on disk). */
export async function listLocal(inputs: BackupInputs, ctx: RunContext): Promise<ListedBackup[]> {
  const { backups, unreadable } = await listBackups(inputs.destination).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return { backups: [], unreadable: [] };
    throw err;
  });
  const now = Date.now();
  const rows: Array<Array<string | number>> = [];
  for (const b of backups) {
    const sum = await checkBackupChecksum(b.path, b.metadata, ctx.signal);
    const v = b.metadata.verification;
    rows.push([b.metadata.kind, b.metadata.file, formatDuration(now - b.createdAt.getTime()), formatBytes(b.sizeBytes), sum.ok ? 'ok' : 'MISMATCH', `${v.status}${v.restoreMs !== undefined ? ` (restore ${formatDuration(v.restoreMs)})` : ''}`]);
    ctx.report.add({
      id: `list:${b.metadata.file}`,
      kind: 'backup',
      target: b.path,
      status: !sum.ok || v.status === 'failed' ? 'fail' : 'ok',
      value: b.sizeBytes,
      unit: 'bytes',
      message: `${b.metadata.kind}, ${formatDuration(now - b.createdAt.getTime())} old, ${v.status}; ${sum.message}`
    });
  }
  for (const u of unreadable) ctx.report.add({ id: `list:${u.path}`, kind: 'backup', target: u.path, status: 'warn', message: `metadata unreadable: ${u.reason}` });
  ctx.report.section({
    title: `Backups in ${inputs.destination}`,
    markdown: rows.length ? markdownTable(['Kind', 'File', 'Age', { title: 'Size', align: 'right' }, 'Checksum', 'Verified'], rows) : '_No backups._'
  });
  return backups;
}

export async function list(inputs: BackupInputs, ctx: RunContext): Promise<ActionResult> {
  await listLocal(inputs, ctx);
  if (inputs.digitalocean) {
    try {
      const client = createDigitalOceanClient({ token: inputs.digitalocean.token });
      const backups = await client.listDatabaseBackups(inputs.digitalocean.databaseId);
      const newest = backups[0];
      ctx.report.add({
        id: `digitalocean:${inputs.digitalocean.databaseId}`,
        kind: 'managed-backup',
        target: `DigitalOcean database ${inputs.digitalocean.databaseId}`,
        status: newest ? 'ok' : 'warn',
        value: backups.length,
        unit: 'backups',
        message: newest ? `${backups.length} managed backups, newest ${newest.createdAt} (${newest.sizeGigabytes} GB)` : 'no managed backups listed'
      });
      ctx.report.section({
        title: 'DigitalOcean managed-database backups',
        markdown: markdownTable(['Created', { title: 'Size (GB)', align: 'right' }], backups.map((b) => [b.createdAt, b.sizeGigabytes]))
      });
    } catch (err) {
      ctx.report.add({ id: `digitalocean:${inputs.digitalocean.databaseId}`, kind: 'managed-backup', target: `DigitalOcean database ${inputs.digitalocean.databaseId}`, status: 'fail', message: toError(err).message });
    }
  }
  return {};
}
