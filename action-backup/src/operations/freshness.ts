// `freshness`: fails when the newest good backup of the database is older than `max-age` (or missing).
import { formatDuration, listBackups, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';

/** Pure: the status of the newest good backup's age against the limit. */
export function judgeFreshness(newest: Date | undefined, now: Date, maxAgeMs: number): { status: 'ok' | 'fail'; ageMs?: number } {
  if (!newest) return { status: 'fail' };
  const ageMs = now.getTime() - newest.getTime();
  return { status: ageMs > maxAgeMs ? 'fail' : 'ok', ageMs };
}

export async function freshness(inputs: BackupInputs, ctx: RunContext): Promise<ActionResult> {
  const { backups } = await listBackups(inputs.destination, { kind: 'database', label: inputs.databaseName }).catch(() => ({ backups: [] }));
  const newest = backups.find((b) => b.verified);
  const judged = judgeFreshness(newest?.createdAt, new Date(), inputs.maxAgeMs);
  ctx.report.add({
    id: `freshness:${inputs.databaseName}`,
    kind: 'freshness',
    target: `backups of ${inputs.databaseName} in ${inputs.destination}`,
    status: judged.status,
    value: judged.ageMs === undefined ? undefined : Math.round(judged.ageMs / 1000),
    unit: 's',
    threshold: `≤ ${formatDuration(inputs.maxAgeMs)}`,
    message: newest
      ? `newest good backup ${newest.metadata.file} is ${formatDuration(judged.ageMs!)} old (${newest.metadata.verification.status})`
      : `no good backup of ${inputs.databaseName} at all`
  });
  return {};
}
