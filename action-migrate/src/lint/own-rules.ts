// Our own lint rules, for the dangerous patterns squawk 2.66 says nothing about (checked by running
// squawk on each pattern: it is silent on all of these). Each names the line and the safe alternative.
import { splitStatements, type SqlStatement } from '../migrations/split-statements.js';
import type { LintFinding } from './finding.js';

interface Rule {
  id: string;
  /** True when the statement (literals, identifiers and comments blanked) breaks the rule. */
  test(code: string): boolean;
  message: string;
  alternative: string;
}

/** The rules, named once. Keep README.md's table in step. */
export const OWN_RULES: readonly Rule[] = [
  {
    id: 'a2a/update-without-where',
    test: (c) => /^\s*(WITH\b[\s\S]*?\)\s*)?UPDATE\b/i.test(c) && !/\bWHERE\b/i.test(c),
    message: 'UPDATE without WHERE rewrites every row of the table in one transaction, holding row locks on all of them until it commits.',
    alternative: 'Backfill in batches outside the schema migration (UPDATE ... WHERE id BETWEEN $1 AND $2, committed per batch), or add a WHERE clause.'
  },
  {
    id: 'a2a/delete-without-where',
    test: (c) => /^\s*(WITH\b[\s\S]*?\)\s*)?DELETE\s+FROM\b/i.test(c) && !/\bWHERE\b/i.test(c),
    message: 'DELETE without WHERE removes every row in one transaction (and bloats the table until VACUUM).',
    alternative: 'Delete in batches with a WHERE clause, or, if the table really must be emptied, say so in a separate reviewed migration.'
  },
  {
    id: 'a2a/vacuum-full',
    test: (c) => /^\s*VACUUM\b/i.test(c) && /\bFULL\b/i.test(c),
    message: 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes (and it cannot run inside a transaction).',
    alternative: 'Use plain VACUUM (no lock on reads or writes), or pg_repack to rewrite the table online.'
  },
  {
    id: 'a2a/cluster',
    test: (c) => /^\s*CLUSTER\b/i.test(c),
    message: 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes.',
    alternative: 'Use pg_repack --order-by to reorder the table online, or leave physical order alone.'
  },
  {
    id: 'a2a/refresh-materialized-view-blocking',
    test: (c) => /^\s*REFRESH\s+MATERIALIZED\s+VIEW\b/i.test(c) && !/\bCONCURRENTLY\b/i.test(c),
    message: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY takes an ACCESS EXCLUSIVE lock: readers of the view wait until it finishes.',
    alternative: 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view), in a migrate:no-transaction file or outside migrations.'
  },
  {
    id: 'a2a/lock-table',
    test: (c) => /^\s*LOCK\s+(TABLE\s+)?[^;]*/i.test(c) && !/\bIN\s+(ACCESS\s+SHARE|ROW\s+SHARE|ROW\s+EXCLUSIVE)\s+MODE\b/i.test(c),
    message: 'An explicit LOCK TABLE (ACCESS EXCLUSIVE unless a weaker mode is named) blocks the application for the rest of the migration.',
    alternative: 'Drop the LOCK TABLE: every DDL statement takes the lock it needs, for as short as it needs, under lock_timeout.'
  }
];

/** A migrate:no-transaction file with several statements: a failure half-way leaves the first ones applied. */
export const MULTI_STATEMENT_NO_TRANSACTION = {
  id: 'a2a/no-transaction-multiple-statements',
  message: 'This migrate:no-transaction file has several statements: if one fails, the ones before it stay applied and the file is neither done nor undone.',
  alternative: 'Put one statement per migrate:no-transaction file (e.g. one CREATE INDEX CONCURRENTLY each), and everything else in ordinary transactional migrations.'
} as const;

/** CONCURRENTLY in a file that runs in a transaction: PostgreSQL refuses it (squawk 2.66 misses a lone statement). */
export const CONCURRENTLY_IN_TRANSACTION = {
  id: 'a2a/concurrently-in-transaction',
  test: (code: string) => /^\s*(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX|REINDEX\s+(\([^)]*\)\s*)?\w+)\s+CONCURRENTLY\b/i.test(code),
  message: 'CONCURRENTLY cannot run inside a transaction block, and this file runs in one: the migration will fail with "cannot run inside a transaction block".',
  alternative: "Put the statement alone in its own file whose first line is '-- migrate:no-transaction'."
} as const;

/** Runs our rules over one file. */
export function lintWithOwnRules(file: string, text: string, noTransaction: boolean): LintFinding[] {
  const statements = splitStatements(text);
  const findings: LintFinding[] = [];
  for (const s of statements) {
    const code = blankLiterals(s.text);
    for (const rule of OWN_RULES) {
      if (rule.test(code)) findings.push(finding(file, s, rule.id, rule.message, rule.alternative));
    }
    const c = CONCURRENTLY_IN_TRANSACTION;
    if (!noTransaction && c.test(code)) findings.push(finding(file, s, c.id, c.message, c.alternative));
  }
  if (noTransaction && statements.length > 1) {
    const r = MULTI_STATEMENT_NO_TRANSACTION;
    findings.push(finding(file, statements[1], r.id, r.message, r.alternative));
  }
  return findings;
}

function finding(file: string, s: SqlStatement, rule: string, message: string, alternative: string): LintFinding {
  return { file, line: s.line, rule, level: 'warning', message, alternative };
}

/**
 * The statement with string literals, quoted identifiers, dollar-quoted bodies and comments replaced by
 * blanks (same length), so a keyword inside `'... WHERE ...'` or a function body does not count.
 */
export function blankLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const rest = sql.slice(i);
    let end = i + 1;
    if (rest.startsWith('--')) end = sql.indexOf('\n', i) < 0 ? sql.length : sql.indexOf('\n', i);
    else if (rest.startsWith('/*')) end = sql.indexOf('*/', i + 2) < 0 ? sql.length : sql.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"') {
      end = i + 1;
      while (end < sql.length && !(sql[end] === c && sql[end + 1] !== c)) end += sql[end] === c ? 2 : 1;
      end = Math.min(sql.length, end + 1);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        end = close < 0 ? sql.length : close + tag[0].length;
      }
    }
    out += end - i > 1 ? ' '.repeat(end - i) : c;
    i = end;
  }
  return out;
}
