// One VACUUM (ANALYZE) of one table under the session's lock_timeout: a table whose lock is not granted
// within it is skipped (the application holds it), never waited on; the server's own "skipping" warnings
// (not the owner) are read from its notices.
import { scrubSecrets, toError, type DatabaseSession } from '../../../shared/src/index.js';
import type { TableFact } from './list-tables.js';

export type VacuumOutcome = 'vacuumed' | 'skipped' | 'failed';

export interface VacuumResult {
  table: TableFact;
  outcome: VacuumOutcome;
  durationMs: number;
  /** Why it was skipped or failed. */
  detail?: string;
}

/** SQLSTATEs the run treats as "skip this table", with the words the report uses. */
const SKIP_CODES: Record<string, string> = {
  '55P03': 'its lock was not granted within lock_timeout (an application transaction holds a conflicting lock)',
  '42501': 'the role may not vacuum it (not its owner)'
};

/** Runs `VACUUM (ANALYZE) schema.table`; never throws. */
export async function vacuumTable(session: DatabaseSession, table: TableFact): Promise<VacuumResult> {
  const name = `${session.client.escapeIdentifier(table.schema)}.${session.client.escapeIdentifier(table.table)}`;
  const notices: string[] = [];
  const onNotice = (n: { message?: string }): void => {
    if (n.message) notices.push(n.message);
  };
  session.client.on('notice', onNotice);
  const started = performance.now();
  try {
    await session.query(`VACUUM (ANALYZE) ${name}`);
    const durationMs = Math.round(performance.now() - started);
    const skipping = notices.find((m) => /\bskipping\b/i.test(m));
    if (skipping) return { table, outcome: 'skipped', durationMs, detail: scrubSecrets(skipping) };
    return { table, outcome: 'vacuumed', durationMs };
  } catch (err) {
    const durationMs = Math.round(performance.now() - started);
    const code = (err as { code?: string }).code ?? '';
    if (SKIP_CODES[code]) return { table, outcome: 'skipped', durationMs, detail: SKIP_CODES[code] };
    const why = code === '57014' ? 'stopped by statement_timeout' : scrubSecrets(toError(err).message);
    return { table, outcome: 'failed', durationMs, detail: why };
  } finally {
    session.client.off('notice', onNotice);
  }
}
