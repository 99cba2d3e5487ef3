// Reads everything the report needs from the DigitalOcean API: balance, invoices, billing history and
// the inventory, every list across all its pages. A few requests at a time: DO limits bursts.
import { mapLimit, type DigitalOceanClient, type DoAccount, type DoBalance, type DoBillingEntry, type DoInvoiceList, type DoRegistryManifest, type DoSize } from '../../../shared/src/index.js';
import type { Inventory } from '../pricing/price-list.js';

export interface AccountData extends Inventory {
  account: DoAccount;
  balance: DoBalance;
  invoices: DoInvoiceList;
  billingHistory: DoBillingEntry[];
  sizes: DoSize[];
  manifests: Array<{ repository: string; manifests: DoRegistryManifest[] }>;
}

/** At most this many API requests in flight. */
const PARALLEL = 4;

export async function readAccount(client: DigitalOceanClient): Promise<AccountData> {
  const jobs = {
    account: () => client.getAccount(),
    balance: () => client.getBalance(),
    invoices: () => client.listInvoices(),
    billingHistory: () => client.listBillingHistory(),
    droplets: () => client.listDroplets(),
    databases: () => client.listDatabases(),
    volumes: () => client.listVolumes(),
    snapshots: () => client.listSnapshots(),
    // Snapshot-type images are the droplet snapshots listed above; custom images are billed the same way.
    images: async () => (await client.listImages({ private: true })).filter((i) => i.type === 'custom'),
    loadBalancers: () => client.listLoadBalancers(),
    sizes: () => client.listSizes(),
    registry: () => client.getRegistry()
  } as const;
  const names = Object.keys(jobs) as Array<keyof typeof jobs>;
  const values = await mapLimit(names, PARALLEL, (name) => jobs[name]() as Promise<unknown>);
  const got = Object.fromEntries(names.map((n, i) => [n, values[i]])) as { [K in keyof typeof jobs]: Awaited<ReturnType<(typeof jobs)[K]>> };
  const manifests: AccountData['manifests'] = [];
  if (got.registry) {
    const registry = got.registry.name;
    const repos = await client.listRegistryRepositories(registry);
    const lists = await mapLimit(repos, PARALLEL, (r) => client.listRegistryManifests(registry, r.name));
    repos.forEach((r, i) => manifests.push({ repository: r.name, manifests: lists[i] }));
  }
  return { ...got, manifests };
}
