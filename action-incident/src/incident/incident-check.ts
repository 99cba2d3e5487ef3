// The one check an incident run reports, and so the one issue it files (the core's incident issues key
// issues by check): every fault of every family named in its message and listed in its details. A run
// that finds nothing reports it passing, which closes the open incident issue with its downtime.
import { markdownTable, oneLine, STATUS_ICON, type Check, type ReportSection, type Status } from '../../../shared/src/index.js';
import type { Fault } from './diagnosis.js';

/** The check id (the issue key is `incident:faults`), named once. */
export const INCIDENT_CHECK_ID = 'faults';
/** Faults named in the one-line message; the details list every one. */
const NAMED_IN_MESSAGE = 12;

/** Failing faults first, then warnings; within a severity, in the families' order. */
export function orderFaults(faults: readonly Fault[]): Fault[] {
  const rank = (s: Status): number => (s === 'fail' ? 0 : 1);
  // Array sort is stable (ES2019): within a severity, the faults keep their order.
  return [...faults].sort((a, b) => rank(a.severity) - rank(b.severity));
}

/**
 * `endpoints · https://x/health: hangs: ...`, on one line whatever the remote text held: a line break
 * followed by `::add-mask::` or `::stop-commands::` in a log or an error can never start a workflow
 * command in the runner's log, nor a second line in the issue.
 */
export function describeFault(f: Fault): string {
  return `${oneLine(f.family, 40)} · ${oneLine(f.target, 200)}: ${oneLine(f.message, 600)}`;
}

/** The incident check over all faults. */
export function buildIncidentCheck(platform: string, faults: readonly Fault[], families: readonly string[]): Check {
  const ordered = orderFaults(faults);
  const status: Status = ordered.some((f) => f.severity === 'fail') ? 'fail' : ordered.length ? 'warn' : 'ok';
  const base = { id: INCIDENT_CHECK_ID, kind: 'incident', target: platform, status, value: ordered.length, unit: ordered.length === 1 ? 'fault' : 'faults' };
  if (ordered.length === 0) return { ...base, message: `no fault found by ${families.join(', ')}` };
  const named = ordered.slice(0, NAMED_IN_MESSAGE).map(describeFault);
  const more = ordered.length > NAMED_IN_MESSAGE ? `; and ${ordered.length - NAMED_IN_MESSAGE} more (see details)` : '';
  return {
    ...base,
    message: `${ordered.length} fault${ordered.length === 1 ? '' : 's'}: ${named.join('; ')}${more}`,
    details: [`Diagnostics run: ${families.join(', ')}.`, '', ...ordered.map((f) => `[${f.severity}] ${describeFault(f)}`)].join('\n')
  };
}

/** The summary's first section: every fault in one table. */
export function faultsSection(faults: readonly Fault[]): ReportSection {
  const ordered = orderFaults(faults);
  return {
    title: `Faults (${ordered.length})`,
    markdown: ordered.length
      ? markdownTable(['', 'Diagnostic', 'Target', 'What was seen'], ordered.map((f) => [{ markdown: STATUS_ICON[f.severity] }, f.family, f.target, f.message]))
      : 'No fault found.'
  };
}
