// The cost action's decisions, table-driven: month-over-month change, the budget check, clean-up
// candidates (the snapshot age boundary at exactly snapshot-age-days) and right-sizing.
import { describe, expect, it } from '@jest/globals';
import type { DoDroplet, DoRegistry, DoSize, DoSnapshot, Sample } from '../../shared/src/index.js';
import { decideBudget } from '../src/decide/budget.js';
import { findCleanupCandidates, isOlderThan, type CleanupInput } from '../src/decide/cleanup.js';
import { monthOverMonth, percentChange, previousPeriod } from '../src/decide/month-change.js';
import { p95, rightSizeDroplet } from '../src/decide/right-size.js';
import { parseUsd } from '../src/inputs.js';
import { priceInventory, registryCents, toCents, totalsByCategory, usd } from '../src/pricing/price-list.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00Z');

describe('money', () => {
  it.each([
    [61.3, 6130],
    [4.07, 407],
    [0.1 + 0.2, 30],
    [104.2, 10420],
    [0, 0]
  ])('%d dollars are %i cents', (dollars, cents) => expect(toCents(dollars)).toBe(cents));

  it.each([
    [6130, '61.30'],
    [5, '0.05'],
    [-250, '-2.50'],
    [1234567, '12345.67']
  ])('%i cents read %s', (cents, text) => expect(usd(cents)).toBe(text));

  it.each([
    ['150', 15000],
    ['150.5', 15050],
    ['$150.05', 15005],
    ['0.99', 99]
  ])('the budget input %s is %i cents', (raw, cents) => expect(parseUsd(raw, "Input 'budget-usd'")).toBe(cents));

  it.each(['-5', '1e3', '12.345', 'lots', '150 USD'])('refuses the budget %s, naming the input', (raw) => {
    expect(() => parseUsd(raw, "Input 'budget-usd'")).toThrow(/Input 'budget-usd' must be an amount in US dollars/);
  });
});

describe('month over month', () => {
  it('sorts by period and compares each month with the one just before it', () => {
    const months = monthOverMonth([
      { period: '2026-11', cents: 10420 },
      { period: '2026-09', cents: 9640 },
      { period: '2026-10', cents: 10175 },
      { period: '2026-12', cents: 13000, projected: true }
    ]);
    expect(months.map((m) => [m.period, m.changeCents, m.changePercent])).toEqual([
      ['2026-09', undefined, undefined],
      ['2026-10', 535, 5.5],
      ['2026-11', 245, 2.4],
      ['2026-12', 2580, 24.8]
    ]);
  });

  it('does not compare across a missing month', () => {
    expect(monthOverMonth([{ period: '2026-08', cents: 100 }, { period: '2026-10', cents: 200 }])[1].changeCents).toBeUndefined();
  });

  it.each([
    ['2026-01', '2025-12'],
    ['2026-03', '2026-02'],
    ['2028-12', '2028-11']
  ])('the month before %s is %s', (p, before) => expect(previousPeriod(p)).toBe(before));

  it('has no percentage against a month that cost nothing', () => expect(percentChange(0, 500)).toBeUndefined());
});

describe('decideBudget', () => {
  it.each([
    // name, projected, budget, last month, alert %, status, over budget, over change
    ['under budget and a small rise', 11_000, 15_000, 10_000, 20, 'ok', false, false],
    ['exactly at the budget is not over it', 15_000, 15_000, 14_000, 20, 'ok', false, false],
    ['one cent over the budget', 15_001, 15_000, 14_000, 20, 'warn', true, false],
    ['exactly the alert percentage is not over it', 12_000, 50_000, 10_000, 20, 'ok', false, false],
    ['just over the alert percentage', 12_010, 50_000, 10_000, 20, 'warn', false, true],
    ['both at once', 20_000, 15_000, 10_000, 20, 'warn', true, true],
    ['no budget, a big rise, alert off', 30_000, undefined, 10_000, undefined, 'ok', false, false],
    ['no last month to compare with', 30_000, 50_000, undefined, 20, 'ok', false, false],
    ['a fall is never an alert', 5_000, 50_000, 10_000, 20, 'ok', false, false]
  ] as const)('%s', (_name, projected, budget, last, alert, status, overBudget, overChange) => {
    const d = decideBudget({ projectedCents: projected, budgetCents: budget, lastMonthCents: last, alertPercent: alert });
    expect([d.status, d.overBudget, d.overChange]).toEqual([status, overBudget, overChange]);
    expect(d.reasons.length).toBeGreaterThan(0);
  });

  it('says by how much the budget is exceeded', () => {
    expect(decideBudget({ projectedCents: 16_050, budgetCents: 15_000 }).reasons[0]).toBe('projected $160.50 is over the $150.00 budget by $10.50');
  });
});

function snapshot(name: string, createdAt: string, gib = 10): DoSnapshot {
  return { id: name, name, createdAt, sizeGigabytes: gib, minDiskSize: 25, resourceId: '1', resourceType: 'droplet', regions: ['fra1'] };
}

function droplet(over: Partial<DoDroplet> = {}): DoDroplet {
  return {
    id: 1,
    name: 'app-1',
    status: 'active',
    sizeSlug: 's-2vcpu-4gb',
    vcpus: 2,
    memoryMb: 4096,
    diskGb: 80,
    priceMonthly: 24,
    priceHourly: 0.03571,
    region: 'fra1',
    tags: [],
    createdAt: '2025-09-01T09:30:00Z',
    volumeIds: [],
    ...over
  };
}

function cleanupInput(over: Partial<CleanupInput> = {}): CleanupInput {
  return { snapshots: [], images: [], volumes: [], droplets: [], manifests: [], snapshotAgeDays: 30, now: NOW, ...over };
}

describe('clean-up candidates', () => {
  const at = (msBeforeNow: number) => new Date(NOW.getTime() - msBeforeNow).toISOString();
  it.each([
    ['29 days old', 29 * DAY, false],
    ['exactly 30 days old (the boundary: not older than 30 days)', 30 * DAY, false],
    ['30 days and one second old', 30 * DAY + 1000, true],
    ['a year old', 365 * DAY, true]
  ])('a snapshot %s is a candidate: %s', (_name, age, expected) => {
    expect(isOlderThan(at(age), 30, NOW)).toBe(expected);
    const found = findCleanupCandidates(cleanupInput({ snapshots: [snapshot('s', at(age), 21.5)] }));
    expect(found.length === 1).toBe(expected);
    if (expected) expect(found[0]).toMatchObject({ kind: 'snapshot', monthlySavingCents: 129 });
  });

  it('offers unattached volumes and powered-off droplets (with their backups), not attached or running ones', () => {
    const found = findCleanupCandidates(
      cleanupInput({
        volumes: [
          { id: 'a', name: 'attached', sizeGigabytes: 100, dropletIds: [1] },
          { id: 'b', name: 'loose', sizeGigabytes: 50, dropletIds: [] }
        ],
        droplets: [droplet(), droplet({ name: 'old-box', status: 'off', backupsEnabled: true })]
      })
    );
    expect(found.map((c) => [c.kind, c.name, c.monthlySavingCents])).toEqual([
      ['volume', 'loose', 500],
      ['droplet', 'old-box', 2400 + 480]
    ]);
  });

  const registry = (usageGib: number): DoRegistry => ({
    name: 'a2a-world',
    storageUsageBytes: usageGib * 2 ** 30,
    tier: { slug: 'basic', name: 'Basic', monthlyPriceCents: 500, includedStorageBytes: 5 * 2 ** 30, storageOveragePriceCents: 2, allowStorageOverage: true }
  });
  const manifests = [
    {
      repository: 'api',
      manifests: [
        { digest: 'sha256:aaaa', tags: ['v2'], compressedSizeBytes: 2 ** 30, sizeBytes: 0, updatedAt: '2026-11-01T00:00:00Z' },
        { digest: 'sha256:bbbb', tags: [], compressedSizeBytes: 2 ** 30, sizeBytes: 0, updatedAt: '2026-10-01T00:00:00Z' },
        { digest: 'sha256:cccc', tags: [], compressedSizeBytes: 2 ** 30, sizeBytes: 0, updatedAt: '2026-09-01T00:00:00Z' }
      ]
    }
  ];
  it.each([
    ['inside the tier: freeing space saves nothing', 4, [0, 0]],
    ['1.5 GiB over the tier: the first image frees one billed GiB, the second the other', 6.5, [2, 2]],
    ['10 GiB over: each image frees one billed GiB', 15, [2, 2]]
  ])('registry images no tag points to, %s', (_name, usage, savings) => {
    const found = findCleanupCandidates(cleanupInput({ registry: registry(usage), manifests }));
    expect(found.map((c) => c.kind)).toEqual(['registry-image', 'registry-image']);
    expect(found.map((c) => c.monthlySavingCents)).toEqual(savings);
  });

  it('prices the registry as its tier plus each started GiB over it', () => {
    expect([registryCents(registry(4)), registryCents(registry(5.01)), registryCents(registry(7))]).toEqual([500, 502, 504]);
  });
});

describe('right-sizing', () => {
  const sizes: DoSize[] = [
    ['s-1vcpu-1gb', 1, 1024, 25, 6],
    ['s-1vcpu-2gb', 1, 2048, 50, 12],
    ['s-2vcpu-2gb', 2, 2048, 60, 18],
    ['s-2vcpu-4gb', 2, 4096, 80, 24],
    ['c-2', 2, 4096, 25, 42]
  ].map(([slug, vcpus, memoryMb, diskGb, priceMonthly]) => ({ slug, vcpus, memoryMb, diskGb, priceMonthly, priceHourly: 0, regions: ['fra1'], available: true, description: '' }) as DoSize);
  /** Hourly samples over `days` days at a steady value, with a few spikes under 5 % of them. */
  const series = (days: number, v: number, spike = v): Sample[] =>
    Array.from({ length: days * 24 + 1 }, (_, i) => ({ t: new Date(NOW.getTime() - (days * 24 - i) * 3_600_000).toISOString(), v: i % 50 === 0 ? spike : v }));

  it.each([
    ['no samples at all', undefined, 'no-history', undefined, undefined],
    ['three days of samples (a verdict needs seven)', { cpu: series(3, 5), memory: series(3, 10) }, 'too-little-history', undefined, undefined],
    ['idle for two weeks, short spikes ignored by the p95', { cpu: series(14, 5, 90), memory: series(14, 20, 95) }, 'downsize', 's-2vcpu-2gb', 600],
    ['CPU at the threshold', { cpu: series(14, 25), memory: series(14, 10) }, 'keep', undefined, undefined],
    ['memory over the threshold', { cpu: series(14, 5), memory: series(14, 40) }, 'keep', undefined, undefined]
  ] as const)('%s', (_name, samples, verdict, to, saving) => {
    const r = rightSizeDroplet({ droplet: droplet(), samples, sizes, thresholdPercent: 25, minDays: 7, now: NOW });
    expect([r.verdict, r.to?.slug, r.savingCents]).toEqual([verdict, to, saving]);
  });

  it('says when the smaller size has a smaller disk, which DO cannot shrink', () => {
    const r = rightSizeDroplet({ droplet: droplet(), samples: { cpu: series(14, 5), memory: series(14, 20) }, sizes, thresholdPercent: 25, minDays: 7, now: NOW });
    expect(r.needsRebuild).toBe(true);
    expect(r.reason).toMatch(/60 GB disk is smaller than 80 GB, which DO cannot shrink/);
  });

  it('keeps a droplet whose load would not fit the next smaller size with headroom', () => {
    // 24 % of 4 GiB = 983 MB; with 70 % headroom 1404 MB: fits 2 GiB. Same on 2 vCPUs at 24 %: 0.69 vCPU.
    // A droplet on s-2vcpu-2gb at 24 % memory needs 702 MB: s-1vcpu-2gb fits; at 24 % CPU needs 0.69 vCPU: fits 1.
    const r = rightSizeDroplet({
      droplet: droplet({ sizeSlug: 's-1vcpu-1gb', vcpus: 1, memoryMb: 1024, diskGb: 25, priceMonthly: 6 }),
      samples: { cpu: series(14, 5), memory: series(14, 10) },
      sizes,
      thresholdPercent: 25,
      minDays: 7,
      now: NOW
    });
    expect(r.verdict).toBe('keep');
    expect(r.reason).toMatch(/already the smallest size/);
  });

  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 19],
    [[5], 5],
    [[], undefined]
  ])('the p95 of %j is %s', (values, expected) => expect(p95(values)).toBe(expected));
});

describe('pricing the inventory', () => {
  it('leaves a resource without a known price out of the totals and counts it as unpriced, never as $0', () => {
    const items = priceInventory({
      droplets: [droplet()],
      databases: [
        { id: 'a', name: 'known', engine: 'pg', sizeSlug: 'db-s-1vcpu-2gb', numNodes: 2, region: 'fra1', tags: [] },
        { id: 'b', name: 'exotic', engine: 'pg', sizeSlug: 'gd-64vcpu-512gb', numNodes: 1, region: 'fra1', tags: [] }
      ],
      volumes: [],
      snapshots: [],
      images: [],
      loadBalancers: [
        { id: 'x', name: 'lb', sizeUnit: 3, dropletIds: [] },
        { id: 'y', name: 'old-lb', size: 'lb-medium', dropletIds: [] }
      ]
    });
    expect(items.map((i) => [i.name, i.monthlyCents])).toEqual([
      ['app-1', 2400],
      ['known', 6000],
      ['exotic', undefined],
      ['lb', 3600],
      ['old-lb', 3600]
    ]);
    expect(totalsByCategory(items)).toEqual([
      { category: 'Droplets', cents: 2400, count: 1, unpriced: 0 },
      { category: 'Databases', cents: 6000, count: 2, unpriced: 1 },
      { category: 'Load balancers', cents: 7200, count: 2, unpriced: 0 }
    ]);
  });
});
