// The cost report's summary sections, Infracost style: the change first (the funnel's headline check),
// then the tables, the charts (Mermaid: by category, by month) and the details folded.
import { escapeCell, markdownTable, type ReportSection } from '../../../shared/src/index.js';
import type { CleanupCandidate } from '../decide/cleanup.js';
import type { MonthChange } from '../decide/month-change.js';
import type { Projection } from '../decide/projection.js';
import type { RightSizeResult } from '../decide/right-size.js';
import { totalsByCategory, usd, type PricedItem } from '../pricing/price-list.js';

const money = (cents: number | undefined): string => (cents === undefined ? 'unpriced' : `$${usd(cents)}`);
const signed = (cents: number): string => `${cents >= 0 ? '+' : '-'}$${usd(Math.abs(cents))}`;
const monthName = (period: string): string => new Date(`${period}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export interface CostFacts {
  projection: Projection;
  months: MonthChange[];
  items: PricedItem[];
  cleanup: CleanupCandidate[];
  rightSizing: RightSizeResult[];
  /** Why there are no right-sizing verdicts, when there are none. */
  rightSizingNote?: string;
  balance: { accountBalanceCents: number; monthToDateBalanceCents: number; generatedAt: string };
  account: { email: string; status: string; teamName?: string };
  /** DO's billing history (invoices, payments, credits), newest first as DO sends it. */
  billingHistory: ReadonlyArray<{ date: string; type: string; description: string; amountCents: number }>;
  rateLimit?: string;
}

/** Billing history rows shown: two years of monthly invoices and payments. */
const HISTORY_ROWS = 48;
/** Rows per table at most: the job summary is capped at 1 MiB; the totals still count every row. */
export const MAX_TABLE_ROWS = 150;

/** The first `MAX_TABLE_ROWS` rows and a line saying how many more there are and what they add up to. */
function capped<T>(rows: readonly T[], cents: (row: T) => number | undefined): { shown: T[]; more: string } {
  if (rows.length <= MAX_TABLE_ROWS) return { shown: [...rows], more: '' };
  const rest = rows.slice(MAX_TABLE_ROWS);
  return { shown: rows.slice(0, MAX_TABLE_ROWS), more: `\n\n…and ${rest.length} more, $${usd(rest.reduce((n, r) => n + (cents(r) ?? 0), 0))} a month together (in the totals above).` };
}

/** One line for the top of the summary: where the month is heading against last month. */
export function headlineChange(p: Projection, lastMonth?: MonthChange): string {
  const head = `Projected month-end $${usd(p.projectedCents)} for ${monthName(p.month)} (month to date $${usd(p.usageCents)}, day ${Math.floor(p.elapsedDays) + 1} of ${p.daysInMonth})`;
  if (!lastMonth) return `${head}; no invoice for last month to compare with.`;
  const diff = p.projectedCents - lastMonth.cents;
  const pct = lastMonth.cents ? ` (${diff >= 0 ? '+' : ''}${Math.round((diff / lastMonth.cents) * 1000) / 10} %)` : '';
  return `${head}: ${signed(diff)}${pct} vs ${monthName(lastMonth.period)}'s $${usd(lastMonth.cents)}.`;
}

export function renderCostSections(f: CostFacts): ReportSection[] {
  const sections: ReportSection[] = [];
  const cats = totalsByCategory(f.items);
  const inventoryTotal = cats.reduce((n, c) => n + c.cents, 0);
  const unpriced = f.items.filter((i) => i.monthlyCents === undefined).length;
  const catRows: Array<Array<string | { markdown: string }>> = cats.map((c) => [c.category, String(c.count), `$${usd(c.cents)}${c.unpriced ? ` (+${c.unpriced} unpriced)` : ''}`]);
  catRows.push([{ markdown: '**Total**' }, String(f.items.length), { markdown: `**$${usd(inventoryTotal)}**` }]);
  sections.push({
    title: 'Monthly run rate by category',
    markdown: [
      markdownTable(['Category', 'Resources', 'Per month'], catRows),
      unpriced ? `\n${unpriced} resource${unpriced === 1 ? ' has' : 's have'} no known price and ${unpriced === 1 ? 'is' : 'are'} left out of the total (not counted as $0).` : '',
      '',
      '```mermaid',
      `pie showData title Monthly run rate by category (USD)`,
      ...cats.filter((c) => c.cents > 0).map((c) => `  "${c.category}" : ${usd(c.cents)}`),
      '```'
    ].join('\n')
  });

  const monthRows = f.months.map((m) => [
    `${monthName(m.period)}${m.projected ? ' (projected)' : ''}`,
    `$${usd(m.cents)}`,
    m.changeCents === undefined ? '—' : signed(m.changeCents),
    m.changePercent === undefined ? '—' : `${m.changePercent >= 0 ? '+' : ''}${m.changePercent} %`
  ]);
  const top = Math.max(1, ...f.months.map((m) => m.cents));
  sections.push({
    title: 'Spend by month',
    markdown: [
      markdownTable(['Month', 'Billed', 'Change', 'Change %'], monthRows),
      '',
      '```mermaid',
      'xychart-beta',
      '  title "Spend by month (USD; the last bar is projected)"',
      `  x-axis [${f.months.map((m) => `"${m.period}"`).join(', ')}]`,
      `  y-axis "USD" 0 --> ${Math.ceil((top * 1.2) / 100)}`,
      `  bar [${f.months.map((m) => usd(m.cents)).join(', ')}]`,
      '```'
    ].join('\n')
  });

  const saving = f.cleanup.reduce((n, c) => n + c.monthlySavingCents, 0);
  // Biggest saving first (stable otherwise), so a capped table still shows what matters.
  const cleanup = capped(
    [...f.cleanup].sort((a, b) => b.monthlySavingCents - a.monthlySavingCents),
    (c) => c.monthlySavingCents
  );
  sections.push({
    title: `Clean-up candidates: $${usd(saving)} a month`,
    markdown: f.cleanup.length
      ? markdownTable(
          ['Kind', 'Resource', 'Why', 'Saving / month'],
          [...cleanup.shown.map((c) => [c.kind, c.name, c.reason, `$${usd(c.monthlySavingCents)}`]), [{ markdown: '**Total**' }, '', '', { markdown: `**$${usd(saving)}**` }]]
        ) + cleanup.more
      : 'Nothing to clean up: no old snapshots or images, unattached volumes, powered-off droplets or untagged registry images.'
  });

  const downsizes = f.rightSizing.filter((r) => r.verdict === 'downsize');
  const rsSaving = downsizes.reduce((n, r) => n + (r.savingCents ?? 0), 0);
  sections.push({
    title: `Right-sizing${downsizes.length ? `: $${usd(rsSaving)} a month` : ''}`,
    markdown: [
      f.rightSizingNote ?? '',
      f.rightSizing.length
        ? markdownTable(
            ['Droplet', 'Size', 'p95 CPU', 'p95 memory', 'History', 'Suggestion', 'Saving / month'],
            f.rightSizing.map((r) => [
              r.droplet,
              r.size,
              r.cpuP95 === undefined ? '—' : `${r.cpuP95} %`,
              r.memoryP95 === undefined ? '—' : `${r.memoryP95} %`,
              r.historyDays === undefined ? 'none' : `${r.historyDays} days`,
              r.verdict === 'downsize' ? `${r.to?.slug}: ${r.reason}` : r.reason,
              r.savingCents === undefined ? '—' : `$${usd(r.savingCents)}`
            ])
          )
        : ''
    ]
      .filter(Boolean)
      .join('\n\n')
  });

  const p = f.projection;
  sections.push({
    title: 'How the projection was computed',
    markdown: [
      '<details><summary>Projection, cross-check and balance</summary>',
      '',
      markdownTable(
        ['', 'Value'],
        [
          ['Month-to-date usage (DO balance)', `$${usd(p.usageCents)} as of ${escapeCell(f.balance.generatedAt)}`],
          ['Days elapsed', `${p.elapsedDays.toFixed(2)} of ${p.daysInMonth}`],
          ['Inventory run rate', `$${usd(p.inventoryMonthlyCents)} / month`],
          ['Projection', `$${usd(p.usageCents)} + $${usd(p.inventoryMonthlyCents)} × ${(p.daysInMonth - p.elapsedDays).toFixed(2)}/${p.daysInMonth} = **$${usd(p.projectedCents)}**`],
          ['Usage scaled to the month', p.runRateCents === undefined ? 'too early in the month' : `$${usd(p.runRateCents)}`],
          ['Cross-check: usage vs inventory so far', p.crossCheckPercent === undefined ? 'too early (under a day)' : `$${usd(p.usageCents)} vs $${usd(p.inventorySoFarCents)} (${p.crossCheckPercent} %)`],
          ['Account', `${escapeCell(f.account.email)}${f.account.teamName ? ` (team ${escapeCell(f.account.teamName)})` : ''}, ${escapeCell(f.account.status)}`],
          ['Account balance', `$${usd(f.balance.accountBalanceCents)} (month-to-date balance $${usd(f.balance.monthToDateBalanceCents)})`],
          ...(f.rateLimit ? [['API rate limit', f.rateLimit]] : [])
        ]
      ),
      '',
      'Usage so far comes from DigitalOcean; the rest of the month is the current inventory at its monthly prices (droplet sizes and the registry tier priced by the API, the rest at DO list prices). A cross-check far from 100 % means usage the inventory does not explain (bandwidth, deleted resources) or resources created this month.',
      '',
      '</details>'
    ].join('\n')
  });

  const history = f.billingHistory.slice(0, HISTORY_ROWS);
  const inventory = capped(f.items, (i) => i.monthlyCents);
  sections.push({
    title: 'Billing history',
    markdown: [
      `<details><summary>${f.billingHistory.length} entries (invoices, payments, credits)${f.billingHistory.length > HISTORY_ROWS ? `, the latest ${HISTORY_ROWS} shown` : ''}</summary>`,
      '',
      history.length
        ? markdownTable(['Date', 'Type', 'Description', 'Amount'], history.map((h) => [h.date.slice(0, 10), h.type, h.description, `${h.amountCents < 0 ? '-' : ''}$${usd(Math.abs(h.amountCents))}`]))
        : 'DigitalOcean returned no billing history.',
      '',
      '</details>'
    ].join('\n')
  });

  sections.push({
    title: 'Inventory',
    markdown: [
      `<details><summary>${f.items.length} resources, $${usd(inventoryTotal)} a month</summary>`,
      '',
      markdownTable(
        ['Category', 'Resource', 'Details', 'Region', 'Status', 'Per month', 'Price from'],
        inventory.shown.map((i) => [i.category, i.name, i.detail, i.region ?? '', i.status ?? '', money(i.monthlyCents), i.source])
      ) + inventory.more,
      '',
      '</details>'
    ].join('\n')
  });
  return sections;
}
