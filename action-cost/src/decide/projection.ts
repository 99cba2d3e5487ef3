// The month-end projection: usage so far plus the inventory's run rate for the rest of the month, and
// the cross-check of the two (pure; the clock is passed in).
const DAY_MS = 86_400_000;

export interface Projection {
  /** `YYYY-MM` of the month projected. */
  month: string;
  daysInMonth: number;
  /** Days elapsed in the month at `asOf`, fractional. */
  elapsedDays: number;
  usageCents: number;
  inventoryMonthlyCents: number;
  /** Usage so far + the inventory's monthly price × the share of the month still to come. */
  projectedCents: number;
  /** Usage so far scaled to the whole month (undefined in the month's first hour: too little to scale). */
  runRateCents?: number;
  /** What the inventory would have cost so far; usage is compared with it. */
  inventorySoFarCents: number;
  /** Usage against the inventory so far, percent; undefined before a day has passed. */
  crossCheckPercent?: number;
}

/** Days in the UTC month of `d` (28, 29, 30 or 31). */
export function daysInMonth(d: Date): number {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Projects the month-end bill as of `asOf` (DO's `generated_at` of the usage figure). */
export function projectMonthEnd(input: { usageCents: number; inventoryMonthlyCents: number; asOf: Date }): Projection {
  const { usageCents, inventoryMonthlyCents, asOf } = input;
  const start = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1);
  const days = daysInMonth(asOf);
  const monthMs = days * DAY_MS;
  const elapsedMs = Math.min(monthMs, Math.max(0, asOf.getTime() - start));
  const remainingMs = monthMs - elapsedMs;
  const inventorySoFarCents = Math.round((inventoryMonthlyCents * elapsedMs) / monthMs);
  return {
    month: `${asOf.getUTCFullYear()}-${String(asOf.getUTCMonth() + 1).padStart(2, '0')}`,
    daysInMonth: days,
    elapsedDays: elapsedMs / DAY_MS,
    usageCents,
    inventoryMonthlyCents,
    projectedCents: usageCents + Math.round((inventoryMonthlyCents * remainingMs) / monthMs),
    ...(elapsedMs >= 3_600_000 ? { runRateCents: Math.round((usageCents * monthMs) / elapsedMs) } : {}),
    inventorySoFarCents,
    ...(elapsedMs >= DAY_MS && inventorySoFarCents > 0 ? { crossCheckPercent: Math.round((usageCents / inventorySoFarCents) * 1000) / 10 } : {})
  };
}
