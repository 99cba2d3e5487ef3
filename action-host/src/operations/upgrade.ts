// `upgrade`: the runbook's monthly "Security Updates" (`sudo apt update && sudo apt upgrade -y` per host),
// made safe. First, on every host: `apt-get update` and the plan (`apt-get -s upgrade`: what would be
// upgraded, security updates marked). Unless `dry-run`, then one host at a time, under the host lock:
// the services checked healthy first, `apt-get upgrade -y` (non-interactive, bounded dpkg-lock wait),
// reboot-required read, the optional reboot (waited for), and the services checked again; the first
// host that is not healthy afterwards stops the run, and later hosts are left as they were.
import {
  escapeCell,
  markdownTable,
  runOnHosts,
  runOnHostsRolling,
  SshSession,
  type ActionResult,
  type RunContext
} from '../../../shared/src/index.js';
import { aptUpdate, aptUpgrade, readRebootRequired, simulateUpgrade, type RebootRequired } from '../apt/apt-commands.js';
import { rebootAndWait } from '../apt/reboot.js';
import type { UpgradePlan } from '../apt/upgradable.js';
import { lockHosts, openHosts, type HostContext } from '../hosts/open-hosts.js';
import { HOST_OUTPUTS, type HostInputs } from '../inputs.js';
import { describeServices, waitForHealthyServices } from '../services/check-services.js';

/** A host that was not healthy around its upgrade: the rollout stops there. */
export class HostUnhealthyError extends Error {
  override name = 'HostUnhealthyError';
}

/** What happened on one host. */
export interface HostUpgrade {
  upgraded: UpgradePlan['packages'];
  remaining: number;
  reboot: RebootRequired & { rebooted: boolean };
}

export async function upgrade(inputs: HostInputs, ctx: RunContext): Promise<ActionResult> {
  const hosts = await openHosts(inputs, ctx);
  const bounds = { dpkgLockTimeoutMs: inputs.dpkgLockTimeoutMs, aptTimeoutMs: inputs.aptTimeoutMs };
  const plans = new Map<HostContext, UpgradePlan>();

  await ctx.log.group('Plan: apt-get update, then what apt-get upgrade would do (every host)', async () => {
    const outcomes = await runOnHosts(
      hosts.list.map((h) => h.target),
      inputs.ssh.options.parallel,
      async (target) => {
        const h = hosts.of(target);
        await aptUpdate(h.session, bounds);
        const plan = await simulateUpgrade(h.session, bounds);
        plans.set(h, plan);
        const security = plan.packages.filter((p) => p.security);
        ctx.log.info(`${h.label}: ${plan.packages.length} upgradable (${security.length} security)${plan.keptBack.length ? `, ${plan.keptBack.length} kept back` : ''}`);
        ctx.report.add({
          id: `upgrade:plan:${h.label}`,
          kind: 'apt-plan',
          target: h.label,
          status: inputs.dryRun && security.length ? 'warn' : 'ok',
          value: plan.packages.length,
          unit: 'upgradable',
          message: `${plan.packages.length} upgradable, ${security.length} security${security.length ? ` (${security.map((p) => p.name).slice(0, 10).join(', ')})` : ''}${plan.keptBack.length ? `; kept back: ${plan.keptBack.join(', ')}` : ''}`
        });
      }
    );
    for (const o of outcomes) if (!o.ok) ctx.report.add({ id: `upgrade:plan:${o.target.name}`, kind: 'apt-plan', target: o.target.name, status: 'fail', message: o.error.message });
  });
  const rows = hosts.list.flatMap((h) => (plans.get(h)?.packages ?? []).map((p) => [h.label, p.name, p.from, p.to, p.security ? '**security**' : '', escapeCell(p.origins.join(', '))]));
  if (rows.length) ctx.report.section({ title: inputs.dryRun ? 'Upgradable packages (dry run: nothing installed)' : 'Upgradable packages', markdown: markdownTable(['Host', 'Package', 'Installed', 'Candidate', 'Security', 'From'], rows) });
  const total = [...plans.values()].reduce((n, p) => n + p.packages.length, 0);
  const security = [...plans.values()].reduce((n, p) => n + p.packages.filter((x) => x.security).length, 0);
  const outputs: Record<string, string> = { [HOST_OUTPUTS.upgradable]: String(total), [HOST_OUTPUTS.securityUpdates]: String(security), [HOST_OUTPUTS.upgradedHosts]: '', [HOST_OUTPUTS.rebootRequired]: '' };

  if (inputs.dryRun) {
    ctx.report.note(`Dry run: ${total} package${total === 1 ? '' : 's'} upgradable on ${plans.size} host${plans.size === 1 ? '' : 's'} (${security} security); nothing was installed.`);
    return { outputs };
  }
  if (plans.size < hosts.list.length) {
    ctx.report.note('Not upgraded: the plan failed on a host (see above), so no host was changed.');
    return { outputs };
  }

  await lockHosts(hosts, inputs, ctx, 'host upgrade (apt-get upgrade)');
  const done: string[] = [];
  const rebootNeeded: string[] = [];
  await ctx.log.group('Upgrade, one host at a time (stops at the first unhealthy host)', async () => {
    const outcomes = await runOnHostsRolling(hosts.list.map((h) => h.target), { maxParallel: 1 }, async (target) => {
      const h = hosts.of(target);
      const result = await upgradeHost(h, plans.get(h) as UpgradePlan, inputs, ctx);
      done.push(h.label);
      if (result.reboot.required && !result.reboot.rebooted) rebootNeeded.push(h.label);
      return result;
    });
    for (const o of outcomes) {
      if (o.ok) continue;
      const skipped = 'skipped' in o && o.skipped;
      // Its services check is in the report already, with what was wrong.
      if (!skipped && o.error instanceof HostUnhealthyError) continue;
      ctx.report.add({
        id: `upgrade:${o.target.name}`,
        kind: 'apt-upgrade',
        target: o.target.name,
        status: skipped ? 'warn' : 'fail',
        message: skipped ? `Not upgraded: ${o.reason} (left as it was)` : o.error.message
      });
    }
  });
  outputs[HOST_OUTPUTS.upgradedHosts] = done.join(',');
  outputs[HOST_OUTPUTS.rebootRequired] = rebootNeeded.join(',');
  return { outputs };
}

/** One host's turn: healthy first, upgrade, reboot-required (and the reboot), healthy again. */
async function upgradeHost(h: HostContext, plan: UpgradePlan, inputs: HostInputs, ctx: RunContext): Promise<HostUpgrade> {
  const bounds = { dpkgLockTimeoutMs: inputs.dpkgLockTimeoutMs, aptTimeoutMs: inputs.aptTimeoutMs };
  const before = await waitForHealthyServices(h, ctx.config.services, Math.min(inputs.healthTimeoutMs, 30_000), ctx.signal);
  if (before.verdict !== 'healthy') {
    ctx.report.add({ id: `upgrade:health:${h.label}`, kind: 'services', target: h.label, status: 'fail', message: `Unhealthy before its upgrade, so not upgraded: ${describeServices(before)}` });
    throw new HostUnhealthyError(`${h.label}: services unhealthy before the upgrade (${describeServices(before)}); not upgraded, and the rollout stops here`);
  }

  let upgraded: UpgradePlan['packages'] = [];
  let remaining = 0;
  if (plan.packages.length === 0) {
    ctx.log.info(`${h.label}: nothing to upgrade.`);
  } else {
    ctx.log.info(`${h.label}: apt-get upgrade -y (${plan.packages.length} packages)…`);
    let lines = 0;
    await aptUpgrade(h.session, bounds, (line) => {
      // Progress lines (Unpacking/Setting up) as they come; the rest is in the debug log.
      if (/^(Unpacking|Setting up|Preparing to unpack|Processing triggers)/.test(line)) ctx.log.info(`${h.label}: ${line}`);
      else ctx.log.debug(`${h.label}: ${line}`);
      lines++;
    });
    const after = await simulateUpgrade(h.session, bounds);
    const left = new Set(after.packages.map((p) => p.name));
    upgraded = plan.packages.filter((p) => !left.has(p.name));
    remaining = after.packages.length;
    ctx.log.info(`${h.label}: upgraded ${upgraded.length} package${upgraded.length === 1 ? '' : 's'} (${lines} lines of apt output); ${remaining} still upgradable.`);
  }
  ctx.report.add({
    id: `upgrade:${h.label}`,
    kind: 'apt-upgrade',
    target: h.label,
    status: remaining ? 'warn' : 'ok',
    value: upgraded.length,
    unit: 'upgraded',
    message: `${upgraded.length} upgraded (${upgraded.filter((p) => p.security).length} security)${remaining ? `; ${remaining} still upgradable (kept back: ${plan.keptBack.join(', ') || 'see apt'})` : ''}`,
    details: upgraded.length ? upgraded.map((p) => `${p.name} ${p.from} → ${p.to}${p.security ? ' (security)' : ''}`).join('\n') : undefined
  });

  const reboot = { ...(await readRebootRequired(h.session)), rebooted: false };
  if (reboot.required && inputs.reboot) {
    ctx.log.info(`${h.label}: reboot required (${reboot.packages.join(', ') || 'no package named'}): rebooting and waiting up to ${Math.round(inputs.rebootTimeoutMs / 1000)} s…`);
    const back = await rebootAndWait(h.session, () => SshSession.connect(h.target, inputs.ssh), { timeoutMs: inputs.rebootTimeoutMs, signal: ctx.signal, log: ctx.log.info });
    h.session = back.session;
    ctx.cleanups.add(`close the SSH connection to ${h.label} (after its reboot)`, () => back.session.close());
    reboot.rebooted = true;
    ctx.log.info(`${h.label}: back after ${Math.round(back.downMs / 1000)} s.`);
  }
  ctx.report.add({
    id: `upgrade:reboot:${h.label}`,
    kind: 'reboot',
    target: h.label,
    status: reboot.required && !reboot.rebooted ? 'warn' : 'ok',
    message: reboot.rebooted
      ? `Rebooted (required by ${reboot.packages.join(', ') || 'the system'}) and back`
      : reboot.required
        ? `Reboot required by ${reboot.packages.join(', ') || 'the system'} (/var/run/reboot-required); not rebooted: run again with reboot: true, or reboot by hand`
        : 'No reboot required'
  });

  const after = await waitForHealthyServices(h, ctx.config.services, inputs.healthTimeoutMs, ctx.signal, (j) =>
    ctx.log.info(`${h.label}: waiting for the services: ${describeServices(j)}`)
  );
  ctx.report.add({
    id: `upgrade:health:${h.label}`,
    kind: 'services',
    target: h.label,
    status: after.verdict === 'healthy' && !(after.empty && !before.empty) ? 'ok' : 'fail',
    message: after.empty && !before.empty ? `No container of compose project ${h.project.name} found after the upgrade` : `After the upgrade${reboot.rebooted ? ' and reboot' : ''}: ${describeServices(after)}`
  });
  if (after.verdict !== 'healthy' || (after.empty && !before.empty)) {
    throw new HostUnhealthyError(`${h.label}: services not healthy after the upgrade within ${Math.round(inputs.healthTimeoutMs / 1000)} s (${after.empty ? 'no containers' : describeServices(after)}); the rollout stops here`);
  }
  return { upgraded, remaining, reboot };
}
