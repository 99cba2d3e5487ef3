// The incident lifecycle's per-check step, row by row (issue 14, mutation testing): how a run moves the
// check's memory (failure and success streaks, downtime start, failing-run count, last seen) and whether
// its issue is opened, kept current, closed or left alone, at each threshold's edge. The GitHub calls
// that carry the step out are tested against the stand-in in issues-sync.test.ts.
import { describe, expect, it } from '@jest/globals';
import { quietMemory, stepCheck, type IssueStep, type StepInput } from '../src/issues/decide.js';
import type { CheckMemory } from '../src/state/types.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const T = NOW.toISOString();
const CREATED = '2026-02-28T08:00:00Z';
const EARLIER = '2026-02-27T06:00:00.000Z';
const SEEN = '2026-03-01T09:00:00.000Z';

function input(over: Partial<StepInput> = {}): StepInput {
  return { status: 'fail', openOn: 'fail', listed: true, suppressed: false, settings: { failuresToOpen: 1, successesToClose: 1 }, now: NOW, ...over };
}
const failingMemory = (over: Partial<CheckMemory> = {}): CheckMemory => ({
  lastStatus: 'fail',
  consecutiveFailures: 1,
  consecutiveSuccesses: 0,
  failingSince: EARLIER,
  failingRuns: 1,
  lastFailureAt: SEEN,
  ...over
});

describe('stepCheck', () => {
  it.each<[string, CheckMemory | undefined, Partial<StepInput>, IssueStep, CheckMemory]>([
    // Failing runs
    ['a first failure opens at once with failures-to-open 1', undefined, {}, 'open',
      { lastStatus: 'fail', consecutiveFailures: 1, consecutiveSuccesses: 0, failingSince: T, failingRuns: 1, lastFailureAt: T }],
    ['one failure short of failures-to-open files nothing yet', failingMemory(), { settings: { failuresToOpen: 3, successesToClose: 1 } }, 'none',
      failingMemory({ consecutiveFailures: 2, failingRuns: 2, lastFailureAt: T })],
    ['exactly failures-to-open failures in a row opens', failingMemory({ consecutiveFailures: 2, failingRuns: 2 }), { settings: { failuresToOpen: 3, successesToClose: 1 } }, 'open',
      failingMemory({ consecutiveFailures: 3, failingRuns: 3, lastFailureAt: T })],
    ['a failure after a passing run ends the success streak', failingMemory({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 2, failingRuns: 4 }), { existing: { createdAt: CREATED } }, 'keep-current',
      failingMemory({ consecutiveFailures: 1, consecutiveSuccesses: 0, failingRuns: 5, lastFailureAt: T })],
    ['maintenance holds back opening, but the streak still counts', undefined, { suppressed: true }, 'none',
      { lastStatus: 'fail', consecutiveFailures: 1, consecutiveSuccesses: 0, failingSince: T, failingRuns: 1, lastFailureAt: T }],
    ['an open issue is kept current, maintenance or not', failingMemory(), { existing: { createdAt: CREATED }, suppressed: true }, 'keep-current',
      failingMemory({ consecutiveFailures: 2, failingRuns: 2, lastFailureAt: T })],
    ['with the memory lost, an open issue’s creation is when the failure began', undefined, { existing: { createdAt: CREATED } }, 'keep-current',
      { lastStatus: 'fail', consecutiveFailures: 1, consecutiveSuccesses: 0, failingSince: CREATED, failingRuns: 1, lastFailureAt: T }],
    ['a known start beats the issue’s creation', failingMemory(), { existing: { createdAt: CREATED } }, 'keep-current',
      failingMemory({ consecutiveFailures: 2, failingRuns: 2, lastFailureAt: T })],
    ['with the issues unlisted, nothing is written but the streak counts', failingMemory(), { listed: false }, 'none',
      failingMemory({ consecutiveFailures: 2, failingRuns: 2, lastFailureAt: T })],
    ['a warning is an incident when issues open on warn', undefined, { status: 'warn', openOn: 'warn' }, 'open',
      { lastStatus: 'warn', consecutiveFailures: 1, consecutiveSuccesses: 0, failingSince: T, failingRuns: 1, lastFailureAt: T }],
    ['a failure is an incident when issues open on warn', undefined, { status: 'fail', openOn: 'warn' }, 'open',
      { lastStatus: 'fail', consecutiveFailures: 1, consecutiveSuccesses: 0, failingSince: T, failingRuns: 1, lastFailureAt: T }],
    // Passing runs
    ['a warning is no incident when issues open on fail: the memory is reset', failingMemory(), { status: 'warn' }, 'none', quietMemory('warn')],
    ['a passing check with no incident keeps nothing', failingMemory({ consecutiveSuccesses: 3 }), { status: 'ok' }, 'none', quietMemory('ok')],
    ['a first passing run with nothing remembered', undefined, { status: 'ok' }, 'none', quietMemory('ok')],
    ['one pass short of successes-to-close keeps the issue open', failingMemory(), { status: 'ok', existing: { createdAt: CREATED }, settings: { failuresToOpen: 1, successesToClose: 2 } }, 'none',
      failingMemory({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 1 })],
    ['exactly successes-to-close passes in a row closes', failingMemory({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 1 }), { status: 'ok', existing: { createdAt: CREATED }, settings: { failuresToOpen: 1, successesToClose: 2 } }, 'close',
      failingMemory({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 2 })],
    ['a recovery closes during maintenance too', failingMemory(), { status: 'ok', existing: { createdAt: CREATED }, suppressed: true }, 'close',
      failingMemory({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 1 })],
    ['a warning under open-on fail counts as a pass towards closing', failingMemory(), { status: 'warn', existing: { createdAt: CREATED } }, 'close',
      failingMemory({ lastStatus: 'warn', consecutiveFailures: 0, consecutiveSuccesses: 1 })],
    ['with the issues unlisted, a remembered incident counts passes without closing', failingMemory(), { status: 'ok', listed: false }, 'none',
      failingMemory({ lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 1 })],
    ['with the issues unlisted and no incident remembered, the memory is reset', failingMemory({ failingSince: undefined }), { status: 'ok', listed: false }, 'none', quietMemory('ok')]
  ])('%s', (_name, previous, over, step, memory) => {
    const before = previous && structuredClone(previous);
    const result = stepCheck(previous, input(over));
    expect(result).toEqual({ step, memory });
    // The previous memory is left as it was: the caller stores the new one.
    expect(previous).toEqual(before);
  });

  it('starts a passing check’s memory from ok, so a pass with an open issue is counted from zero', () => {
    expect(stepCheck(undefined, input({ status: 'ok', existing: { createdAt: CREATED }, settings: { failuresToOpen: 1, successesToClose: 2 } }))).toEqual({
      step: 'none',
      memory: { lastStatus: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 1 }
    });
  });
});

describe('quietMemory', () => {
  it.each(['ok', 'warn', 'fail'] as const)('remembers %s with no streak', (status) => {
    expect(quietMemory(status)).toEqual({ lastStatus: status, consecutiveFailures: 0, consecutiveSuccesses: 0 });
  });
});
