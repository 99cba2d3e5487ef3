// The report an action fills in while it works: whatever it has recorded stays in the report even when
// the run stops on an error or is cancelled half-way (a deploy's first host done, the second not).
import { buildReport, type Check, type Report, type ReportSection, type RunOutcome } from './model.js';

/** Checks, sections and notes recorded so far in one run. */
export class ReportDraft {
  readonly checks: Check[] = [];
  readonly sections: ReportSection[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly action: string,
    readonly title: string,
    readonly startedAt: Date = new Date()
  ) {}

  /** Records checks; a check with an id already recorded replaces it (a step re-checked later). */
  add(...checks: Check[]): void {
    for (const check of checks) {
      const at = this.checks.findIndex((c) => c.id === check.id);
      if (at >= 0) this.checks[at] = check;
      else this.checks.push(check);
    }
  }

  section(section: ReportSection): void {
    this.sections.push(section);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** The report as it stands. */
  build(outcome: RunOutcome = 'finished'): Report {
    return buildReport({
      action: this.action,
      title: this.title,
      startedAt: this.startedAt,
      checks: [...this.checks],
      sections: [...this.sections],
      notes: [...this.notes],
      outcome
    });
  }
}
