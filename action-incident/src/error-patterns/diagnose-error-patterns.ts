// The error-pattern review over the logs the hosts family read: patterns per service with counts, first
// and last seen, last week's count beside each; new and fast-growing patterns are faults.
import { escapeCell, markdownTable, type RunState } from '../../../shared/src/index.js';
import { diagnosis, type Diagnosis } from '../incident/diagnosis.js';
import { groupErrorPatterns, type ContainerLog } from './group.js';
import { compareWithLastWeek, isNotable, recordPatterns, type ComparedPattern } from './week-over-week.js';

const FAMILY = 'error patterns';
/** Rows shown in the summary table. */
const ROWS_SHOWN = 30;

/** Groups, compares with last week, and records this run's counts in `state` for next week. */
export function diagnoseErrorPatterns(logs: readonly ContainerLog[], state: RunState, now: Date): Diagnosis {
  const d = diagnosis(FAMILY);
  const patterns = groupErrorPatterns(logs);
  const week = compareWithLastWeek(patterns, state, now);
  recordPatterns(state, patterns, now);
  if (logs.length === 0) {
    d.notes.push('Error patterns: no container logs were read (no hosts, or their logs could not be read).');
    return d;
  }
  if (week.baselineAt) {
    for (const p of week.patterns.filter(isNotable)) {
      const what = p.trend === 'new' ? 'new error pattern since last week' : `error pattern grew from ${p.previous} to ${p.count} lines since last week`;
      d.faults.push({ family: FAMILY, target: p.service, severity: 'warn', message: `${what}: '${p.signature}' (${p.count} lines on ${p.hosts.join(', ')})` });
    }
  } else {
    d.notes.push('Error patterns: no run 6 to 14 days ago to compare with; this run is recorded for next week.');
    const byService = new Map<string, ComparedPattern[]>();
    for (const p of week.patterns) byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
    for (const [service, list] of byService) {
      const lines = list.reduce((n, p) => n + p.count, 0);
      d.faults.push({ family: FAMILY, target: service, severity: 'warn', message: `${lines} error line${lines === 1 ? '' : 's'} in ${list.length} pattern${list.length === 1 ? '' : 's'}; most frequent: '${list[0].signature}'` });
    }
  }
  if (patterns.length === 0) {
    d.notes.push(`Error patterns: no error lines in the ${logs.length} container logs read.`);
    return d;
  }
  const rows = week.patterns.slice(0, ROWS_SHOWN).map((p) => [
    p.service,
    p.signature,
    p.count,
    p.previous === undefined ? '—' : p.previous,
    p.trend ?? '—',
    p.firstSeen ?? '—',
    p.lastSeen ?? '—',
    p.hosts.join(', ')
  ]);
  const gone = week.gone.length ? `\n\nGone since last week: ${week.gone.slice(0, 10).map((g) => `${escapeCell(g.service)}: ${escapeCell(g.signature)} (${g.previous})`).join('; ')}.` : '';
  const cut = week.patterns.length > ROWS_SHOWN ? `\n\n_${week.patterns.length - ROWS_SHOWN} less frequent patterns not shown._` : '';
  d.sections.push({
    title: `Error log patterns${week.baselineAt ? ` (compared with the run of ${week.baselineAt})` : ''}`,
    markdown:
      markdownTable(['Service', 'Signature', { title: 'Lines', align: 'right' }, { title: 'Last week', align: 'right' }, 'Trend', 'First seen', 'Last seen', 'Hosts'], rows) + gone + cut
  });
  return d;
}
