// Mutation-testing table for pickTables in vacuum/list-tables.ts (issue 14): the tables named in the input
// 'tables', in the database's order (largest first), and the names that matched none.
import { describe, expect, it } from '@jest/globals';
import { pickTables, type TableFact } from '../src/vacuum/list-tables.js';

const fact = (schema: string, table: string): TableFact => ({ schema, table, totalBytes: 1, deadRows: 0, liveRows: 0, owned: true });
const all = [fact('public', 'big'), fact('analytics', 'events'), fact('public', 'events'), fact('public', 'small')];
const name = (t: { schema: string; table: string }): string => `${t.schema}.${t.table}`;

describe('pickTables', () => {
  it.each<[string, Array<[string, string]>, string[], string[]]>([
    ['nothing named: every table, in order', [], ['public.big', 'analytics.events', 'public.events', 'public.small'], []],
    ['named out of order: the database’s order', [['public', 'small'], ['public', 'big']], ['public.big', 'public.small'], []],
    ['the schema matters', [['analytics', 'events']], ['analytics.events'], []],
    ['a table in another schema is missing', [['audit', 'big']], [], ['audit.big']],
    ['found and missing together, missing in the input’s order', [['public', 'zz'], ['public', 'events'], ['public', 'aa']], ['public.events'], ['public.zz', 'public.aa']],
    ['a name given twice is picked and reported once', [['public', 'big'], ['public', 'big'], ['x', 'y'], ['x', 'y']], ['public.big'], ['x.y']]
  ])('%s', (_name, wanted, tables, missing) => {
    const picked = pickTables(all, wanted.map(([schema, table]) => ({ schema, table })));
    expect({ tables: picked.tables.map(name), missing: picked.missing }).toEqual({ tables, missing });
  });

  it('returns a copy of the list, not the list itself', () => {
    const picked = pickTables(all, []);
    expect(picked.tables).not.toBe(all);
    expect(picked.tables).toEqual(all);
  });
});
