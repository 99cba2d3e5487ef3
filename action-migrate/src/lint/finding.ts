// One lint finding, whoever found it (squawk or our own rules): the file, the line, the rule and what
// to write instead.

export interface LintFinding {
  file: string;
  /** 1-based line of the statement (or of squawk's span). */
  line: number;
  /** `squawk/require-concurrent-index-creation`, `a2a/update-without-where`. */
  rule: string;
  level: 'error' | 'warning';
  message: string;
  /** The safe way to get the same result. */
  alternative: string;
}

/** Sorts findings by file, line, rule, and drops exact duplicates. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  const seen = new Set<string>();
  return [...findings]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule))
    .filter((f) => {
      const key = `${f.file}:${f.line}:${f.rule}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
