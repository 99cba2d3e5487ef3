// Pure: from the files, the bookkeeping rows and the inputs, decides what apply (and plan) would run and
// what must stop it before any statement runs. Every refusal names the file and the fix.
import type { AppliedState } from '../engine/bookkeeping.js';
import { planStatus, type MigrationEntry, type MigrationStatus } from './plan-status.js';
import type { MigrationFile } from './read-migrations.js';
import { splitStatements } from './split-statements.js';
import { compareVersions, versionKey } from './versions.js';

/** One accepted edit: `allow-changed: 0003` or `0003_name.sql`, optionally pinned to the new text's checksum (`0003=3fa9c1…`). */
export interface AllowedChange {
  /** As written, for messages. */
  entry: string;
  /** Version key or file name it matches. */
  match: string;
  /** Hex prefix (at least 8) the file's new checksum must start with. */
  checksumPrefix?: string;
}

/** Why apply will not run, naming the file. */
export interface Blocker {
  /** Stable check id (also an incident issue key). */
  id: string;
  target: string;
  message: string;
}

export interface ApplyDecision {
  status: MigrationStatus;
  /** In version order, up to and including `target`. */
  toApply: MigrationFile[];
  /** Pending files above `target`, left for later. */
  heldBack: MigrationFile[];
  /** Non-empty: nothing may run. */
  blockers: Blocker[];
  /** Edited applied files that allow-changed accepted: their recorded checksum is re-recorded by apply. */
  acceptedEdits: Array<{ entry: MigrationEntry; by: string; rowVersion: string }>;
  /** allow-changed entries that matched no edited file (stale; harmless). */
  unusedAllowances: string[];
}

/**
 * Decides the run. Blocks on: an applied file edited without a matching allow-changed entry; an applied
 * migration whose file vanished; a pending file numbered below the current version (out of order); a
 * `target` that names no file; versions whose text order differs from their numeric order while the
 * table's `version` column is text (the runbook's `ORDER BY version DESC LIMIT 1` would then name the
 * wrong migration as current).
 */
export function decideApply(
  files: readonly MigrationFile[],
  applied: Pick<AppliedState, 'rows' | 'versionIsText'>,
  opts: { target?: string; allowChanged?: readonly AllowedChange[]; dir: string }
): ApplyDecision {
  const status = planStatus(files, applied.rows);
  const blockers: Blocker[] = [];
  const acceptedEdits: ApplyDecision['acceptedEdits'] = [];
  const used = new Set<string>();
  const rowVersionOf = new Map(applied.rows.map((r) => [versionKey(r.version), r.version]));

  for (const e of status.changed) {
    const allowance = (opts.allowChanged ?? []).find((a) => (a.match === versionKey(e.version) || a.match === e.file) && (!a.checksumPrefix || e.checksum?.startsWith(a.checksumPrefix)));
    if (allowance) {
      used.add(allowance.entry);
      acceptedEdits.push({ entry: e, by: allowance.entry, rowVersion: rowVersionOf.get(versionKey(e.version)) ?? e.version });
      continue;
    }
    const pinned = (opts.allowChanged ?? []).find((a) => a.match === versionKey(e.version) || a.match === e.file);
    blockers.push({
      id: `migration:${e.version}:checksum`,
      target: e.file ?? e.version,
      message:
        `${e.file} was edited after it was applied (recorded checksum ${short(e.appliedChecksum)}, file now ${short(e.checksum)}): nothing was run. ` +
        (pinned
          ? `allow-changed '${pinned.entry}' names it but pins a different checksum; the file now has ${e.checksum}.`
          : `Restore the applied text and put the change in a new migration, or, if the edit is known to be harmless (a comment), pass 'allow-changed: ${e.version}=${short(e.checksum)}'.`)
    });
  }
  for (const e of status.missing) {
    blockers.push({
      id: `migration:${e.version}:file`,
      target: `${e.version}${e.name ? `_${e.name}` : ''}`,
      message: `version ${e.version}${e.name ? ` (${e.name})` : ''} is applied in the database but has no file in ${opts.dir}: restore the file (renamed or deleted?) before applying anything.`
    });
  }

  let pending = status.pending;
  for (const e of pending.filter((p) => p.outOfOrder)) {
    blockers.push({
      id: `migration:${e.version}:order`,
      target: e.file ?? e.version,
      message: `${e.file} is pending but numbered below the current version ${status.current}: it would run out of order. Renumber it above ${status.current} (a new number, the same SQL).`
    });
  }

  let heldBack: MigrationFile[] = [];
  const byKey = new Map(files.map((f) => [versionKey(f.version), f]));
  if (opts.target !== undefined) {
    const targetFile = byKey.get(versionKey(opts.target));
    if (!targetFile && !applied.rows.some((r) => versionKey(r.version) === versionKey(opts.target!))) {
      blockers.push({
        id: 'migrations:target',
        target: opts.target,
        message: `target ${opts.target} names no migration file in ${opts.dir} and no applied version: give one of ${files.slice(-3).map((f) => f.version).join(', ') || '(none)'}.`
      });
    }
    const within = pending.filter((p) => compareVersions(p.version, opts.target!) <= 0);
    heldBack = pending.filter((p) => compareVersions(p.version, opts.target!) > 0).map((p) => byKey.get(versionKey(p.version))!);
    pending = within;
  }

  for (const p of pending) {
    const f = byKey.get(versionKey(p.version));
    const control = f && !f.noTransaction ? transactionControl(f.text ?? '') : undefined;
    if (control) {
      blockers.push({
        id: `migration:${p.version}:transaction-control`,
        target: f!.file,
        message: `${f!.file}:${control.line} has its own '${control.word}': the action runs each migration in a transaction it opens and commits with its schema_migrations row, and a COMMIT inside the file would commit half of it unrecorded. Remove BEGIN/COMMIT/ROLLBACK (or mark the file '-- migrate:no-transaction').`
      });
    }
  }

  if (applied.versionIsText) {
    const versions = [...applied.rows.map((r) => r.version), ...pending.map((p) => p.version)];
    const problem = runbookOrderProblem(versions);
    if (problem) {
      blockers.push({
        id: 'migrations:version-width',
        target: opts.dir,
        message: `versions ${problem.numericMax} and ${problem.textMax} sort differently as text: the runbook's 'SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1' would report ${problem.textMax} instead of ${problem.numericMax}. Number migrations with the same width (e.g. 0009, 0010).`
      });
    }
  }

  const unusedAllowances = (opts.allowChanged ?? []).map((a) => a.entry).filter((e) => !used.has(e));
  return {
    status,
    toApply: pending.map((p) => byKey.get(versionKey(p.version))!),
    heldBack,
    blockers,
    acceptedEdits,
    unusedAllowances
  };
}

/**
 * With a text `version` column, the runbook's query returns the text-greatest version. Returns the pair
 * when that is not the numerically newest one, else undefined.
 */
export function runbookOrderProblem(versions: readonly string[]): { numericMax: string; textMax: string } | undefined {
  if (versions.length < 2) return undefined;
  const numericMax = [...versions].sort(compareVersions).at(-1)!;
  const textMax = [...versions].sort().at(-1)!;
  return versionKey(numericMax) === versionKey(textMax) ? undefined : { numericMax, textMax };
}

/** Parses `allow-changed` entries: `0003`, `0003_add_index.sql`, `0003=3fa9c1d2…` (hex checksum prefix, 8+). */
export function parseAllowChanged(entries: readonly string[]): AllowedChange[] | { error: string } {
  const out: AllowedChange[] = [];
  for (const entry of entries) {
    const m = /^(\d+|\d+_[A-Za-z0-9][A-Za-z0-9_.-]*\.sql)(?:[=:]([0-9a-fA-F]{8,64}))?$/.exec(entry);
    if (!m) return { error: entry };
    out.push({ entry, match: /^\d+$/.test(m[1]) ? versionKey(m[1]) : m[1], ...(m[2] ? { checksumPrefix: m[2].toLowerCase() } : {}) });
  }
  return out;
}

function short(checksum: string | null | undefined): string {
  return checksum ? checksum.slice(0, 12) : '(none)';
}

/** The first top-level BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT statement of a file, if any. */
export function transactionControl(text: string): { word: string; line: number } | undefined {
  for (const s of splitStatements(text)) {
    const m = /^(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT)\b/i.exec(s.text);
    if (m && !/^ROLLBACK\s+PREPARED/i.test(s.text)) return { word: m[1].toUpperCase(), line: s.line };
  }
  return undefined;
}
