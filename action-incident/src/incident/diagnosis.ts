// What one diagnostic family hands back: the faults it found, the summary sections that show its
// evidence, and notes (what it could not look at, and why). Families never throw at the caller.
import type { ReportSection, Status } from '../../../shared/src/index.js';

/** One thing wrong, named so a person can act on it. */
export interface Fault {
  /** The family that found it (`endpoints`, `services`, `database`, ...). */
  family: string;
  /** What is wrong, as a person names it (`app2: agent-pattern-discovery`, `https://api.a2aworld.ai/health`). */
  target: string;
  severity: Exclude<Status, 'ok'>;
  /** One line: what was seen. */
  message: string;
}

/** The result of one diagnostic family. */
export interface Diagnosis {
  family: string;
  faults: Fault[];
  sections: ReportSection[];
  notes: string[];
}

/** An empty diagnosis to fill in. */
export function diagnosis(family: string): Diagnosis {
  return { family, faults: [], sections: [], notes: [] };
}
