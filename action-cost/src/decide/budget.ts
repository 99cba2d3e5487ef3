// The budget decision (pure): is the projected month over the budget, or up by more than the alert
// percentage on last month? Either makes the one budget check a warning, which opens (or keeps) the
// budget issue; neither closes it.
import { percentChange } from './month-change.js';
import { usd } from '../pricing/price-list.js';

export interface BudgetDecision {
  status: 'ok' | 'warn';
  overBudget: boolean;
  overChange: boolean;
  changePercent?: number;
  /** One sentence per reason, or why all is well. */
  reasons: string[];
}

export function decideBudget(input: { projectedCents: number; budgetCents?: number; lastMonthCents?: number; alertPercent?: number }): BudgetDecision {
  const { projectedCents, budgetCents, lastMonthCents, alertPercent } = input;
  const changePercent = lastMonthCents === undefined ? undefined : percentChange(lastMonthCents, projectedCents);
  const overBudget = budgetCents !== undefined && projectedCents > budgetCents;
  const overChange = alertPercent !== undefined && changePercent !== undefined && changePercent > alertPercent;
  const reasons: string[] = [];
  if (overBudget) reasons.push(`projected $${usd(projectedCents)} is over the $${usd(budgetCents as number)} budget by $${usd(projectedCents - (budgetCents as number))}`);
  if (overChange) reasons.push(`projected $${usd(projectedCents)} is ${changePercent} % above last month's $${usd(lastMonthCents as number)} (alert above ${alertPercent} %)`);
  if (!reasons.length) {
    reasons.push(
      [
        budgetCents === undefined ? 'no budget set' : `within the $${usd(budgetCents)} budget`,
        changePercent === undefined ? 'no last month to compare' : `${changePercent >= 0 ? '+' : ''}${changePercent} % vs last month${alertPercent === undefined ? '' : ` (alert above ${alertPercent} %)`}`
      ].join('; ')
    );
  }
  return { status: overBudget || overChange ? 'warn' : 'ok', overBudget, overChange, ...(changePercent === undefined ? {} : { changePercent }), reasons };
}
