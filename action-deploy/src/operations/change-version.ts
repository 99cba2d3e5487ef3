// Rollout and rollback: one version change rolled over the hosts (host by host, or `max-parallel` at a
// time), stopping at the first host that fails. Every host is checked first — the image present or
// pullable, the env file readable — so a version that cannot run anywhere changes nothing anywhere.
import { mapLimit, runOnHostsRolling, type ActionResult, type Check, type RunContext } from '../../../shared/src/index.js';
import { DEPLOY_OUTPUTS, readinessProbe, type DeployInputs } from '../inputs.js';
import { appendAudit, auditEntry, type AuditEntry } from '../rollout/audit.js';
import { readEnvFile } from '../rollout/env-file.js';
import { sessionForUndo, type HostContext } from '../rollout/host-context.js';
import { UnhealthyReleaseError } from '../rollout/replace-containers.js';
import { changeVersion, planHost, type HostPlan, type VersionChange } from '../rollout/roll-host.js';
import { verifyPublic } from '../rollout/verify-public.js';
import { startDeploymentRecord } from './deployment-record.js';
import { openHosts, type Hosts } from './hosts.js';

/** How the version to deploy is found once the hosts are open (rollback reads it from the audit log). */
export type VersionSource = (hosts: Hosts) => Promise<string>;

/** Rolls `service` to the version `source` gives, over every target host. */
export async function runVersionChange(
  operation: 'rollout' | 'rollback',
  inputs: DeployInputs,
  ctx: RunContext,
  source: VersionSource
): Promise<ActionResult> {
  const service = inputs.service as string;
  const hosts = await openHosts(inputs, ctx, `${operation} ${service}${inputs.version ? ` ${inputs.version}` : ''}`);
  const version = await source(hosts);
  const change: VersionChange = {
    service,
    version,
    replicas: inputs.replicas,
    healthTimeoutMs: inputs.healthTimeoutMs,
    probe: readinessProbe(inputs),
    pull: operation === 'rollout'
  };
  ctx.log.info(`${operation} of ${service} to ${version} on ${hosts.list.map((h) => h.label).join(', ')} (${inputs.maxParallel} at a time).`);
  const plans = new Map<HostContext, HostPlan>();
  await mapLimit(hosts.list, inputs.ssh.options.parallel, async (h) => {
    const plan = await planHost(h, change);
    plans.set(h, plan);
    ctx.log.info(`${h.label}: ${service} runs ${plan.variable}=${plan.previous ?? '(unset)'}; ${plan.image} is ${plan.availability}.`);
  });
  const previous = plans.get(hosts.list[0])?.previous;
  const record = await startDeploymentRecord(inputs, ctx, { service, version, hosts: hosts.list.map((h) => h.label) });

  const outcomes = await runOnHostsRolling(hosts.targets, { maxParallel: inputs.maxParallel }, async (target) => {
    const h = hosts.of(target);
    const plan = plans.get(h) as HostPlan;
    const audit = async (result: AuditEntry['result'], message: string): Promise<string | undefined> =>
      appendAudit(await sessionForUndo(h), h.project.dir, auditEntry(ctx.runUrl, { operation, service, from: plan.previous, to: version, result, message }));
    // One audit line per host and run: a rolled-back host is recorded as such, not once more as a failure.
    let audited = false;
    try {
      const result = await changeVersion(h, change, plan);
      const problem = inputs.healthUrl ? await verifyPublic(inputs.healthUrl, { deadlineMs: 15_000, attemptTimeoutMs: 5000, signal: ctx.signal }) : undefined;
      if (problem) {
        // The new release runs but the public URL says no: put the previous version back the same way.
        const back = plan.previous;
        if (back) await changeVersion(h, { ...change, version: back, pull: false }, { ...plan, envContent: await readEnvFile(h.session, plan.envPath) });
        audited = true;
        await audit('rolled-back', `${inputs.healthUrl} ${problem} after the ${operation}; ${back ? `rolled back to ${back}` : 'no previous version to roll back to'}`);
        throw new Error(`${h.label}: ${inputs.healthUrl} ${problem} after the ${operation}; ${back ? `rolled back to ${back}` : 'no previous version to roll back to'}`);
      }
      const message = `${service} ${plan.previous ?? '(unset)'} → ${version}: ${result.started.length} new replica(s) healthy (${result.judgedBy}), ${result.removed.length} old removed, in ${(result.durationMs / 1000).toFixed(1)} s`;
      const auditProblem = await audit('success', message);
      ctx.report.add({ id: `deploy:${h.label}`, kind: 'deploy', target: h.label, status: auditProblem ? 'warn' : 'ok', value: version, message: auditProblem ? `${message}; ${auditProblem}` : message });
      return result;
    } catch (e) {
      const error = e as Error;
      // A broken connection can surface as whatever ssh2 said of the command in flight ('Unable to
      // exec'): the report says the connection was lost (the undo ran on a new one).
      const lost = h.session.lostReason;
      const why = lost && !error.message.includes('was lost') ? `${h.label}: the SSH connection was lost (${lost}): ${error.message}` : error.message;
      if (!audited) await audit('failure', why).catch(() => undefined);
      const check: Check = { id: `deploy:${h.label}`, kind: 'deploy', target: h.label, status: 'fail', value: plan.previous, message: `${why}; ${service} stays on ${plan.previous ?? 'what it ran'}` };
      if (e instanceof UnhealthyReleaseError && e.evidence) check.details = e.evidence;
      ctx.report.add(check);
      throw e;
    }
  });
  for (const o of outcomes) {
    if (o.ok === false && 'skipped' in o && o.skipped) {
      ctx.report.add({ id: `deploy:${o.target.name}`, kind: 'deploy', target: o.target.name, status: 'warn', message: `${o.reason}; still on ${plans.get(hosts.of(o.target))?.previous ?? 'its version'}` });
    }
  }
  const failed = outcomes.some((o) => !o.ok);
  await record.setState(failed ? 'failure' : 'success', failed ? `${operation} of ${service} ${version} stopped` : `${service} ${version} on ${hosts.list.length} host(s)`);
  return { outputs: { [DEPLOY_OUTPUTS.previousVersion]: previous ?? '', [DEPLOY_OUTPUTS.deployedVersion]: failed ? (previous ?? '') : version } };
}

