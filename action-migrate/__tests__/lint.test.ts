// The lint: our own rules where squawk is silent (table-driven), and squawk itself (the installed
// squawk-cli binary, no network) on a seeded unsafe migration and a safe one.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintMigrations } from '../src/lint/lint-migrations.js';
import { blankLiterals, lintWithOwnRules } from '../src/lint/own-rules.js';
import { locateSquawk, runSquawk } from '../src/lint/squawk.js';
import { readMigrations } from '../src/migrations/read-migrations.js';

const SQUAWK = resolve('node_modules/.bin/squawk');

describe('own rules', () => {
  it.each([
    ['UPDATE agents SET active = true;', ['a2a/update-without-where']],
    ['UPDATE agents SET active = true WHERE id < 1000;', []],
    ["UPDATE agents SET note = 'no WHERE here';", ['a2a/update-without-where']],
    ["UPDATE agents SET note = 'x' -- WHERE id = 1\n;", ['a2a/update-without-where']],
    ['WITH x AS (SELECT 1) UPDATE agents SET a = 1;', ['a2a/update-without-where']],
    ['DELETE FROM patterns;', ['a2a/delete-without-where']],
    ['DELETE FROM patterns WHERE created_at < now() - interval \'1 year\';', []],
    ['VACUUM FULL patterns;', ['a2a/vacuum-full']],
    ['VACUUM (FULL, ANALYZE) patterns;', ['a2a/vacuum-full']],
    ['VACUUM ANALYZE patterns;', []],
    ['CLUSTER patterns USING patterns_pkey;', ['a2a/cluster']],
    ['REFRESH MATERIALIZED VIEW stats;', ['a2a/refresh-materialized-view-blocking']],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY stats;', []],
    ['LOCK TABLE agents;', ['a2a/lock-table']],
    ['LOCK TABLE agents IN ACCESS EXCLUSIVE MODE;', ['a2a/lock-table']],
    ['LOCK TABLE agents IN ROW EXCLUSIVE MODE;', []],
    ["CREATE FUNCTION f() RETURNS void AS $$ UPDATE agents SET a = 1; $$ LANGUAGE sql;", []],
    ['CREATE TABLE t (id bigint);', []],
    ['CREATE INDEX CONCURRENTLY i ON t (a);', ['a2a/concurrently-in-transaction']],
    ['DROP INDEX CONCURRENTLY i;', ['a2a/concurrently-in-transaction']],
    ['REINDEX INDEX CONCURRENTLY i;', ['a2a/concurrently-in-transaction']]
  ])('%j → %j', (sql, rules) => {
    const found = lintWithOwnRules('0001_x.sql', sql, false);
    expect(found.map((f) => f.rule)).toEqual(rules);
    for (const f of found) {
      expect(f).toMatchObject({ file: '0001_x.sql', line: 1 });
      expect(f.alternative.length).toBeGreaterThan(20);
    }
  });

  it('flags a no-transaction file with several statements at the second one', () => {
    const found = lintWithOwnRules('0005_idx.sql', '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY a ON t (a);\nCREATE INDEX CONCURRENTLY b ON t (b);\n', true);
    expect(found).toEqual([expect.objectContaining({ rule: 'a2a/no-transaction-multiple-statements', line: 3 })]);
    expect(lintWithOwnRules('0005_idx.sql', '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY a ON t (a);\n', true)).toEqual([]);
    expect(lintWithOwnRules('0005_idx.sql', 'CREATE INDEX CONCURRENTLY a ON t (a);\n', false).map((f) => f.rule)).toEqual(['a2a/concurrently-in-transaction']);
  });

  it('names the line of the statement in a longer file', () => {
    const found = lintWithOwnRules('0002_x.sql', 'CREATE TABLE a (i int);\n\n-- backfill\nUPDATE a SET i = 1;\n', false);
    expect(found.map((f) => [f.rule, f.line])).toEqual([['a2a/update-without-where', 4]]);
  });

  it('blanks literals, identifiers and comments but keeps the length', () => {
    const sql = `SELECT 'a;b', "WHERE", $x$ WHERE $x$ /* WHERE */ -- WHERE\n FROM t`;
    const out = blankLiterals(sql);
    expect(out).toHaveLength(sql.length);
    expect(out).not.toMatch(/WHERE/);
    expect(out).toMatch(/^SELECT .* FROM t$/s);
  });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-migrate-lint-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// The seeded migration of the proof: three unsafe patterns on an existing table.
const UNSAFE = `-- 0007: indexes and columns for the agents table (created in 0001)
CREATE INDEX agents_name_idx ON agents (name);
ALTER TABLE agents ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE agents ALTER COLUMN region SET NOT NULL;
`;
const SAFE_INDEX = `-- migrate:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS agents_name_idx ON agents (name);
`;
const SAFE_COLUMNS = `ALTER TABLE agents ADD COLUMN IF NOT EXISTS token uuid;
ALTER TABLE agents ADD CONSTRAINT agents_region_not_null CHECK (region IS NOT NULL) NOT VALID;
`;

describe('squawk (squawk-cli 2.66.0, the installed binary)', () => {
  it('is found through squawk-path, on PATH, or in the workspace node_modules', () => {
    expect(locateSquawk(SQUAWK, '/nowhere')).toBe(SQUAWK);
    expect(locateSquawk('/no/such/squawk', process.cwd())).toBeUndefined();
    expect(locateSquawk(undefined, process.cwd(), '')).toBe(join(process.cwd(), 'node_modules', '.bin', 'squawk'));
    expect(locateSquawk(undefined, '/nowhere', '')).toBeUndefined();
  });

  it('finds the non-concurrent index, the volatile default and the NOT NULL without a check, each with file, line and the safe alternative', async () => {
    const dir = folder({ '0007_agents.sql': UNSAFE });
    const { findings, squawkProblem } = await lintMigrations(dir, await readMigrations(dir), SQUAWK);
    expect(squawkProblem).toBeUndefined();
    const got = findings.map((f) => [f.file, f.line, f.rule]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['0007_agents.sql', 2, 'squawk/require-concurrent-index-creation'],
        ['0007_agents.sql', 3, 'squawk/adding-field-with-default'],
        ['0007_agents.sql', 4, 'squawk/adding-not-nullable-field']
      ])
    );
    for (const f of findings) expect(f.alternative).not.toBe('');
    expect(findings.find((f) => f.rule === 'squawk/require-concurrent-index-creation')?.alternative).toMatch(/concurrently/i);
    // The action sets lock_timeout and statement_timeout itself: squawk's reminders are left out.
    expect(findings.map((f) => f.rule)).not.toContain('squawk/require-lock-timeout');
  });

  it('passes the safe way of doing the same (a concurrent index in a no-transaction file, a nullable column, a NOT VALID check)', async () => {
    const dir = folder({ '0007_index.sql': SAFE_INDEX, '0008_columns.sql': SAFE_COLUMNS });
    const { findings, squawkProblem } = await lintMigrations(dir, await readMigrations(dir), SQUAWK);
    expect(squawkProblem).toBeUndefined();
    expect(findings).toEqual([]);
  });

  it('flags CREATE INDEX CONCURRENTLY in a file that would run inside a transaction', async () => {
    const dir = folder({ '0009_idx.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON agents (name);\n' });
    const { findings } = await lintMigrations(dir, await readMigrations(dir), SQUAWK);
    expect(findings.map((f) => [f.rule, f.line])).toContainEqual(['a2a/concurrently-in-transaction', 1]);
  });

  it('without squawk, says so and still runs our own rules', async () => {
    const dir = folder({ '0010_x.sql': 'DELETE FROM agents;\n' });
    const r = await lintMigrations(dir, await readMigrations(dir), { missing: 'squawk was not found' });
    expect(r.squawkProblem).toBe('squawk was not found');
    expect(r.findings.map((f) => f.rule)).toEqual(['a2a/delete-without-where']);
  });

  it('reports a squawk that fails instead of pretending the files are clean', async () => {
    const dir = folder({ '0011_x.sql': 'SELECT 1;\n' });
    await expect(runSquawk('/bin/false', [join(dir, '0011_x.sql')], { inTransaction: true, display: (p) => p })).rejects.toThrow(/exit code 1|did not print its JSON/);
    const r = await lintMigrations(dir, await readMigrations(dir), '/bin/false');
    expect(r.squawkProblem).toMatch(/squawk \(\/bin\/false\)/);
  });
});
