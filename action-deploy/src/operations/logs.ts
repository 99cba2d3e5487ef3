// `logs`: the runbook's `docker-compose logs --tail=N`, per host and service, into the summary (secrets
// scrubbed, folded per container). Read-only: takes no lock.
import { fence, listServiceContainers, readContainerLogs, runOnHosts, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import type { DeployInputs } from '../inputs.js';
import { openHosts } from './hosts.js';

export async function logs(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  const hosts = await openHosts(inputs, ctx);
  const outcomes = await runOnHosts(hosts.targets, inputs.ssh.options.parallel, async (target) => {
    const h = hosts.of(target);
    const containers = await listServiceContainers(h.session, { project: h.project.name, service: inputs.service });
    const text = await readContainerLogs(h.session, containers.map((c) => c.id), { lines: inputs.logLines });
    for (const c of containers) {
      ctx.report.section({ title: `${h.label}: ${c.name} (last ${inputs.logLines} lines)`, markdown: `<details><summary>${c.image}, ${c.state}</summary>\n\n${fence(text[c.id] || '(no output)')}\n\n</details>` });
    }
    ctx.report.add({ id: `logs:${h.label}`, kind: 'service', target: h.label, status: 'ok', value: containers.length, unit: 'containers', message: `last ${inputs.logLines} log lines of ${containers.length} container(s)` });
  });
  for (const o of outcomes) if (!o.ok) ctx.report.add({ id: `logs:${o.target.name}`, kind: 'service', target: o.target.name, status: 'fail', message: o.error.message });
  return {};
}
