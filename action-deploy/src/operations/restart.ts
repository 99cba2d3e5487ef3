// `restart`: the runbook's `docker-compose restart api`, done without dropping a request: each replica
// in turn is replaced by a fresh one of the same release, which must be healthy before the old one goes.
import { listServiceContainers, runOnHostsRolling, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import { readinessProbe, type DeployInputs } from '../inputs.js';
import { appendAudit, auditEntry } from '../rollout/audit.js';
import { servingContainers } from '../rollout/decide.js';
import { replaceContainers, UnhealthyReleaseError } from '../rollout/replace-containers.js';
import { openHosts } from './hosts.js';
import { reportSkipped } from './report-hosts.js';

export async function restart(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  const service = inputs.service as string;
  const hosts = await openHosts(inputs, ctx, `restart ${service}`);
  const outcomes = await runOnHostsRolling(hosts.targets, { maxParallel: inputs.maxParallel }, async (target) => {
    const h = hosts.of(target);
    const running = servingContainers(await listServiceContainers(h.session, { project: h.project.name, service })).length;
    if (running === 0) throw new Error(`${h.label}: no running ${service} container to restart (use 'scale' to start it)`);
    try {
      const probe = readinessProbe(inputs);
      const r = await replaceContainers(h, { service, batch: 1, replicas: running, healthTimeoutMs: inputs.healthTimeoutMs, probe });
      const message = `${service}: ${r.started.length} replica(s) replaced one at a time (${r.judgedBy}) in ${(r.durationMs / 1000).toFixed(1)} s`;
      await appendAudit(h.session, h.project.dir, auditEntry(ctx.runUrl, { operation: 'restart', service, result: 'success', message }));
      ctx.report.add({ id: `restart:${h.label}`, kind: 'deploy', target: h.label, status: 'ok', value: running, unit: 'replicas', message });
    } catch (e) {
      ctx.report.add({ id: `restart:${h.label}`, kind: 'deploy', target: h.label, status: 'fail', message: (e as Error).message, details: e instanceof UnhealthyReleaseError ? e.evidence : undefined });
      throw e;
    }
  });
  reportSkipped(ctx, outcomes, 'restart');
  return {};
}
