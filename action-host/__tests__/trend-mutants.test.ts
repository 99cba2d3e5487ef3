// The audit's comparison and its record in the state store at their edges (issue 14's mutation testing): the
// last of several audits as the reference, an audit without an index, warnings listed in order, another
// host's warnings left alone, and exactly what each sample holds.
import { describe, expect, it } from '@jest/globals';
import { emptyState, type RunState } from '../../shared/src/index.js';
import type { LynisReport } from '../src/audit/lynis-report.js';
import { compareAudit, recordAudit } from '../src/audit/trend.js';

const report = (hardeningIndex: number | undefined, warnings: string[] = []): LynisReport => ({ hardeningIndex, warnings: warnings.map((id) => ({ id, text: `${id} text`, details: '' })), suggestions: [] });
const at = (day: number): Date => new Date(Date.UTC(2026, 10, day));
function audited(...audits: Array<[number | undefined, string[]]>): RunState {
  const state = emptyState();
  audits.forEach(([index, warnings], n) => recordAudit(state, 'app1', report(index, warnings), at(n + 1)));
  return state;
}

describe('compareAudit at its edges', () => {
  it.each([
    {
      name: 'the reference is the last of three audits, with its time',
      state: audited([70, []], [50, []], [60, []]),
      now: report(65),
      want: { previousIndex: 60, previousAt: '2026-11-03T00:00:00.000Z', delta: 5, dropped: false, newWarnings: [], resolvedWarnings: [], firstAudit: false }
    },
    {
      name: 'an audit without an index after one with an index',
      state: audited([60, ['A-1']]),
      now: report(undefined, ['A-1']),
      want: { previousIndex: 60, previousAt: '2026-11-01T00:00:00.000Z', delta: undefined, dropped: false, newWarnings: [], resolvedWarnings: [], firstAudit: false }
    },
    {
      name: 'the first audit, warnings and all',
      state: emptyState(),
      now: report(40, ['A-1']),
      want: { previousIndex: undefined, previousAt: undefined, delta: undefined, dropped: false, newWarnings: [], resolvedWarnings: [], firstAudit: true }
    },
    {
      name: 'new and resolved warnings, each list sorted',
      state: audited([60, ['Z-9', 'A-1', 'M-5']]),
      now: report(60, ['Y-8', 'M-5', 'B-2']),
      want: { previousIndex: 60, previousAt: '2026-11-01T00:00:00.000Z', delta: 0, dropped: false, newWarnings: ['B-2', 'Y-8'], resolvedWarnings: ['A-1', 'Z-9'], firstAudit: false }
    }
  ])('$name', ({ state, now, want }) => {
    expect(compareAudit(state, 'app1', now)).toEqual(want);
  });

  it('does not change the state it compares against', () => {
    const state = audited([60, ['A-1']]);
    const copy = structuredClone(state);
    compareAudit(state, 'app1', report(50, ['B-2']));
    expect(state).toEqual(copy);
  });
});

describe('recordAudit at its edges', () => {
  it('records the index and each present warning as one sample at the audit time', () => {
    expect(audited([61, ['A-1', 'B-2']]).history).toEqual({
      'audit:index:app1': [{ t: '2026-11-01T00:00:00.000Z', v: 61 }],
      'audit:warning:app1:A-1': [{ t: '2026-11-01T00:00:00.000Z', v: 1 }],
      'audit:warning:app1:B-2': [{ t: '2026-11-01T00:00:00.000Z', v: 1 }]
    });
  });

  it('adds no index sample for an audit without an index, and still drops the warnings gone since', () => {
    expect(audited([61, ['A-1', 'B-2']], [undefined, ['B-2']]).history).toEqual({
      'audit:index:app1': [{ t: '2026-11-01T00:00:00.000Z', v: 61 }],
      'audit:warning:app1:B-2': [
        { t: '2026-11-01T00:00:00.000Z', v: 1 },
        { t: '2026-11-02T00:00:00.000Z', v: 1 }
      ]
    });
  });

  it("leaves another host's index and warnings alone", () => {
    const state = audited([61, ['A-1']]);
    recordAudit(state, 'app2', report(70, ['B-2']), at(5));
    recordAudit(state, 'app2', report(71, []), at(6));
    expect(Object.keys(state.history).sort()).toEqual(['audit:index:app1', 'audit:index:app2', 'audit:warning:app1:A-1']);
    expect(compareAudit(state, 'app1', report(61, ['A-1']))).toMatchObject({ newWarnings: [], resolvedWarnings: [] });
  });
});
