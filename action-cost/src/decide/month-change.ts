// Month-over-month change of the bill (pure): invoices by period, each against the month before.

export interface MonthSpend {
  /** `YYYY-MM`. */
  period: string;
  cents: number;
  /** True for the current month's projection rather than an invoice. */
  projected?: boolean;
}

export interface MonthChange extends MonthSpend {
  changeCents?: number;
  /** One decimal; undefined when the month before is missing or was 0. */
  changePercent?: number;
}

/** Percent change from `before` to `after`, one decimal; undefined when `before` is 0. */
export function percentChange(before: number, after: number): number | undefined {
  if (before === 0) return undefined;
  return Math.round(((after - before) / before) * 1000) / 10;
}

/** Sorts by period and adds each month's change against the month just before it (when present). */
export function monthOverMonth(months: readonly MonthSpend[]): MonthChange[] {
  const sorted = [...months].sort((a, b) => a.period.localeCompare(b.period));
  return sorted.map((m, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.period !== previousPeriod(m.period)) return { ...m };
    const pct = percentChange(prev.cents, m.cents);
    return { ...m, changeCents: m.cents - prev.cents, ...(pct === undefined ? {} : { changePercent: pct }) };
  });
}

/** `2026-01` → `2025-12`. */
export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 2, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
