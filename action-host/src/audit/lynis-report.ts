// Reads lynis' report file (`--report-file`, `key=value` lines, `key[]=` for lists): the hardening index,
// the warnings and the suggestions, each as lynis numbers it (`SSH-7408`) with its text and details.

/** One warning or suggestion. */
export interface LynisFinding {
  /** The test id: `AUTH-9262`. */
  id: string;
  text: string;
  /** Lynis' detail field ('' when it has none, which it writes as `-`). */
  details: string;
}

export interface LynisReport {
  /** 0–100; undefined when the report has no `hardening_index` (an audit cut short). */
  hardeningIndex?: number;
  warnings: LynisFinding[];
  suggestions: LynisFinding[];
  lynisVersion?: string;
  testsPerformed?: number;
}

/** Parses a lynis report file. Unknown keys are ignored; a finding without an id is kept under `-`. */
export function parseLynisReport(text: string): LynisReport {
  const report: LynisReport = { warnings: [], suggestions: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'hardening_index') {
      const n = Number(value);
      if (Number.isFinite(n) && value !== '') report.hardeningIndex = n;
    } else if (key === 'lynis_version') report.lynisVersion = value;
    else if (key === 'lynis_tests_done') {
      const n = Number(value);
      if (Number.isInteger(n)) report.testsPerformed = n;
    } else if (key === 'warning[]' || key === 'suggestion[]') {
      (key === 'warning[]' ? report.warnings : report.suggestions).push(parseFinding(value));
    }
  }
  return report;
}

function parseFinding(value: string): LynisFinding {
  const [id = '', text = '', details = ''] = value.split('|');
  const clean = (s: string): string => (s.trim() === '-' ? '' : s.trim());
  return { id: clean(id) || '-', text: clean(text), details: clean(details) };
}
