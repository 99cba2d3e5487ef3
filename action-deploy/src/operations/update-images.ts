// `update-images`: the runbook's weekly `docker-compose pull && docker-compose up -d`, done safely: pull,
// then roll (docker-rollout method) only the services whose image actually changed. Only services the
// ops config declares under `services` are rolled; another service whose image changed (a database,
// a host-networked agent) is reported, since running it twice side by side is not safe to assume.
import { composeCommand, listServiceContainers, runOnHostsRolling, shellJoin, type ActionResult, type RunContext, type ServiceContainer } from '../../../shared/src/index.js';
import type { DeployInputs } from '../inputs.js';
import { appendAudit, auditEntry } from '../rollout/audit.js';
import { servingContainers } from '../rollout/decide.js';
import type { HostContext } from '../rollout/host-context.js';
import { replaceContainers, UnhealthyReleaseError } from '../rollout/replace-containers.js';
import { openHosts } from './hosts.js';
import { reportSkipped } from './report-hosts.js';

export async function updateImages(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  const declared = new Set(ctx.config.services.map((s) => s.name));
  const hosts = await openHosts(inputs, ctx, 'update images');
  const outcomes = await runOnHostsRolling(hosts.targets, { maxParallel: inputs.maxParallel }, async (target) => {
    const h = hosts.of(target);
    const only = inputs.service ? [inputs.service] : [];
    await h.session.execChecked(composeCommand(h.project, ['pull', '--quiet', ...only]), { label: 'compose pull', timeoutMs: 15 * 60_000 });
    const serving = servingContainers(await listServiceContainers(h.session, { project: h.project.name, service: inputs.service }));
    const byService = new Map<string, ServiceContainer[]>();
    for (const c of serving) byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
    for (const [service, list] of byService) {
      const latest = await imageId(h, list[0].image);
      const stale = list.filter((c) => c.imageId !== latest);
      const id = `update:${h.label}:${service}`;
      if (stale.length === 0) {
        ctx.report.add({ id, kind: 'deploy', target: `${h.label}: ${service}`, status: 'ok', message: `${list[0].image} is current` });
        continue;
      }
      if (!declared.has(service)) {
        ctx.report.add({ id, kind: 'deploy', target: `${h.label}: ${service}`, status: 'warn', message: `${list[0].image} has a newer image; not rolled: declare '${service}' under services in the ops config to roll it, or recreate it by hand` });
        continue;
      }
      try {
        const r = await replaceContainers(h, { service, batch: list.length, replicas: list.length, healthTimeoutMs: inputs.healthTimeoutMs });
        const message = `${list[0].image}: rolled to the new image (${r.started.length} replica(s), ${r.judgedBy}) in ${(r.durationMs / 1000).toFixed(1)} s`;
        await appendAudit(h.session, h.project.dir, auditEntry(ctx.runUrl, { operation: 'update-images', service, result: 'success', message }));
        ctx.report.add({ id, kind: 'deploy', target: `${h.label}: ${service}`, status: 'ok', message });
      } catch (e) {
        ctx.report.add({ id, kind: 'deploy', target: `${h.label}: ${service}`, status: 'fail', message: (e as Error).message, details: e instanceof UnhealthyReleaseError ? e.evidence : undefined });
        throw e;
      }
    }
  });
  reportSkipped(ctx, outcomes, 'update');
  return {};
}

async function imageId(h: HostContext, image: string): Promise<string> {
  return (await h.session.execChecked(shellJoin(['docker', 'image', 'inspect', '--format', '{{.Id}}', image]), { label: 'docker image inspect', timeoutMs: 30_000 })).stdout.trim();
}
