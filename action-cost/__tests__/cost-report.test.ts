// action-cost's bundle run as the runner runs it against the DigitalOcean stand-in (every request and
// response checked against DO's own OpenAPI description): the full report, whose totals must equal
// sums this test computes on its own from the stand-in's data; every list read across several pages;
// a 429 then success; a 401 that names the token and its scope; the token masked everywhere; the
// projection on the first and last moments of a month (the usage figure's own time is the clock);
// right-sizing from action-health's stored samples, and the report saying so when there are none.
import { afterEach, describe, expect, it } from '@jest/globals';
import { a2aWorldFixtures, startDigitalOceanStandin, type DigitalOceanFixtures, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/index.js';
import { busyAccount } from '../../test-support/cost-account.js';
import { costStateDir, runCost } from '../../test-support/cost-run.js';
import type { BundleRun } from '../../test-support/run-bundle.js';

let s: DigitalOceanStandin | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function standin(opts: Parameters<typeof startDigitalOceanStandin>[0] = {}): Promise<DigitalOceanStandin> {
  s = await startDigitalOceanStandin(opts);
  return s;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);

/**
 * The report's figures computed here from the stand-in's raw data, in cents, without the action's code:
 * DO's list prices per GiB-month for volumes (10¢) and snapshots and custom images (6¢), 20 % for
 * backups, $30 per node of db-s-1vcpu-2gb, $12 per load balancer node, the registry tier plus 2¢ per
 * started GiB over its included storage. Each resource rounded to the cent, then summed.
 */
function expectedFigures(data: DigitalOceanFixtures, now: Date, snapshotAgeDays: number) {
  const cents = (dollars: unknown) => Math.round(num(dollars) * 100);
  const droplets = data.droplets.reduce((n, d) => n + cents((d.size as Row).price_monthly), 0);
  const backups = data.droplets.filter((d) => (d.features as string[]).includes('backups')).reduce((n, d) => n + Math.round((cents((d.size as Row).price_monthly) * 20) / 100), 0);
  const databases = data.databases.reduce((n, d) => n + ({ 'db-s-1vcpu-2gb': 3000 } as Record<string, number>)[d.size as string] * num(d.num_nodes), 0);
  const volumes = data.volumes.reduce((n, v) => n + Math.round(num(v.size_gigabytes) * 10), 0);
  const snapshots = data.snapshots.reduce((n, x) => n + Math.round(num(x.size_gigabytes) * 6), 0);
  const custom = (data.images ?? []).filter((i) => i.public === false && i.type === 'custom');
  const images = custom.reduce((n, i) => n + Math.round(num(i.size_gigabytes) * 6), 0);
  const lbs = data.loadBalancers.reduce((n, lb) => n + 1200 * num(lb.size_unit), 0);
  const tier = (data.registrySubscription as Row).tier as Row;
  const overBytes = Math.max(0, num(data.registry?.storage_usage_bytes) - num(tier.included_storage_bytes));
  const registry = num(tier.monthly_price_in_cents) + Math.ceil(overBytes / 2 ** 30) * num(tier.storage_overage_price_in_cents);
  const inventory = droplets + backups + databases + volumes + snapshots + images + lbs + registry;

  const usage = cents(data.balance.month_to_date_usage);
  const asOf = new Date(String(data.balance.generated_at));
  const monthStart = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1);
  const monthMs = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() + 1, 1) - monthStart;
  const projected = usage + Math.round((inventory * (monthMs - (asOf.getTime() - monthStart))) / monthMs);

  const old = (iso: unknown) => now.getTime() - Date.parse(String(iso)) > snapshotAgeDays * 86_400_000;
  const untagged = (data.registryRepositories ?? []).flatMap((r) => r.manifests).filter((m) => (m.tags as string[]).length === 0);
  const untaggedBytes = untagged.reduce((n, m) => n + num(m.compressed_size_bytes), 0);
  const registrySaving = (Math.ceil(overBytes / 2 ** 30) - Math.ceil(Math.max(0, overBytes - untaggedBytes) / 2 ** 30)) * num(tier.storage_overage_price_in_cents);
  const cleanup =
    data.snapshots.filter((x) => old(x.created_at)).reduce((n, x) => n + Math.round(num(x.size_gigabytes) * 6), 0) +
    custom.filter((i) => old(i.created_at)).reduce((n, i) => n + Math.round(num(i.size_gigabytes) * 6), 0) +
    data.volumes.filter((v) => (v.droplet_ids as number[]).length === 0).reduce((n, v) => n + Math.round(num(v.size_gigabytes) * 10), 0) +
    data.droplets
      .filter((d) => d.status === 'off')
      .reduce((n, d) => n + cents((d.size as Row).price_monthly) + ((d.features as string[]).includes('backups') ? Math.round((cents((d.size as Row).price_monthly) * 20) / 100) : 0), 0) +
    registrySaving;
  const invoices = [...data.invoices].sort((a, b) => String(a.invoice_period).localeCompare(String(b.invoice_period))).map((i) => cents(i.amount));
  return { droplets, backups, databases, volumes, snapshots, images, lbs, registry, inventory, usage, projected, cleanup, invoices, count: data.droplets.length * 2 + data.databases.length + data.volumes.length + data.snapshots.length + custom.length + data.loadBalancers.length + 1 };
}

const dollars = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const visible = (r: BundleRun): string => [r.stdout.replace(/::add-mask::.*\n/g, ''), r.stderr, JSON.stringify(r.outputs), r.summary].join('\n');
const check = (r: BundleRun, id: string) => r.report?.checks.find((c) => c.id === id);

describe('action-cost bundle against the DigitalOcean stand-in', () => {
  it('writes the full report whose totals equal the sums computed here from the stand-in\'s data', async () => {
    const d = await standin();
    // The monitoring droplet powered off: still billed, so a clean-up candidate with its backups.
    d.data.droplets[2].status = 'off';
    const r = await runCost(d, { inputs: { 'budget-usd': '1000', 'alert-percent': 'off' } });
    const started = new Date();
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const e = expectedFigures(d.data, started, 90);

    expect(r.outputs.status).toBe('ok');
    expect(r.outputs['month-to-date-usd']).toBe(dollars(e.usage));
    expect(r.outputs['projected-usd']).toBe(dollars(e.projected));
    expect(check(r, 'cost:inventory')?.value).toBe(Number(dollars(e.inventory)));
    expect(check(r, 'cost:budget')?.value).toBe(Number(dollars(e.projected)));

    // The change comes first: the headline, then the budget check, then the tables.
    const summary = r.summary;
    const firstLines = summary.split('\n').slice(0, 6).join('\n');
    expect(firstLines).toMatch(new RegExp(`> Projected month-end \\$${dollars(e.projected).replace('.', '\\.')} for `));
    expect(summary.indexOf('Projected month-end')).toBeLessThan(summary.indexOf('### Monthly run rate by category'));
    for (const [category, cents] of [
      ['Droplets', e.droplets],
      ['Droplet backups', e.backups],
      ['Databases', e.databases],
      ['Volumes', e.volumes],
      ['Snapshots', e.snapshots],
      ['Images', e.images],
      ['Load balancers', e.lbs],
      ['Container registry', e.registry]
    ] as const) {
      expect(summary).toMatch(new RegExp(`\\| ${category} \\| \\d+ \\| \\$${dollars(cents).replace('.', '\\.')} \\|`));
      expect(summary).toContain(`"${category}" : ${dollars(cents)}`);
    }
    expect(summary).toContain(`| **Total** | ${e.count} | **$${dollars(e.inventory)}** |`);
    expect(summary).toContain(`### Clean-up candidates: $${dollars(e.cleanup)} a month`);
    expect(summary).toContain(`| **Total** |  |  | **$${dollars(e.cleanup)}** |`);
    // Billing by month, each invoice as DO sent it, and the chart of them with the projection last.
    for (const cents of e.invoices) expect(summary).toContain(`| $${dollars(cents)} |`);
    expect(summary).toContain(`bar [${[...e.invoices, e.projected].map(dollars).join(', ')}]`);
    expect(summary).toContain('```mermaid\npie showData');
    expect(summary).toContain('xychart-beta');
    // Details folded; every resource in the inventory with its price.
    expect(summary).toMatch(/<details><summary>\d+ resources, \$[\d.]+ a month<\/summary>/);
    expect(summary).toContain('<details><summary>Projection, cross-check and balance</summary>');
    for (const name of ['app-1', 'app-2', 'monitoring', 'a2a-db', 'a2a-backups', 'old-data', 'a2a-lb', 'a2a-world', 'a2a-base 2025-05']) expect(summary).toContain(`| ${name} |`);
    expect(summary).toContain('| old-data | unattached, 50 GiB | $5.00 |');
    expect(summary).toMatch(/\| droplet \| monitoring \| powered off but still billed \(s-1vcpu-2gb\)[^|]* \| \$14\.40 \|/);
    expect(summary).toMatch(/\| registry-image \| a2a-api@sha256:c04b7e19d2a8 \| no tag points to it/);
    // The billing history as DO sent it: every invoice and payment, payments negative.
    for (const h of d.data.billingHistory) {
      const c = Math.round(Number(h.amount) * 100);
      expect(summary).toContain(`| ${String(h.date).slice(0, 10)} | ${h.type} | ${h.description} | ${c < 0 ? '-' : ''}$${dollars(Math.abs(c))} |`);
    }
    expect(summary).toContain('| Account | ops@a2aworld.ai (team A2A World), active |');
    // No health history: the report says so rather than staying silent.
    expect(summary).toContain('No health history: action-health has stored no host samples');
    expect(d.violations).toEqual([]);
    // The database password the cluster list carries never reaches the report.
    expect(visible(r)).not.toContain('standin-not-a-secret');
  });

  it('reads every list across several pages (one item per page) and reports the same totals', async () => {
    const d = await standin({ maxPerPage: 1 });
    const r = await runCost(d, { inputs: { 'alert-percent': 'off' } });
    expect(r.exitCode).toBe(0);
    const e = expectedFigures(d.data, new Date(), 90);
    expect(r.outputs['projected-usd']).toBe(dollars(e.projected));
    expect(check(r, 'cost:inventory')?.value).toBe(Number(dollars(e.inventory)));
    const pages = (path: string) => d.requests.filter((q) => q.path === path && q.status === 200).length;
    expect({
      droplets: pages('/v2/droplets'),
      volumes: pages('/v2/volumes'),
      snapshots: pages('/v2/snapshots'),
      images: pages('/v2/images'),
      invoices: pages('/v2/customers/my/invoices'),
      sizes: pages('/v2/sizes'),
      loadBalancers: pages('/v2/load_balancers'),
      repositories: pages('/v2/registry/a2a-world/repositoriesV2'),
      apiImages: pages('/v2/registry/a2a-world/repositories/a2a-api/digests'),
      frontendImages: pages('/v2/registry/a2a-world/repositories/a2a-frontend/digests')
    }).toEqual({ droplets: 3, volumes: 2, snapshots: 4, images: 2, invoices: 3, sizes: 6, loadBalancers: 1, repositories: 2, apiImages: 4, frontendImages: 2 });
    expect(d.violations).toEqual([]);
  });

  it('keeps a busy account\'s summary short (tables capped, biggest savings first) while its totals still count every resource', async () => {
    const d = await standin({ fixtures: busyAccount() });
    const r = await runCost(d, { inputs: { 'alert-percent': 'off', 'snapshot-age-days': '30' } });
    expect(r.exitCode).toBe(0);
    const e = expectedFigures(d.data, new Date(), 30);
    expect(d.requests.filter((q) => q.path === '/v2/snapshots')).toHaveLength(3);
    expect(check(r, 'cost:inventory')?.value).toBe(Number(dollars(e.inventory)));
    expect(r.summary).toContain(`### Clean-up candidates: $${dollars(e.cleanup)} a month`);
    expect(r.summary).toMatch(/…and \d+ more, \$[\d.]+ a month together \(in the totals above\)\./);
    const savings = [...r.summary.matchAll(/^\| (?:snapshot|volume|image|droplet|registry-image) \| [^|]+ \| [^|]+ \| \$([\d.]+) \|$/gm)].map((m) => Number(m[1]));
    expect(savings).toHaveLength(150);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    expect(r.summary.length).toBeLessThan(200_000);
    expect(d.violations).toEqual([]);
  });

  it('waits out 429s as retry-after says and finishes the report', async () => {
    const d = await standin({ rateLimitRequests: 2 });
    const r = await runCost(d, { inputs: { 'alert-percent': 'off' } });
    expect(r.exitCode).toBe(0);
    expect(d.requests.filter((q) => q.status === 429)).toHaveLength(2);
    expect(r.outputs['month-to-date-usd']).toBe('61.30');
    expect(r.summary).toMatch(/\| API rate limit \| \d+ of 5000 requests left; waited [\d.]+ s for it \|/);
    expect(d.violations).toEqual([]);
  });

  it('retries a DigitalOcean server error and finishes the report', async () => {
    const d = await standin({ serverErrorRequests: 1 });
    const r = await runCost(d, { inputs: { 'alert-percent': 'off' } });
    expect(r.exitCode).toBe(0);
    expect(d.requests.filter((q) => q.status === 500)).toHaveLength(1);
    expect(r.outputs['month-to-date-usd']).toBe('61.30');
  });

  it('fails plainly on a rejected token, naming the input and the scope it needs, and never prints the token', async () => {
    const d = await standin();
    const wrong = 'dop_v1_0000deadbeef0000deadbeef0000deadbeef0000deadbeef0000deadbeef00';
    const r = await runCost(d, { token: wrong });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('fail');
    expect(r.stdout).toMatch(/::error::DigitalOcean refused GET \/v2\/[a-z_/]+ \(401 Unauthorized: Unable to authenticate you\): it rejected the token in input 'do-token' as wrong, expired or revoked\..*needs the scope '[a-z_]+:read'/);
    expect(visible(r)).not.toContain(wrong);
    expect(visible(r)).not.toContain(Buffer.from(wrong).toString('base64'));
  });

  it('masks the token everywhere: log, outputs and summary', async () => {
    const d = await standin();
    const r = await runCost(d);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('::add-mask::');
    const text = visible(r);
    expect(text).not.toContain(d.token);
    expect(text).not.toContain(Buffer.from(d.token).toString('base64'));
  });

  it.each([
    ['at the first moment of a month: the whole inventory still to come', '2026-12-01T00:00:00Z', '0.00'],
    ['six hours into the first day', '2026-12-01T06:00:00Z', '0.81'],
    ['at the last second of a month: the usage is the bill', '2026-12-31T23:59:59Z', '131.90'],
    ['on the leap day of a leap February', '2028-02-29T12:00:00Z', '125.40']
  ])('projects the month-end %s', async (_name, at, usage) => {
    const d = await standin({ fixtures: a2aWorldFixtures(new Date(at)) });
    d.data.balance.month_to_date_usage = usage;
    const r = await runCost(d, { inputs: { 'alert-percent': 'off' } });
    expect(r.exitCode).toBe(0);
    const e = expectedFigures(d.data, new Date(), 90);
    expect(r.outputs['projected-usd']).toBe(dollars(e.projected));
    if (at.startsWith('2026-12-01T00')) expect(e.projected).toBe(e.inventory);
    if (at.startsWith('2026-12-31')) expect(e.projected).toBe(e.usage);
    const days = at.startsWith('2028-02') ? 29 : 31;
    expect(r.summary).toContain(`of ${days} |`);
  });

  it('right-sizes from action-health\'s stored host samples, matched to droplets by the config\'s hosts', async () => {
    const d = await standin();
    const now = Date.now();
    const series = (v: number) => Array.from({ length: 14 * 24 }, (_, i) => ({ t: new Date(now - (14 * 24 - i) * 3_600_000).toISOString(), v }));
    const stateDir = costStateDir({ version: 1, checks: {}, history: { 'cpu:web-a': series(4), 'memory:web-a': series(18), 'cpu:164.90.161.12': series(60), 'memory:164.90.161.12': series(30) } });
    const r = await runCost(d, { stateDir, configYaml: 'hosts:\n  - name: web-a\n    address: 164.90.161.11\n', inputs: { 'alert-percent': 'off' } });
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('### Right-sizing: $6.00 a month');
    expect(r.summary).toMatch(/\| app-1 \| s-2vcpu-4gb \| 4 % \| 18 % \| 14 days \| s-2vcpu-2gb: p95 CPU 4 %, memory 18 %/);
    expect(r.summary).toMatch(/\| app-2 \| s-2vcpu-4gb \| 60 % \| 30 % \| 14 days \| p95 CPU 60 %, memory 30 %: not both under 25 % \|/);
    expect(r.summary).toMatch(/\| monitoring \| s-1vcpu-2gb \| — \| — \| none \| no health history for this droplet/);
    expect(check(r, 'cost:savings')?.message).toMatch(/1 right-sizing \(\$6\.00\)/);
  });
});
