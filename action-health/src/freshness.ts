// The freshness check: GitHub delays and drops scheduled runs, so say when the previous scheduled run is older than expected.
import type { Check, Status } from '../../shared/src/index.js';

/**
 * Compares the last scheduled run with the expected interval. Up to 1.5 × the interval is on time
 * (GitHub routinely starts cron runs 10–60 minutes late); up to 2 × is `warn` (late); beyond, at least
 * one scheduled run is missing: `fail`, which files an issue. No earlier scheduled run is `ok` and says so.
 */
export function evaluateFreshness(lastScheduledRunAt: string | undefined, now: Date, expectedIntervalMs: number): Check {
  const base = { id: 'freshness:schedule', kind: 'freshness', target: 'scheduled runs', threshold: `every ${describe(expectedIntervalMs)}` };
  if (!lastScheduledRunAt || !Number.isFinite(Date.parse(lastScheduledRunAt))) {
    return { ...base, status: 'ok', message: 'no earlier scheduled run recorded: freshness is measured from the next one' };
  }
  const ageMs = now.getTime() - Date.parse(lastScheduledRunAt);
  const ratio = ageMs / expectedIntervalMs;
  const status: Status = ratio > 2 ? 'fail' : ratio > 1.5 ? 'warn' : 'ok';
  const missed = Math.floor(ratio) - 1;
  const message =
    status === 'ok'
      ? `previous scheduled run ${describe(ageMs)} ago (${lastScheduledRunAt})`
      : status === 'warn'
        ? `previous scheduled run ${describe(ageMs)} ago: the schedule is running late (GitHub delays cron runs under load)`
        : `previous scheduled run ${describe(ageMs)} ago: about ${missed} scheduled run${missed === 1 ? '' : 's'} missing — check that the workflow is enabled (GitHub disables schedules after 60 days without repository activity)`;
  return { ...base, status, value: Math.round(ageMs / 60_000), unit: 'min', message };
}

function describe(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 120) return `${min} min`;
  const h = Math.round((ms / 3_600_000) * 10) / 10;
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}
