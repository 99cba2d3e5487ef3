// Mutation-testing table for budget.ts (issue 14): the whole decision, reasons word for word and the
// returned changePercent (absent when there is no last month to compare with).
import { describe, expect, it } from '@jest/globals';
import { decideBudget, type BudgetDecision } from '../src/decide/budget.js';

describe('decideBudget, whole', () => {
  it.each<[string, { projectedCents: number; budgetCents?: number; lastMonthCents?: number; alertPercent?: number }, BudgetDecision]>([
    [
      'over the budget only (no last month)',
      { projectedCents: 16_050, budgetCents: 15_000 },
      { status: 'warn', overBudget: true, overChange: false, reasons: ['projected $160.50 is over the $150.00 budget by $10.50'] }
    ],
    [
      'over the change alert only',
      { projectedCents: 12_010, budgetCents: 50_000, lastMonthCents: 10_000, alertPercent: 20 },
      { status: 'warn', overBudget: false, overChange: true, changePercent: 20.1, reasons: ["projected $120.10 is 20.1 % above last month's $100.00 (alert above 20 %)"] }
    ],
    [
      'over the change alert with no budget set',
      { projectedCents: 30_000, lastMonthCents: 10_000, alertPercent: 50 },
      { status: 'warn', overBudget: false, overChange: true, changePercent: 200, reasons: ["projected $300.00 is 200 % above last month's $100.00 (alert above 50 %)"] }
    ],
    [
      'both at once: budget first, then the change',
      { projectedCents: 20_000, budgetCents: 15_000, lastMonthCents: 10_000, alertPercent: 20 },
      {
        status: 'warn',
        overBudget: true,
        overChange: true,
        changePercent: 100,
        reasons: ['projected $200.00 is over the $150.00 budget by $50.00', "projected $200.00 is 100 % above last month's $100.00 (alert above 20 %)"]
      }
    ],
    [
      'within the budget, a rise under the alert',
      { projectedCents: 11_000, budgetCents: 15_000, lastMonthCents: 10_000, alertPercent: 20 },
      { status: 'ok', overBudget: false, overChange: false, changePercent: 10, reasons: ['within the $150.00 budget; +10 % vs last month (alert above 20 %)'] }
    ],
    [
      'exactly at the budget and exactly at the alert',
      { projectedCents: 12_000, budgetCents: 12_000, lastMonthCents: 10_000, alertPercent: 20 },
      { status: 'ok', overBudget: false, overChange: false, changePercent: 20, reasons: ['within the $120.00 budget; +20 % vs last month (alert above 20 %)'] }
    ],
    [
      'no budget, no last month',
      { projectedCents: 5_000 },
      { status: 'ok', overBudget: false, overChange: false, reasons: ['no budget set; no last month to compare'] }
    ],
    [
      'no budget, a big rise, alert off',
      { projectedCents: 30_000, lastMonthCents: 10_000 },
      { status: 'ok', overBudget: false, overChange: false, changePercent: 200, reasons: ['no budget set; +200 % vs last month'] }
    ],
    [
      'a fall is shown with its minus sign',
      { projectedCents: 5_000, budgetCents: 50_000, lastMonthCents: 10_000, alertPercent: 20 },
      { status: 'ok', overBudget: false, overChange: false, changePercent: -50, reasons: ['within the $500.00 budget; -50 % vs last month (alert above 20 %)'] }
    ],
    [
      'no change at all reads +0 %',
      { projectedCents: 10_000, budgetCents: 50_000, lastMonthCents: 10_000, alertPercent: 20 },
      { status: 'ok', overBudget: false, overChange: false, changePercent: 0, reasons: ['within the $500.00 budget; +0 % vs last month (alert above 20 %)'] }
    ],
    [
      'a last month that cost nothing has no percentage',
      { projectedCents: 5_000, budgetCents: 50_000, lastMonthCents: 0, alertPercent: 20 },
      { status: 'ok', overBudget: false, overChange: false, reasons: ['within the $500.00 budget; no last month to compare'] }
    ]
  ])('%s', (_case, input, want) => {
    // toStrictEqual: an absent changePercent must be absent, not present as undefined.
    expect(decideBudget(input)).toStrictEqual(want);
  });
});
