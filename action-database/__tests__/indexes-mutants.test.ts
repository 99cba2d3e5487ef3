// Mutation-testing table for report/indexes.ts (issue 14): which indexes are unused and in what order, and
// which duplicate another (identical or a leading prefix), which one of a pair is kept, and the output order.
import { describe, expect, it } from '@jest/globals';
import { findDuplicateIndexes, findUnusedIndexes, type IndexRow } from '../src/report/indexes.js';
import { indexRow as index } from '../../test-support/sample-rows.js';

const wide = { keys: '2 3', opclasses: '1978 1978', collations: '0 0' };

describe('findUnusedIndexes', () => {
  it.each<[string, Partial<IndexRow>, boolean]>([
    ['never scanned, plain', { scans: 0 }, true],
    ['scanned twice', { scans: 2 }, false],
    ['never scanned, unique only', { scans: 0, unique: true }, false],
    ['never scanned, primary only', { scans: 0, primary: true }, false],
    ['never scanned, constraint only', { scans: 0, constraint: true }, false]
  ])('%s: unused %s', (_name, over, unused) => {
    expect(findUnusedIndexes([index(over)]).map((r) => r.index)).toEqual(unused ? ['idx'] : []);
  });

  it('lists the largest first, then by name, leaving the scanned out', () => {
    const rows = [
      index({ index: 'c', scans: 0, sizeBytes: 100 }),
      index({ index: 'scanned', scans: 1, sizeBytes: 999 }),
      index({ index: 'a', scans: 0, sizeBytes: 100 }),
      index({ index: 'big', scans: 0, sizeBytes: 500 }),
      index({ index: 'b', scans: 0, sizeBytes: 100 }),
      index({ index: 'tiny', scans: 0, sizeBytes: 1 })
    ];
    expect(findUnusedIndexes(rows).map((r) => r.index)).toEqual(['big', 'a', 'b', 'c', 'tiny']);
  });
});

const said = (rows: IndexRow[]): string[] => findDuplicateIndexes(rows).map((d) => `${d.redundant.index} ${d.kind} ${d.keep.index}`);

describe('findDuplicateIndexes: pairs', () => {
  it.each<[string, Partial<IndexRow>, Partial<IndexRow>, string[]]>([
    ['identical, same scans: the later name goes', { index: 'b_idx' }, { index: 'a_idx' }, ['b_idx identical a_idx']],
    ['identical, same scans, the other order of rows', { index: 'a_idx' }, { index: 'b_idx' }, ['b_idx identical a_idx']],
    ['identical, the more scanned is kept (listed first)', { index: 'a', scans: 50 }, { index: 'b', scans: 5 }, ['b identical a']],
    ['identical, the more scanned is kept (listed second)', { index: 'a', scans: 5 }, { index: 'b', scans: 50 }, ['a identical b']],
    ['identical, a unique index is kept over a more scanned plain one', { index: 'a', scans: 99 }, { index: 'u', unique: true, scans: 1 }, ['a identical u']],
    ['identical, a primary key is kept (listed second)', { index: 'a', scans: 99 }, { index: 'p', primary: true, scans: 1 }, ['a identical p']],
    ['identical, a constraint’s index is kept (listed first)', { index: 'z', constraint: true, scans: 1 }, { index: 'a', scans: 99 }, ['a identical z']],
    ['identical, both enforce: the more scanned is kept', { index: 'u1', unique: true, scans: 1 }, { index: 'u2', unique: true, scans: 9 }, ['u1 identical u2']],
    ['identical multi-column indexes', { index: 'a', ...wide }, { index: 'b', ...wide, scans: 50 }, ['a identical b']],
    ['identical partial indexes with the same predicate', { index: 'a', predicate: '(x > 0)' }, { index: 'b', predicate: '(x > 0)', scans: 50 }, ['a identical b']],
    ['identical expression indexes', { index: 'a', keys: '0', expressions: 'lower(name)' }, { index: 'b', keys: '0', expressions: 'lower(name)', scans: 50 }, ['a identical b']],
    ['two different predicates are not duplicates', { index: 'a', predicate: '(x > 0)' }, { index: 'b', predicate: '(y > 0)' }, []],
    ['a predicate beside none is not a duplicate (other order)', { index: 'a' }, { index: 'b', predicate: '(x > 0)' }, []],
    ['two different expressions are not duplicates', { index: 'a', keys: '0', expressions: 'lower(a)' }, { index: 'b', keys: '0', expressions: 'lower(b)' }, []],
    ['an expression beside a plain column is not a duplicate', { index: 'a', keys: '0', expressions: 'lower(a)' }, { index: 'b', keys: '0' }, []],
    ['another schema is not a duplicate', { index: 'a', schema: 'audit' }, { index: 'b' }, []],
    ['another table is not a duplicate', { index: 'a' }, { index: 'b', table: 'agents' }, []],
    ['another collation is not a duplicate', { index: 'a', collations: '100' }, { index: 'b' }, []],
    ['another key column is not a duplicate', { index: 'a', keys: '3' }, { index: 'b' }, []],
    ['an invalid copy is not compared (it listed second)', { index: 'a' }, { index: 'b', valid: false }, []],
    ['a leading prefix of a wider b-tree', { index: 'one' }, { index: 'two', ...wide }, ['one prefix two']],
    ['a leading prefix listed second', { index: 'two', ...wide }, { index: 'one' }, ['one prefix two']],
    ['a primary key is never the redundant prefix', { index: 'pk', primary: true }, { index: 'two', ...wide }, []],
    ['a constraint’s index is never the redundant prefix', { index: 'c', constraint: true }, { index: 'two', ...wide }, []],
    ['a prefix of a unique index is still redundant', { index: 'one' }, { index: 'u', ...wide, unique: true }, ['one prefix u']],
    ['a prefix with another operator class is not covered', { index: 'one', opclasses: '3128' }, { index: 'two', ...wide }, []],
    ['a prefix with another collation is not covered', { index: 'one', collations: '100' }, { index: 'two', ...wide }, []],
    ['a trailing column is not a prefix', { index: 'one', keys: '3' }, { index: 'two', ...wide }, []],
    ['a gist prefix is not reported (only b-trees)', { index: 'one', method: 'gist' }, { index: 'two', ...wide, method: 'gist' }, []],
    ['keys with extra spaces read as the same columns', { index: 'a', keys: ' 2  3 ', opclasses: '1978 1978', collations: '0 0' }, { index: 'b', ...wide, scans: 50 }, ['a identical b']]
  ])('%s', (_name, a, b, expected) => {
    expect(said([index(a), index(b)])).toEqual(expected);
  });
});

describe('findDuplicateIndexes: several', () => {
  it('reports three identical indexes as two redundant ones, each pair once, sorted by the redundant name (stable within one)', () => {
    const rows = [index({ index: 'c', scans: 1 }), index({ index: 'b', scans: 3 }), index({ index: 'a', scans: 2 })];
    const found = findDuplicateIndexes(rows);
    expect(found.map((d) => `${d.redundant.index} ${d.kind} ${d.keep.index}`)).toEqual(['a identical b', 'c identical b', 'c identical a']);
  });

  it('tells apart two identical pairs whose names run together alike (a + bc, ab + c)', () => {
    const rows = [index({ index: 'a', scans: 99 }), index({ index: 'bc' }), index({ index: 'ab', keys: '3', scans: 99 }), index({ index: 'c', keys: '3' })];
    expect(said(rows)).toEqual(['bc identical a', 'c identical ab']);
  });

  it('keeps the whole rows of both sides', () => {
    const [d] = findDuplicateIndexes([index({ index: 'one', definition: 'def one' }), index({ index: 'two', ...wide, definition: 'def two' })]);
    expect([d.redundant.definition, d.keep.definition, d.kind]).toEqual(['def one', 'def two', 'prefix']);
  });
});
