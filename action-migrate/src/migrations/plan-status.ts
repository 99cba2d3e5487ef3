// Pure: compares the files on disk with the rows in schema_migrations and says where each migration stands.
import type { MigrationFile } from './read-migrations.js';
import type { AppliedMigration } from '../engine/bookkeeping.js';
import { compareVersions, versionKey } from './versions.js';

/** Where one migration stands. */
export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing';

export interface MigrationEntry {
  version: string;
  name: string;
  state: MigrationState;
  /** File name, when the file exists. */
  file?: string;
  /** Checksum of the file on disk. */
  checksum?: string;
  /** Checksum recorded when it was applied (null when the table keeps none). */
  appliedChecksum?: string | null;
  appliedAt?: string | null;
  /** A pending migration numbered below the current version: applying it would run it out of order. */
  outOfOrder?: boolean;
}

/** The status of a migrations folder against one database. */
export interface MigrationStatus {
  /** Every migration, file or row, in version order. */
  entries: MigrationEntry[];
  /** The highest applied version as recorded, or null when nothing is applied. */
  current: string | null;
  applied: MigrationEntry[];
  pending: MigrationEntry[];
  /** Applied, but the file's checksum differs from the recorded one: it was edited after it ran. */
  changed: MigrationEntry[];
  /** Applied, but no file has its version any more. */
  missing: MigrationEntry[];
  /** Applied with no recorded checksum: cannot be verified. */
  unverified: MigrationEntry[];
}

/**
 * Matches files and rows by version (numerically: `0001` is `1`). `applied` and `changed` entries are
 * both applied in the database; `missing` too. `pending` are files without a row.
 */
export function planStatus(files: readonly MigrationFile[], rows: readonly AppliedMigration[]): MigrationStatus {
  const byKey = new Map(rows.map((r) => [versionKey(r.version), r]));
  const fileKeys = new Set(files.map((f) => versionKey(f.version)));
  const appliedRows = [...rows].sort((a, b) => compareVersions(a.version, b.version));
  const current = appliedRows.length > 0 ? appliedRows[appliedRows.length - 1].version : null;

  const entries: MigrationEntry[] = [];
  for (const f of files) {
    const row = byKey.get(versionKey(f.version));
    if (!row) {
      entries.push({
        version: f.version,
        name: f.name,
        state: 'pending',
        file: f.file,
        checksum: f.checksum,
        outOfOrder: current !== null && compareVersions(f.version, current) < 0
      });
      continue;
    }
    // The raw-bytes checksum is what the first status version compared; a row recorded that way still matches.
    const changed = row.checksum !== null && row.checksum !== f.checksum && row.checksum !== f.rawChecksum;
    entries.push({
      version: f.version,
      name: f.name,
      state: changed ? 'changed' : 'applied',
      file: f.file,
      checksum: f.checksum,
      appliedChecksum: row.checksum,
      appliedAt: row.appliedAt
    });
  }
  for (const row of rows) {
    if (fileKeys.has(versionKey(row.version))) continue;
    entries.push({ version: row.version, name: row.name ?? '', state: 'missing', appliedChecksum: row.checksum, appliedAt: row.appliedAt });
  }
  entries.sort((a, b) => compareVersions(a.version, b.version));
  const inState = (s: MigrationState): MigrationEntry[] => entries.filter((e) => e.state === s);
  return {
    entries,
    current,
    applied: entries.filter((e) => e.state !== 'pending'),
    pending: inState('pending'),
    changed: inState('changed'),
    missing: inState('missing'),
    unverified: entries.filter((e) => e.state === 'applied' && e.appliedChecksum === null)
  };
}
