// The runbook's `doctl compute load-balancer get <lb-id>`: the DigitalOcean load balancer's status and
// its Droplets (each one's own status), through the core's DigitalOcean client. Read-only.
import { createDigitalOceanClient, markdownTable, type DoDroplet, type DoLoadBalancer } from '../../../shared/src/index.js';
import { diagnosis, type Diagnosis, type Fault } from '../incident/diagnosis.js';

const FAMILY = 'load balancer';

/** The faults of one load balancer: not active, no Droplets, or Droplets that are not active (or gone). */
export function judgeLoadBalancer(lb: DoLoadBalancer, droplets: readonly DoDroplet[]): Fault[] {
  const target = `load balancer ${lb.name} (${lb.id})`;
  const faults: Fault[] = [];
  if (lb.status !== 'active') faults.push({ family: FAMILY, target, severity: 'fail', message: `status is '${lb.status ?? 'unknown'}', not 'active'` });
  if (lb.dropletIds.length === 0) faults.push({ family: FAMILY, target, severity: 'fail', message: lb.tag ? `no Droplet carries its tag '${lb.tag}'` : 'has no Droplets behind it' });
  for (const id of lb.dropletIds) {
    const d = droplets.find((x) => x.id === id);
    if (!d) faults.push({ family: FAMILY, target, severity: 'fail', message: `Droplet ${id} behind it no longer exists` });
    else if (d.status !== 'active') faults.push({ family: FAMILY, target, severity: 'fail', message: `Droplet ${d.name} (${id}) behind it is '${d.status}'` });
  }
  return faults;
}

export async function diagnoseLoadBalancer(opts: { token: string; apiUrl: string; loadBalancer?: string; timeoutMs: number }): Promise<Diagnosis> {
  const d = diagnosis(FAMILY);
  const client = createDigitalOceanClient({ token: opts.token, baseUrl: opts.apiUrl, timeoutMs: Math.min(opts.timeoutMs, 30_000), tokenName: "input 'digitalocean-token'" });
  const all = await client.listLoadBalancers();
  const chosen = opts.loadBalancer ? all.filter((lb) => lb.id === opts.loadBalancer || lb.name === opts.loadBalancer) : all;
  if (opts.loadBalancer && chosen.length === 0) {
    d.faults.push({ family: FAMILY, target: opts.loadBalancer, severity: 'fail', message: `no load balancer with that id or name in the account (${all.length} found: ${all.map((lb) => lb.name).join(', ') || 'none'})` });
    return d;
  }
  if (chosen.length === 0) {
    d.notes.push('Load balancer: the DigitalOcean account has none.');
    return d;
  }
  const droplets = await client.listDroplets();
  const rows: Array<Array<string | number>> = [];
  for (const lb of chosen) {
    d.faults.push(...judgeLoadBalancer(lb, droplets));
    const behind = lb.dropletIds.map((id) => {
      const x = droplets.find((y) => y.id === id);
      return x ? `${x.name} (${x.status})` : `${id} (missing)`;
    });
    rows.push([lb.name, lb.id, lb.status ?? '—', lb.ip ?? '—', lb.region ?? '—', behind.join(', ') || '—']);
  }
  d.sections.push({ title: 'DigitalOcean load balancer (doctl compute load-balancer get)', markdown: markdownTable(['Name', 'Id', 'Status', 'IP', 'Region', 'Droplets'], rows) });
  return d;
}
