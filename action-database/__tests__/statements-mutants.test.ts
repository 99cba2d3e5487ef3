// Mutation-testing table for report/statements.ts (issue 14): why pg_stat_statements is unavailable
// (loaded or not, created or not, hidden from the role, unreadable), word for word, and the top rows as read.
// The session is a stand-in at the edge that answers the three catalogue reads and the top-statements query.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret, type DatabaseSession } from '../../shared/src/index.js';
import { ENABLE_PG_STAT_STATEMENTS, readTopStatements, type StatementsResult } from '../src/report/statements.js';

interface Server {
  /** The extension's schema and view columns; undefined = not created. */
  ext?: { schema: string; columns: string[] };
  /** shared_preload_libraries as pg_settings shows it; undefined = hidden from the role. */
  libs?: string;
  /** The top-statements rows, or the error reading them raises. */
  top?: Array<Record<string, unknown>> | Error;
}

function stand(server: Server): { session: DatabaseSession; sql: string[] } {
  const sql: string[] = [];
  const session = {
    client: { escapeIdentifier: (s: string) => `"${s.replaceAll('"', '""')}"` },
    query: async (text: string, values?: unknown[]) => {
      sql.push(values ? `${text.replace(/\s+/g, ' ').trim()} ${JSON.stringify(values)}` : text.replace(/\s+/g, ' ').trim());
      if (text.includes('FROM pg_extension')) return { rows: server.ext ? [server.ext] : [] };
      if (text.includes('FROM pg_settings')) return { rows: server.libs === undefined ? [] : [{ libs: server.libs }] };
      if (text.includes('queryid::text')) {
        if (server.top instanceof Error) throw server.top;
        return { rows: server.top ?? [] };
      }
      return { rows: [] };
    }
  } as unknown as DatabaseSession;
  return { session, sql };
}

const NEW = ['userid', 'dbid', 'queryid', 'query', 'calls', 'total_exec_time', 'mean_exec_time', 'rows'];
const OLD = ['userid', 'dbid', 'queryid', 'query', 'calls', 'total_time', 'mean_time', 'rows'];
const unavailable = (reason: string): StatementsResult => ({ available: false, reason, howToEnable: ENABLE_PG_STAT_STATEMENTS });
const notLoaded = Object.assign(new Error('pg_stat_statements must be loaded via "shared_preload_libraries"'), { code: '55000' });

describe('readTopStatements: unavailable, and why', () => {
  beforeAll(() => registerSecret('Secr3t'));
  afterAll(() => clearSecretsForTest());
  it.each<[string, Server, StatementsResult]>([
    ['preloaded, not created', { libs: 'pg_stat_statements' }, unavailable('pg_stat_statements is loaded but the extension is not created in this database')],
    ['preloaded among others, quoted and spaced', { libs: 'auto_explain, "pg_stat_statements"' }, unavailable('pg_stat_statements is loaded but the extension is not created in this database')],
    ['preloaded first of two, quoted', { libs: '"pg_stat_statements",auto_explain' }, unavailable('pg_stat_statements is loaded but the extension is not created in this database')],
    [
      'neither preloaded nor created',
      { libs: 'auto_explain' },
      unavailable('pg_stat_statements is not loaded (it is not in shared_preload_libraries) and not created in this database')
    ],
    [
      'nothing preloaded, not created',
      { libs: '' },
      unavailable('pg_stat_statements is not loaded (it is not in shared_preload_libraries) and not created in this database')
    ],
    [
      'only the quotes around a name are taken off, not one inside it',
      { libs: 'pg_stat_"statements' },
      unavailable('pg_stat_statements is not loaded (it is not in shared_preload_libraries) and not created in this database')
    ],
    [
      'a library whose name only contains it is not it',
      { libs: 'pg_stat_statements_extra' },
      unavailable('pg_stat_statements is not loaded (it is not in shared_preload_libraries) and not created in this database')
    ],
    [
      'the setting hidden from the role, not created',
      {},
      unavailable('the pg_stat_statements extension is not created in this database (whether it is in shared_preload_libraries is hidden from this role)')
    ],
    [
      'created with neither column naming complete',
      { libs: 'pg_stat_statements', ext: { schema: 'public', columns: ['queryid', 'total_exec_time', 'mean_time'] } },
      unavailable('pg_stat_statements has neither total_exec_time/mean_exec_time nor total_time/mean_time (columns: queryid, total_exec_time, mean_time)')
    ],
    [
      'created but not preloaded: reading it fails',
      { libs: '', ext: { schema: 'public', columns: NEW }, top: notLoaded },
      unavailable('the extension is created but not loaded: pg_stat_statements must be loaded via "shared_preload_libraries"')
    ],
    [
      'created, setting hidden: reading it fails',
      { ext: { schema: 'public', columns: NEW }, top: notLoaded },
      unavailable('the extension is created but not loaded: pg_stat_statements must be loaded via "shared_preload_libraries"')
    ],
    [
      'created and preloaded but unreadable (a secret in the message is scrubbed)',
      { libs: 'pg_stat_statements', ext: { schema: 'public', columns: NEW }, top: new Error('permission denied, see postgresql://u:Secr3t@h/db') },
      unavailable('pg_stat_statements cannot be read: permission denied, see postgresql://u:***@h/db')
    ]
  ])('%s', async (_name, server, expected) => {
    expect(await readTopStatements(stand(server).session, 10)).toEqual(expected);
  });
});

describe('readTopStatements: available', () => {
  it.each<[string, string[], string]>([
    ['PostgreSQL 13+ names', NEW, 'total_exec_time'],
    ['PostgreSQL 12 names', OLD, 'total_time']
  ])('reads the top rows under the %s, from the extension’s schema, with empty ids and texts as empty strings', async (_name, columns, total) => {
    const top = [
      { queryid: '42', query: 'SELECT 1', calls: 3, total_ms: 30, mean_ms: 10, rows: 3 },
      { queryid: null, query: null, calls: 1, total_ms: 5, mean_ms: 5, rows: 0 }
    ];
    const { session, sql } = stand({ libs: 'pg_stat_statements', ext: { schema: 'stats', columns }, top });
    const result = await readTopStatements(session, 7);
    expect(result).toEqual({
      available: true,
      columns: total === 'total_time' ? { total: 'total_time', mean: 'mean_time' } : { total: 'total_exec_time', mean: 'mean_exec_time' },
      top: [
        { queryId: '42', query: 'SELECT 1', calls: 3, totalMs: 30, meanMs: 10, rows: 3 },
        { queryId: '', query: '', calls: 1, totalMs: 5, meanMs: 5, rows: 0 }
      ]
    });
    const read = sql.find((s) => s.includes('queryid::text')) ?? '';
    expect(read).toContain(`FROM "stats".pg_stat_statements`);
    expect(read).toContain(`ORDER BY ${total} DESC LIMIT $1 [7]`);
  });
});
