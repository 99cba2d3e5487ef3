// The cost report: read the account (balance, invoices, inventory across all pages), price it, project
// the month, decide the budget check, find clean-up and right-sizing candidates, and report it.
import { createDigitalOceanClient, type ActionResult, type Check, type DigitalOceanClient, type RunContext } from '../../shared/src/index.js';
import { readAccount, type AccountData } from './collect/read-account.js';
import { decideBudget } from './decide/budget.js';
import { findCleanupCandidates } from './decide/cleanup.js';
import { monthOverMonth, previousPeriod } from './decide/month-change.js';
import { projectMonthEnd } from './decide/projection.js';
import { rightSizeDroplet, type RightSizeResult } from './decide/right-size.js';
import { hasHostHistory, loadHealthState, samplesForDroplet } from './history/host-samples.js';
import { COST_INPUTS, COST_OUTPUTS, type CostInputs } from './inputs.js';
import { priceInventory, toCents, usd } from './pricing/price-list.js';
import { headlineChange, renderCostSections } from './report/render-cost.js';

/** What tests may replace: the clock (the projection itself runs on DO's `generated_at`). */
export interface CostDeps {
  now: () => Date;
}

/** The check the budget issue hangs on: one issue for over-budget and for a jump against last month. */
export const BUDGET_CHECK_ID = 'cost:budget';

export async function executeCost(inputs: CostInputs, ctx: RunContext, deps: CostDeps = { now: () => new Date() }): Promise<ActionResult> {
  const now = deps.now();
  const client: DigitalOceanClient = createDigitalOceanClient({ token: inputs.token, baseUrl: inputs.apiUrl, tokenName: `the token in input '${COST_INPUTS.doToken}'` });
  const data: AccountData = await ctx.log.group('Read the DigitalOcean account', async () => {
    const d = await readAccount(client);
    ctx.log.info(
      `Account ${d.account.email} (${d.account.status}); ${d.droplets.length} droplets, ${d.databases.length} databases, ${d.volumes.length} volumes, ` +
        `${d.snapshots.length} snapshots, ${d.images.length} custom images, ${d.loadBalancers.length} load balancers, ` +
        `registry ${d.registry ? `${d.registry.name} (${d.manifests.reduce((n, r) => n + r.manifests.length, 0)} images)` : 'none'}; ${d.invoices.invoices.length} invoices.`
    );
    return d;
  });

  const items = priceInventory(data);
  const inventoryMonthlyCents = items.reduce((n, i) => n + (i.monthlyCents ?? 0), 0);
  const usageCents = toCents(data.balance.monthToDateUsage);
  const asOf = data.balance.generatedAt && !Number.isNaN(Date.parse(data.balance.generatedAt)) ? new Date(data.balance.generatedAt) : now;
  const projection = projectMonthEnd({ usageCents, inventoryMonthlyCents, asOf });
  const invoiced = data.invoices.invoices.filter((i) => /^\d{4}-\d{2}$/.test(i.period) && i.period < projection.month).map((i) => ({ period: i.period, cents: toCents(i.amount) }));
  const months = monthOverMonth([...invoiced, { period: projection.month, cents: projection.projectedCents, projected: true }]);
  const lastMonth = months.find((m) => m.period === previousPeriod(projection.month));
  const budget = decideBudget({ projectedCents: projection.projectedCents, budgetCents: inputs.budgetCents, lastMonthCents: lastMonth?.cents, alertPercent: inputs.alertPercent });
  ctx.log.info(`Month to date $${usd(usageCents)}; inventory $${usd(inventoryMonthlyCents)}/month; projected month-end $${usd(projection.projectedCents)}: ${budget.reasons.join('; ')}.`);

  const cleanup = findCleanupCandidates({ ...data, snapshotAgeDays: inputs.snapshotAgeDays, now });
  const { results: rightSizing, note: rightSizingNote } = await ctx.log.group('Right-sizing from the health history', async () => {
    const health = await loadHealthState((m) => ctx.log.warn(m)).catch((e: Error) => {
      ctx.log.warn(`Could not read action-health's history: ${e.message}`);
      return undefined;
    });
    if (!health || !hasHostHistory(health)) {
      const note = "No health history: action-health has stored no host samples (CPU, memory) this run could read, so there is no right-sizing verdict. Run action-health on a schedule with host checks to get one.";
      ctx.log.info(note);
      return { results: [] as RightSizeResult[], note };
    }
    const results = data.droplets.map((droplet) =>
      rightSizeDroplet({ droplet, samples: samplesForDroplet(health, ctx.config.hosts, droplet), sizes: data.sizes, thresholdPercent: inputs.rightSizePercent, minDays: inputs.rightSizeDays, now })
    );
    for (const r of results) ctx.log.info(`${r.droplet}: ${r.verdict}: ${r.reason}`);
    return { results, note: undefined };
  });

  const limit = client.rateLimit();
  const facts = {
    projection,
    months,
    items,
    cleanup,
    rightSizing,
    rightSizingNote,
    balance: { accountBalanceCents: toCents(data.balance.accountBalance), monthToDateBalanceCents: toCents(data.balance.monthToDateBalance), generatedAt: data.balance.generatedAt },
    account: { email: data.account.email, status: data.account.status, ...(data.account.teamName ? { teamName: data.account.teamName } : {}) },
    billingHistory: data.billingHistory.map((h) => ({ date: h.date, type: h.type, description: h.description, amountCents: toCents(h.amount) })),
    ...(limit.limit !== undefined ? { rateLimit: `${limit.remaining ?? '?'} of ${limit.limit} requests left${limit.waitedMs ? `; waited ${(limit.waitedMs / 1000).toFixed(1)} s for it` : ''}` } : {})
  };
  const cleanupCents = cleanup.reduce((n, c) => n + c.monthlySavingCents, 0);
  const rightSizeCents = rightSizing.reduce((n, r) => n + (r.savingCents ?? 0), 0);
  const threshold = [inputs.budgetCents === undefined ? '' : `≤ $${usd(inputs.budgetCents)} budget`, inputs.alertPercent === undefined ? '' : `≤ +${inputs.alertPercent} % vs last month`].filter(Boolean).join(', ');
  const checks: Check[] = [
    {
      id: BUDGET_CHECK_ID,
      kind: 'cost',
      target: 'Projected month-end',
      status: budget.status,
      value: Number(usd(projection.projectedCents)),
      unit: 'USD',
      ...(threshold ? { threshold } : {}),
      // The reason first: it is also the start of the budget issue's title.
      message: `${capitalise(budget.reasons.join('; '))}. ${headlineChange(projection, lastMonth)}`
    },
    { id: 'cost:month-to-date', kind: 'cost', target: 'Month-to-date usage', status: 'ok', value: Number(usd(usageCents)), unit: 'USD', message: `as of ${data.balance.generatedAt}; account balance $${usd(toCents(data.balance.accountBalance))}` },
    { id: 'cost:inventory', kind: 'cost', target: 'Inventory run rate', status: 'ok', value: Number(usd(inventoryMonthlyCents)), unit: 'USD/month', message: `${items.length} resources priced` },
    {
      id: 'cost:savings',
      kind: 'cost',
      target: 'Possible savings',
      status: 'ok',
      value: Number(usd(cleanupCents + rightSizeCents)),
      unit: 'USD/month',
      message: `${cleanup.length} clean-up candidates ($${usd(cleanupCents)}), ${rightSizing.filter((r) => r.verdict === 'downsize').length} right-sizing ($${usd(rightSizeCents)})`
    }
  ];
  ctx.report.add(...checks);
  ctx.report.note(headlineChange(projection, lastMonth));
  for (const s of renderCostSections(facts)) ctx.report.section(s);
  return {
    outputs: { [COST_OUTPUTS.monthToDateUsd]: usd(usageCents), [COST_OUTPUTS.projectedUsd]: usd(projection.projectedCents) }
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
