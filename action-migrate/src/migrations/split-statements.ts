// Splits a migration's SQL into statements the way PostgreSQL's lexer sees them: semicolons inside
// quotes, quoted identifiers, dollar-quoted bodies and comments do not end a statement. Needed to run a
// non-transactional file one statement at a time (CREATE INDEX CONCURRENTLY refuses a multi-statement
// query string) and to name the line of each statement in lint findings and errors.

/** One statement of a file. */
export interface SqlStatement {
  /** The statement's text without the closing semicolon, comments before it stripped. */
  text: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
  /** 0-based offset of the statement's first character in the file. */
  offset: number;
}

/**
 * Splits `sql` into statements. Comments and blank space between statements are dropped; a statement
 * keeps its inner comments. A final statement without a semicolon counts. Unterminated quotes run to the
 * end of the file (PostgreSQL will say what is wrong when it parses it).
 */
export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = -1;
  let i = 0;
  // SQL-standard function bodies (BEGIN ATOMIC ... END) hold semicolons that do not end the statement;
  // CASE ... END inside them must not close the body.
  let atomic = 0;
  let cases = 0;
  const n = sql.length;
  const push = (end: number): void => {
    if (start >= 0) {
      const text = sql.slice(start, end).trim();
      if (text) out.push({ text, offset: start, line: lineAt(sql, start) });
    }
    start = -1;
  };
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === ';' && atomic === 0) {
      push(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (c === "'") {
      const escaped = i > 0 && /[eE]/.test(sql[i - 1]) && (i < 2 || !/[A-Za-z0-9_]/.test(sql[i - 2]));
      i = skipQuoted(sql, i, "'", escaped);
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 130));
      // `$1` is a parameter, and a `$` inside an identifier (a$b) is not a quote.
      if (tag && !(i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1]))) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (/[A-Za-z_]/.test(c) && !(i > 0 && /[A-Za-z0-9_$]/.test(sql[i - 1]))) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i, i + 64))![0];
      const upper = word.toUpperCase();
      if (upper === 'BEGIN' && /^\s+ATOMIC\b/i.test(sql.slice(i + word.length, i + word.length + 40))) atomic++;
      else if (atomic > 0 && upper === 'CASE') cases++;
      else if (atomic > 0 && upper === 'END') {
        if (cases > 0) cases--;
        else atomic--;
      }
      i += word.length;
    } else i++;
  }
  push(n);
  return out;
}

function skipBlockComment(sql: string, from: number): number {
  // PostgreSQL's block comments nest.
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** 1-based line number of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
