// syncIssues' settings checks and maintenance windows word for word (issue 14, mutation testing): each
// refused setting with its sentence and the edge values that pass, and which window `now` falls in
// (start inclusive, end exclusive) with its reason. No GitHub: the client fails every call, so only
// the decisions made before and around the API show.
import { describe, expect, it } from '@jest/globals';
import { syncIssues, type IssueSyncOptions } from '../src/issues/index.js';
import type { GitHubClient } from '../src/issues/github-client.js';
import { buildReport } from '../src/report/model.js';
import { emptyState } from '../src/state/types.js';
import type { IssueConfig, MaintenanceWindow } from '../src/config/types.js';
import { ConfigurationError } from '../src/errors.js';

const WHERE = "the 'issues' section of the ops config";
const offline = { rest: { issues: { listForRepo: async () => { throw new Error('offline'); } } } } as unknown as GitHubClient;
const report = buildReport({ action: 'health', title: 'Health', startedAt: new Date('2026-03-01T10:00:00Z'), checks: [] });

function settings(over: Partial<IssueConfig> = {}): IssueConfig {
  return { labels: ['a2a-ops'], failuresToOpen: 1, successesToClose: 1, commentIntervalMs: 0, maintenanceLabel: '', maintenanceWindows: [], assignees: [], ...over };
}
const sync = (over: Partial<IssueConfig>, opts: Partial<IssueSyncOptions> = {}) =>
  syncIssues(offline, report, emptyState(), { repo: { owner: 'o', repo: 'r' }, settings: settings(over), openOn: 'fail', runUrl: 'https://example.test/run', now: new Date('2026-03-01T10:00:00Z'), ...opts });

describe('syncIssues refuses bad settings with the sentence that fixes them', () => {
  const labels = `issues.labels in ${WHERE} must name at least one label: the first one is how incident issues are found again.`;
  it.each([
    { name: 'no labels', over: { labels: [] }, message: labels },
    { name: 'a blank first label', over: { labels: ['  ', 'incident'] }, message: labels },
    { name: 'an empty first label', over: { labels: [''] }, message: labels },
    { name: 'failures-to-open 0', over: { failuresToOpen: 0 }, message: `issues.failures-to-open in ${WHERE} must be a whole number of at least 1, got 0.` },
    { name: 'failures-to-open 1.5', over: { failuresToOpen: 1.5 }, message: `issues.failures-to-open in ${WHERE} must be a whole number of at least 1, got 1.5.` },
    { name: 'successes-to-close -2', over: { successesToClose: -2 }, message: `issues.successes-to-close in ${WHERE} must be a whole number of at least 1, got -2.` },
    { name: 'successes-to-close NaN', over: { successesToClose: NaN }, message: `issues.successes-to-close in ${WHERE} must be a whole number of at least 1, got NaN.` },
    { name: 'a negative comment interval', over: { commentIntervalMs: -1 }, message: `issues.comment-interval in ${WHERE} must be a duration such as '6h' or '30m' (0 comments on every failing run), got -1.` },
    { name: 'an infinite comment interval', over: { commentIntervalMs: Infinity }, message: `issues.comment-interval in ${WHERE} must be a duration such as '6h' or '30m' (0 comments on every failing run), got Infinity.` },
    { name: 'a window without a valid start', over: { maintenanceWindows: [{ start: '2026-03-01T09:00:00Z', end: '2026-03-01T10:00:00Z' }, { start: 'tonight', end: '2026-03-01T10:00:00Z' }] }, message: `issues.maintenance-windows[1] in ${WHERE} needs ISO 8601 'start' and 'end' times such as '2026-01-31T22:00:00Z'.` },
    { name: 'a window without a valid end', over: { maintenanceWindows: [{ start: '2026-03-01T09:00:00Z', end: 'later' }] }, message: `issues.maintenance-windows[0] in ${WHERE} needs ISO 8601 'start' and 'end' times such as '2026-01-31T22:00:00Z'.` },
    { name: 'a window ending as it starts', over: { maintenanceWindows: [{ start: '2026-03-01T09:00:00Z', end: '2026-03-01T09:00:00Z' }] }, message: `issues.maintenance-windows[0] in ${WHERE} ends before it starts: swap 'start' and 'end'.` },
    { name: 'a window ending before it starts', over: { maintenanceWindows: [{ start: '2026-03-01T09:00:00Z', end: '2026-03-01T08:00:00Z' }] }, message: `issues.maintenance-windows[0] in ${WHERE} ends before it starts: swap 'start' and 'end'.` }
  ])('$name', async ({ over, message }) => {
    await expect(sync(over)).rejects.toThrow(new ConfigurationError(message));
  });

  it.each([
    { name: 'one label', over: { labels: ['a2a-ops'] } },
    { name: 'failures-to-open and successes-to-close of 1', over: { failuresToOpen: 1, successesToClose: 1 } },
    { name: 'a comment interval of 0', over: { commentIntervalMs: 0 } },
    { name: 'a one-millisecond window', over: { maintenanceWindows: [{ start: '2026-03-01T09:00:00.000Z', end: '2026-03-01T09:00:00.001Z' }] } }
  ])('accepts $name', async ({ over }) => {
    await expect(sync(over)).resolves.toMatchObject({ opened: [], closed: [] });
  });

  it.each(['ok', 'error', 'skipped'])("refuses to open issues on '%s'", async (openOn) => {
    await expect(sync({}, { openOn: openOn as IssueSyncOptions['openOn'] })).rejects.toThrow(
      new ConfigurationError(`Issues open on 'warn' or 'fail', not '${openOn}': every passing check would become an incident.`)
    );
  });

  it.each(['warn', 'fail'])("opens issues on '%s'", async (openOn) => {
    await expect(sync({}, { openOn: openOn as IssueSyncOptions['openOn'] })).resolves.toMatchObject({ opened: [] });
  });
});

describe('maintenance windows', () => {
  const windows: MaintenanceWindow[] = [
    { start: '2026-03-01T06:00:00Z', end: '2026-03-01T07:00:00Z', reason: 'kernel update' },
    { start: '2026-03-01T09:00:00Z', end: '2026-03-01T10:00:00Z' },
    { start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z', reason: 'db upgrade' }
  ];
  it.each([
    { now: '2026-03-01T05:59:59.999Z', suppressed: undefined },
    { now: '2026-03-01T06:00:00Z', suppressed: 'maintenance window 2026-03-01T06:00:00Z → 2026-03-01T07:00:00Z (kernel update)' },
    { now: '2026-03-01T06:59:59.999Z', suppressed: 'maintenance window 2026-03-01T06:00:00Z → 2026-03-01T07:00:00Z (kernel update)' },
    { now: '2026-03-01T07:00:00Z', suppressed: undefined },
    { now: '2026-03-01T09:30:00Z', suppressed: 'maintenance window 2026-03-01T09:00:00Z → 2026-03-01T10:00:00Z' },
    { now: '2026-03-01T10:00:00Z', suppressed: 'maintenance window 2026-03-01T10:00:00Z → 2026-03-01T11:00:00Z (db upgrade)' },
    { now: '2026-03-01T11:00:00Z', suppressed: undefined }
  ])('at $now: $suppressed', async ({ now, suppressed }) => {
    const result = await sync({ maintenanceWindows: windows }, { now: new Date(now) });
    expect(result.suppressed).toBe(suppressed);
    expect('suppressed' in result).toBe(suppressed !== undefined);
  });
});
