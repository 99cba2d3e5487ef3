// `scale`: the runbook's `docker-compose up -d --scale api=N`, without recreating what runs: up adds new
// replicas (healthy before the step goes on), down stops the newest first with their grace period.
import { listServiceContainers, runOnHostsRolling, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import { readinessProbe, type DeployInputs } from '../inputs.js';
import { appendAudit, auditEntry } from '../rollout/audit.js';
import { servingContainers } from '../rollout/decide.js';
import type { HostContext } from '../rollout/host-context.js';
import { removeContainers, replaceContainers } from '../rollout/replace-containers.js';
import { openHosts } from './hosts.js';
import { reportSkipped } from './report-hosts.js';

export async function scale(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  const service = inputs.service as string;
  const want = inputs.replicas as number;
  const hosts = await openHosts(inputs, ctx, `scale ${service} to ${want}`);
  const outcomes = await runOnHostsRolling(hosts.targets, { maxParallel: inputs.maxParallel }, async (target) => {
    const h = hosts.of(target);
    const serving = servingContainers(await listServiceContainers(h.session, { project: h.project.name, service }));
    let message: string;
    try {
      if (want > serving.length) {
        // Growing is a replacement of nothing: new replicas started and health-checked, none retired.
        await growBy(h, inputs, service, serving.length, want);
        message = `${service}: ${serving.length} → ${want} replicas (new ones healthy)`;
      } else if (want < serving.length) {
        const excess = serving.slice(want);
        await removeContainers(h, excess);
        message = `${service}: ${serving.length} → ${want} replicas (stopped ${excess.map((c) => c.name).join(', ')})`;
      } else {
        message = `${service}: already ${want} replicas`;
      }
    } catch (e) {
      ctx.report.add({ id: `scale:${h.label}`, kind: 'deploy', target: h.label, status: 'fail', message: (e as Error).message });
      throw e;
    }
    await appendAudit(h.session, h.project.dir, auditEntry(ctx.runUrl, { operation: 'scale', service, result: 'success', message }));
    ctx.report.add({ id: `scale:${h.label}`, kind: 'deploy', target: h.label, status: 'ok', value: want, unit: 'replicas', message });
  });
  reportSkipped(ctx, outcomes, 'scale');
  return {};
}

/** Starts `want - have` new replicas beside the running ones, each healthy before the step goes on; retires none. */
async function growBy(h: HostContext, inputs: DeployInputs, service: string, have: number, want: number): Promise<void> {
  const probe = readinessProbe(inputs);
  await replaceContainers(h, { service, batch: want - have, replicas: want - have, healthTimeoutMs: inputs.healthTimeoutMs, probe, keepOld: true });
}
