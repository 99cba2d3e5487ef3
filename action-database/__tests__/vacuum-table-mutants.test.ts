// Mutation-testing table for vacuum/vacuum-table.ts (issue 14): one table's VACUUM (ANALYZE) and its outcome:
// vacuumed; skipped when the server says "skipping" or the lock is not granted (55P03) or the role may not
// (42501); failed otherwise, with statement_timeout (57014) said plainly. The session is a stand-in at the
// edge that emits the server's notices and raises its errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret, type DatabaseSession } from '../../shared/src/index.js';
import type { TableFact } from '../src/vacuum/list-tables.js';
import { vacuumTable, type VacuumResult } from '../src/vacuum/vacuum-table.js';

interface Reply {
  notices?: Array<{ message?: string }>;
  error?: Error & { code?: string };
}

function stand(reply: Reply): { session: DatabaseSession; sql: string[]; listeners: () => number } {
  const sql: string[] = [];
  let handlers: Array<(n: { message?: string }) => void> = [];
  const session = {
    client: {
      escapeIdentifier: (s: string) => `"${s.replaceAll('"', '""')}"`,
      on: (event: string, fn: (n: { message?: string }) => void) => {
        if (event === 'notice') handlers.push(fn);
      },
      off: (event: string, fn: (n: { message?: string }) => void) => {
        if (event === 'notice') handlers = handlers.filter((h) => h !== fn);
      }
    },
    query: async (text: string) => {
      sql.push(text);
      for (const n of reply.notices ?? []) for (const h of handlers) h(n);
      if (reply.error) throw reply.error;
      return { rows: [] };
    }
  } as unknown as DatabaseSession;
  return { session, sql, listeners: () => handlers.length };
}

const table: TableFact = { schema: 'public', table: 'patterns', totalBytes: 8192, deadRows: 10, liveRows: 90, owned: true };
const fail = (message: string, code?: string): Error & { code?: string } => Object.assign(new Error(message), code ? { code } : {});

describe('vacuumTable', () => {
  beforeAll(() => registerSecret('Secr3t-pw'));
  afterAll(() => clearSecretsForTest());

  it.each<[string, Reply, Pick<VacuumResult, 'outcome' | 'detail'>]>([
    ['no notice: vacuumed', {}, { outcome: 'vacuumed' }],
    ['an unrelated notice: still vacuumed', { notices: [{ message: 'some other notice' }, {}] }, { outcome: 'vacuumed' }],
    ['the server skips it (not the owner)', { notices: [{ message: 'note' }, { message: 'WARNING: Skipping "patterns" --- only table or database owner can vacuum it' }] }, { outcome: 'skipped', detail: 'WARNING: Skipping "patterns" --- only table or database owner can vacuum it' }],
    ['"skipping" only as a whole word (not a word ending in it)', { notices: [{ message: 'unskipping done' }] }, { outcome: 'vacuumed' }],
    ['"skipping" only as a whole word (not a word starting with it)', { notices: [{ message: 'skippingly done' }] }, { outcome: 'vacuumed' }],
    ['a skipping notice is scrubbed', { notices: [{ message: 'skipping Secr3t-pw' }] }, { outcome: 'skipped', detail: 'skipping ***' }],
    [
      'its lock not granted within lock_timeout',
      { error: fail('canceling statement due to lock timeout', '55P03') },
      { outcome: 'skipped', detail: 'its lock was not granted within lock_timeout (an application transaction holds a conflicting lock)' }
    ],
    ['the role may not vacuum it', { error: fail('permission denied', '42501') }, { outcome: 'skipped', detail: 'the role may not vacuum it (not its owner)' }],
    ['statement_timeout', { error: fail('canceling statement due to statement timeout', '57014') }, { outcome: 'failed', detail: 'stopped by statement_timeout' }],
    ['any other error, scrubbed', { error: fail('connection to Secr3t-pw lost', '08006') }, { outcome: 'failed', detail: 'connection to *** lost' }],
    ['an error without a code', { error: fail('boom') }, { outcome: 'failed', detail: 'boom' }],
  ])('%s', async (_name, reply, expected) => {
    const { session, sql, listeners } = stand(reply);
    const { table: t, durationMs, ...rest } = await vacuumTable(session, table);
    expect(rest).toEqual(expected);
    expect(t).toBe(table);
    expect(durationMs).toBeGreaterThanOrEqual(0);
    expect(durationMs).toBeLessThan(1000);
    expect(Number.isInteger(durationMs)).toBe(true);
    expect(sql).toEqual(['VACUUM (ANALYZE) "public"."patterns"']);
    // The notice listener goes with the table, thrown or not.
    expect(listeners()).toBe(0);
  });

  it('quotes odd schema and table names', async () => {
    const { session, sql } = stand({});
    await vacuumTable(session, { ...table, schema: 'My"Schema', table: 'T' });
    expect(sql).toEqual(['VACUUM (ANALYZE) "My""Schema"."T"']);
  });
});
