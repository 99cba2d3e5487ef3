// The audit's decision code: lynis' report file parsed (index, warnings, suggestions), and the comparison
// with the previous audit in the state store (a drop, new warnings, resolved ones, the first audit as the
// baseline), the state update (warnings no longer present dropped), and the trend chart.
import { describe, expect, it } from '@jest/globals';
import { emptyState, type RunState } from '../../shared/src/index.js';
import { parseLynisReport, type LynisReport } from '../src/audit/lynis-report.js';
import { AUDIT_SERIES, compareAudit, recordAudit, renderIndexTrend } from '../src/audit/trend.js';

const REPORT = `# Lynis Report
report_version_major=1
lynis_version=3.0.8
os=Linux
warning[]=PKGS-7392|Found one or more vulnerable packages.|-|-|
warning[]=FIRE-4512|iptables module(s) loaded, but no rules active|-|-|
suggestion[]=DEB-0280|Install libpam-tmpdir to set $TMP and $TMPDIR for PAM sessions|-|-|
suggestion[]=KRNL-5788|Determine why /vmlinuz or /boot/vmlinuz is missing on this Debian/Ubuntu system.|/vmlinuz or /boot/vmlinuz|-|
lynis_tests_done=255
hardening_index=57
`;

describe('parseLynisReport', () => {
  it('reads the index, the warnings and the suggestions with their details', () => {
    const r = parseLynisReport(REPORT);
    expect(r.hardeningIndex).toBe(57);
    expect(r.lynisVersion).toBe('3.0.8');
    expect(r.testsPerformed).toBe(255);
    expect(r.warnings).toEqual([
      { id: 'PKGS-7392', text: 'Found one or more vulnerable packages.', details: '' },
      { id: 'FIRE-4512', text: 'iptables module(s) loaded, but no rules active', details: '' }
    ]);
    expect(r.suggestions[1]).toEqual({ id: 'KRNL-5788', text: 'Determine why /vmlinuz or /boot/vmlinuz is missing on this Debian/Ubuntu system.', details: '/vmlinuz or /boot/vmlinuz' });
  });

  it.each([
    { name: 'a report cut short (no index)', text: 'lynis_version=3.0.8\nwarning[]=X-1|x|-|-|\n', index: undefined, warnings: 1 },
    { name: 'an empty index value', text: 'hardening_index=\n', index: undefined, warnings: 0 },
    { name: 'an index of 0', text: 'hardening_index=0\n', index: 0, warnings: 0 },
    { name: 'Windows line ends', text: 'hardening_index=80\r\nwarning[]=A-1|a|-|-|\r\n', index: 80, warnings: 1 },
    { name: 'a finding without an id', text: 'warning[]=|text only|-|-|\n', index: undefined, warnings: 1 }
  ])('reads $name', ({ text, index, warnings }) => {
    const r = parseLynisReport(text);
    expect(r.hardeningIndex).toBe(index);
    expect(r.warnings).toHaveLength(warnings);
  });
});

function report(index: number, warnings: string[]): LynisReport {
  return { hardeningIndex: index, warnings: warnings.map((id) => ({ id, text: id, details: '' })), suggestions: [] };
}
function stateAfter(...audits: Array<[number, string[]]>): RunState {
  const state = emptyState();
  audits.forEach(([i, w], n) => recordAudit(state, 'app1', report(i, w), new Date(Date.UTC(2026, 10, 1 + n))));
  return state;
}

describe('compareAudit', () => {
  it.each([
    { name: 'the first audit sets the baseline', before: [] as Array<[number, string[]]>, now: report(60, ['A-1']), want: { firstAudit: true, dropped: false, newWarnings: [], resolvedWarnings: [], delta: undefined } },
    { name: 'an index that fell', before: [[65, ['A-1']]] as Array<[number, string[]]>, now: report(60, ['A-1']), want: { firstAudit: false, dropped: true, delta: -5, previousIndex: 65, newWarnings: [] } },
    { name: 'an index one point lower', before: [[60, []]] as Array<[number, string[]]>, now: report(59, []), want: { dropped: true, delta: -1 } },
    { name: 'an index that rose', before: [[60, []]] as Array<[number, string[]]>, now: report(62, []), want: { dropped: false, delta: 2 } },
    { name: 'the same index', before: [[60, []]] as Array<[number, string[]]>, now: report(60, []), want: { dropped: false, delta: 0 } },
    { name: 'a new warning', before: [[60, ['A-1']]] as Array<[number, string[]]>, now: report(60, ['A-1', 'B-2']), want: { dropped: false, newWarnings: ['B-2'], resolvedWarnings: [] } },
    { name: 'a resolved warning', before: [[60, ['A-1', 'B-2']]] as Array<[number, string[]]>, now: report(61, ['A-1']), want: { newWarnings: [], resolvedWarnings: ['B-2'] } },
    { name: 'a warning that comes back after it was gone', before: [[60, ['A-1']], [60, []]] as Array<[number, string[]]>, now: report(60, ['A-1']), want: { newWarnings: ['A-1'] } },
    { name: 'against the latest audit, not the best one', before: [[70, []], [60, []]] as Array<[number, string[]]>, now: report(65, []), want: { dropped: false, delta: 5, previousIndex: 60 } }
  ])('$name', ({ before, now, want }) => {
    expect(compareAudit(stateAfter(...before), 'app1', now)).toMatchObject(want);
  });

  it('keeps hosts apart', () => {
    const state = stateAfter([80, ['A-1']]);
    expect(compareAudit(state, 'app2', report(50, ['A-1', 'B-2']))).toMatchObject({ firstAudit: true, dropped: false, newWarnings: [] });
  });
});

describe('recordAudit and the trend', () => {
  it('keeps one series per present warning and drops the others', () => {
    const state = stateAfter([60, ['A-1', 'B-2']], [61, ['B-2']]);
    expect(Object.keys(state.history).sort()).toEqual([AUDIT_SERIES.index('app1'), AUDIT_SERIES.warning('app1', 'B-2')]);
    expect(state.history[AUDIT_SERIES.index('app1')].map((s) => s.v)).toEqual([60, 61]);
  });

  it('draws a chart from the second audit on, with a table of the extremes', () => {
    expect(renderIndexTrend(stateAfter([60, []]), ['app1'])).not.toContain('xychart-beta');
    const chart = renderIndexTrend(stateAfter([60, []], [55, []], [58, []]), ['app1']);
    expect(chart).toContain('xychart-beta');
    expect(chart).toContain('title "app1: lynis hardening index"');
    expect(chart).toContain('  line [60, 55, 58]');
    expect(chart).toContain('| app1 | 58 | 55 | 60 | 3 |');
  });
});
