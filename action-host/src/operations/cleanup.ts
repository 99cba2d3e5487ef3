// `cleanup`: the runbook's "Clean Up Unused Resources" and "Optimize Storage" on every host, when its disk
// use reaches `disk-threshold` (or always, at 0): unused Docker images older than `image-age` (never one a
// container uses, never the newest `keep-images` tags of a repository), stopped containers not owned by a
// compose project, old build cache, the journal beyond `journal-max-size` (where systemd runs), and local
// backups beyond `backup-retention` (through the backup core: never the newest verified one). The plan,
// each item with the space it frees, comes first; unless `dry-run`, the items are then removed under the
// host lock, and the space actually freed is measured with df before and after.
import { markdownTable, runOnHosts, shellJoin, shellQuote, type ActionResult, type RunContext, type RetentionPolicy } from '../../../shared/src/index.js';
import { readBackupPlan } from '../cleanup/backups.js';
import { readDiskUse, readDockerInventory, readDockerRoot, readJournalUse, type DiskUse } from '../cleanup/inventory.js';
import { planDockerCleanup, type CleanupItem } from '../cleanup/plan-docker.js';
import { asRoot, explainSudo, lockHosts, openHosts, type HostContext } from '../hosts/open-hosts.js';
import { HOST_OUTPUTS, type HostInputs } from '../inputs.js';
import { formatSize } from '../sizes.js';

/** One thing to remove on a host, with the command that removes it. */
interface PlannedItem {
  kind: CleanupItem['kind'] | 'journal' | 'backup';
  label: string;
  bytes: number;
  command: string;
}

interface HostPlan {
  h: HostContext;
  disk?: DiskUse;
  /** Why the host is left alone (below the threshold). */
  skip?: string;
  items: PlannedItem[];
  kept: Array<{ label: string; reason: string }>;
  notes: string[];
}

export async function cleanup(inputs: HostInputs, ctx: RunContext): Promise<ActionResult> {
  const retention = inputs.backupRetention;
  const hosts = await openHosts(inputs, ctx);
  const now = new Date();
  const plans: HostPlan[] = [];

  await ctx.log.group('Plan: what each host would free', async () => {
    const outcomes = await runOnHosts(hosts.list.map((h) => h.target), inputs.ssh.options.parallel, async (target) => {
      const plan = await planHost(hosts.of(target), inputs, retention, now);
      plans.push(plan);
      const total = plan.items.reduce((s, i) => s + i.bytes, 0);
      ctx.log.info(`${plan.h.label}: ${plan.skip ?? `${plan.items.length} items, ${formatSize(total)} to free`}`);
      ctx.report.add({
        id: `cleanup:plan:${plan.h.label}`,
        kind: 'cleanup-plan',
        target: plan.h.label,
        status: 'ok',
        value: total,
        unit: 'bytes',
        message: plan.skip ?? `${plan.items.length} item${plan.items.length === 1 ? '' : 's'} to remove, ${formatSize(total)} to free${plan.disk ? ` (disk ${plan.disk.percent} % used)` : ''}${plan.notes.length ? `; ${plan.notes.join('; ')}` : ''}`
      });
    });
    for (const o of outcomes) if (!o.ok) ctx.report.add({ id: `cleanup:plan:${o.target.name}`, kind: 'cleanup-plan', target: o.target.name, status: 'fail', message: o.error.message });
  });
  plans.sort((a, b) => hosts.list.indexOf(a.h) - hosts.list.indexOf(b.h));
  const rows = plans.flatMap((p) => p.items.map((i) => [p.h.label, i.kind, i.label, { markdown: formatSize(i.bytes) }]));
  if (rows.length) {
    ctx.report.section({ title: inputs.dryRun ? 'Clean-up plan (dry run: nothing removed)' : 'Clean-up plan', markdown: markdownTable(['Host', 'Kind', 'Item', { title: 'Frees', align: 'right' }], rows) });
    const kept = plans.flatMap((p) => p.kept.map((k) => [p.h.label, k.label, k.reason]));
    if (kept.length) ctx.report.section({ title: 'Kept on purpose', markdown: `<details><summary>${kept.length} old enough to go, kept</summary>\n\n${markdownTable(['Host', 'Item', 'Why it stays'], kept)}\n\n</details>` });
  }
  const planned = plans.reduce((s, p) => s + p.items.reduce((t, i) => t + i.bytes, 0), 0);
  if (inputs.dryRun) {
    ctx.report.note(`Dry run: ${formatSize(planned)} would be freed; nothing was removed.`);
    return { outputs: { [HOST_OUTPUTS.freedBytes]: '0' } };
  }
  const work = plans.filter((p) => p.items.length);
  if (!work.length) return { outputs: { [HOST_OUTPUTS.freedBytes]: '0' } };

  await lockHosts({ list: work.map((p) => p.h), of: (t) => hosts.of(t) }, inputs, ctx, 'host clean-up');
  let freed = 0;
  await ctx.log.group('Clean up', async () => {
    const outcomes = await runOnHosts(work.map((p) => p.h.target), inputs.ssh.options.parallel, async (target) => {
      const plan = work.find((p) => p.h.target === target) as HostPlan;
      const f = await cleanHost(plan, ctx);
      freed += Math.max(0, f);
    });
    for (const o of outcomes) if (!o.ok) ctx.report.add({ id: `cleanup:${o.target.name}`, kind: 'cleanup', target: o.target.name, status: 'fail', message: o.error.message });
  });
  return { outputs: { [HOST_OUTPUTS.freedBytes]: String(freed) } };
}

async function planHost(h: HostContext, inputs: HostInputs, retention: RetentionPolicy | undefined, now: Date): Promise<HostPlan> {
  const plan: HostPlan = { h, items: [], kept: [], notes: [] };
  const root = await readDockerRoot(h.session);
  plan.disk = await readDiskUse(h.session, root ?? '/');
  if (inputs.diskThreshold > 0 && plan.disk.percent < inputs.diskThreshold) {
    plan.skip = `Disk ${plan.disk.percent} % used, below disk-threshold ${inputs.diskThreshold} %: nothing to clean`;
    return plan;
  }
  if (root) {
    const inventory = await readDockerInventory(h.session);
    const docker = planDockerCleanup(inventory.disk, inventory.containers, {
      imagesBefore: new Date(now.getTime() - inputs.imageAgeMs),
      keepPerRepository: inputs.keepImages,
      containersBefore: new Date(now.getTime() - inputs.containerAgeMs),
      buildCacheBefore: new Date(now.getTime() - inputs.buildCacheAgeMs)
    });
    plan.kept.push(...docker.kept);
    for (const i of docker.remove) {
      const command =
        i.kind === 'container'
          ? `docker rm -- ${shellQuote(i.ref)}`
          : i.kind === 'build-cache'
            ? `docker builder prune -f --filter ${shellQuote(`until=${Math.round(inputs.buildCacheAgeMs / 1000)}s`)}`
            : `docker rmi -- ${shellQuote(i.ref)}`;
      plan.items.push({ kind: i.kind, label: i.label, bytes: i.bytes, command });
    }
    if (!docker.remove.length) plan.notes.push('Docker has nothing old enough to remove');
  } else {
    plan.notes.push('Docker does not answer on this host: no image or container clean-up');
  }
  const journal = await readJournalUse(h.session);
  if (!journal.systemd) plan.notes.push('journal: not vacuumed, this host does not run systemd (no /run/systemd/system)');
  else if (journal.bytes !== undefined && journal.bytes > inputs.journalMaxBytes) {
    plan.items.push({ kind: 'journal', label: `journal ${formatSize(journal.bytes)} down to ${formatSize(inputs.journalMaxBytes)}`, bytes: journal.bytes - inputs.journalMaxBytes, command: asRoot(['journalctl', `--vacuum-size=${inputs.journalMaxBytes}`]) });
  }
  if (inputs.backupDir && retention) {
    const backups = await readBackupPlan(h.session, inputs.backupDir, retention, now);
    for (const u of backups.unreadable) plan.kept.push({ label: u.path, reason: `unreadable metadata, never removed: ${u.reason}` });
    for (const b of backups.remove) {
      plan.items.push({ kind: 'backup', label: `${b.path} (${b.label}, ${b.createdAt.toISOString().slice(0, 16)})`, bytes: b.sizeBytes, command: `rm -f -- ${shellJoin([b.path, b.metadataPath])}` });
    }
    plan.notes.push(`backups: ${backups.keep} kept by the retention, ${backups.remove.length} beyond it`);
  }
  return plan;
}

/** Removes the host's items in plan order; returns the bytes df says were freed. */
async function cleanHost(plan: HostPlan, ctx: RunContext): Promise<number> {
  const { h } = plan;
  const before = await readDiskUse(h.session, plan.disk?.path ?? '/');
  const failed: string[] = [];
  let done = 0;
  for (const item of plan.items) {
    const r = await h.session.exec(item.command, { label: `remove ${item.kind}`, timeoutMs: 10 * 60_000 });
    if (r.code === 0) {
      done++;
      ctx.log.info(`${h.label}: removed ${item.label} (${formatSize(item.bytes)})`);
    } else {
      // One item that cannot go (an image a container started using since the plan) never stops the rest.
      const why = explainSudo(r.stderr, item.kind) ?? (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.code}`).slice(0, 200);
      failed.push(`${item.label}: ${why}`);
      ctx.log.warn(`${h.label}: could not remove ${item.label}: ${why}`);
    }
  }
  const after = await readDiskUse(h.session, before.path);
  const freed = after.availableBytes - before.availableBytes;
  ctx.report.add({
    id: `cleanup:${h.label}`,
    kind: 'cleanup',
    target: h.label,
    status: failed.length ? 'warn' : 'ok',
    value: freed,
    unit: 'bytes',
    message: `Removed ${done} of ${plan.items.length}; freed ${formatSize(freed)} measured by df on ${before.path} (${before.percent} % → ${after.percent} % used; planned ${formatSize(plan.items.reduce((s, i) => s + i.bytes, 0))})${failed.length ? `; not removed: ${failed.join('; ')}` : ''}`
  });
  return freed;
}
