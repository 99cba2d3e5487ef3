// Mutation-testing table for summaryCheck in operations/terminate-long-queries.ts (issue 14): the run's one
// check, every field word for word: ok without targets, warn when found and dealt with (or only listed in a
// dry run, or left over the cap), fail when a signal was refused or a backend would not exit.
import { describe, expect, it } from '@jest/globals';
import type { ActivityRow, Check } from '../../shared/src/index.js';
import { summaryCheck } from '../src/operations/terminate-long-queries.js';
import type { TargetResult } from '../src/terminate/signal-targets.js';

const r = (outcome: TargetResult['outcome']): TargetResult => ({ row: { pid: 1 } as ActivityRow, outcome });
const check = (status: Check['status'], value: number, message: string): Check => ({
  id: 'database:long-queries',
  kind: 'database',
  target: 'u@db:5432/app',
  value,
  unit: 'queries',
  threshold: 'none longer than 5 min',
  status,
  message
});

describe('summaryCheck', () => {
  it.each<[string, number, number, TargetResult[], boolean, Check]>([
    ['nothing long-running', 0, 0, [], false, check('ok', 0, 'no query has run longer than 5 min')],
    ['none in the target set but some over the cap', 0, 2, [], false, check('warn', 0, "no query has run longer than 5 min; 2 more over the cap of 'max-targets' left alone")],
    ['nothing long-running in a dry run', 0, 0, [], true, check('ok', 0, 'no query has run longer than 5 min')],
    ['one found in a dry run', 1, 0, [], true, check('warn', 1, "1 query longer than 5 min would be cancelled (dry run: set 'dry-run: false' to signal them)")],
    ['three found in a dry run, one over the cap', 3, 1, [], true, check('warn', 3, "3 queries longer than 5 min would be cancelled (dry run: set 'dry-run: false' to signal them); 1 more over the cap of 'max-targets' left alone")],
    ['one cancelled', 1, 0, [r('cancelled')], false, check('warn', 1, '1 query longer than 5 min: 1 cancelled')],
    [
      'every outcome, tallied in a fixed order',
      6,
      0,
      [r('refused'), r('still running'), r('ended before any signal'), r('terminated'), r('cancelled'), r('cancelled')],
      false,
      check('fail', 6, '6 queries longer than 5 min: 2 cancelled, 1 terminated, 1 ended before any signal, 1 still running, 1 refused')
    ],
    ['a refusal alone fails', 1, 0, [r('refused')], false, check('fail', 1, '1 query longer than 5 min: 1 refused')],
    ['a backend still running alone fails', 1, 0, [r('still running')], false, check('fail', 1, '1 query longer than 5 min: 1 still running')],
    ['ended and terminated, with some over the cap', 2, 4, [r('terminated'), r('ended before any signal')], false, check('warn', 2, "2 queries longer than 5 min: 1 terminated, 1 ended before any signal; 4 more over the cap of 'max-targets' left alone")]
  ])('%s', (_name, found, overCap, results, dryRun, expected) => {
    expect(summaryCheck('u@db:5432/app', found, overCap, results, dryRun, 5 * 60_000)).toEqual(expected);
  });
});
