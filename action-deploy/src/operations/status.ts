// `status`: the runbook's `docker-compose ps`, per host and service, as a table with image, state and
// health, uptime and restarts. Read-only: takes no lock.
import { listServiceContainers, markdownTable, runOnHosts, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import type { DeployInputs } from '../inputs.js';
import { openHosts } from './hosts.js';

export async function status(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  const hosts = await openHosts(inputs, ctx);
  const rows: Array<Array<string | number>> = [];
  const outcomes = await runOnHosts(hosts.targets, inputs.ssh.options.parallel, async (target) => {
    const h = hosts.of(target);
    const containers = await listServiceContainers(h.session, { project: h.project.name, service: inputs.service });
    const configured = new Map(ctx.config.services.map((s) => [s.name, s.replicas]));
    const byService = new Map<string, typeof containers>();
    for (const c of containers) byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
    for (const [service, list] of byService) {
      const running = list.filter((c) => c.running);
      const unhealthy = running.filter((c) => c.health === 'unhealthy');
      const want = configured.get(service);
      const short = want !== undefined && running.length < want;
      ctx.report.add({
        id: `status:${h.label}:${service}`,
        kind: 'service',
        target: `${h.label}: ${service}`,
        status: running.length === 0 || unhealthy.length ? 'fail' : short ? 'warn' : 'ok',
        value: running.length,
        unit: 'running',
        threshold: want !== undefined ? `${want} configured` : undefined,
        message: `${running.length} running${unhealthy.length ? `, ${unhealthy.length} unhealthy` : ''}${list.length > running.length ? `, ${list.length - running.length} stopped` : ''}; ${[...new Set(list.map((c) => c.image))].join(', ')}`
      });
      for (const c of list) rows.push([h.label, service, c.name, c.image, c.health ? `${c.state} (${c.health})` : c.state, uptime(c.startedAt, c.running), c.restartCount]);
    }
  });
  for (const o of outcomes) if (!o.ok) ctx.report.add({ id: `status:${o.target.name}`, kind: 'service', target: o.target.name, status: 'fail', message: o.error.message });
  if (rows.length) ctx.report.section({ title: 'Containers', markdown: markdownTable(['Host', 'Service', 'Container', 'Image', 'State', 'Up', { title: 'Restarts', align: 'right' }], rows) });
  return {};
}

function uptime(startedAt: string | null, running: boolean): string {
  if (!running || !startedAt) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} d`;
}
