// What every backup target returns, and what it is given.
import type { BackupMetadata, RunContext } from '../../../shared/src/index.js';

/** One backup written into the destination directory. */
export interface BackupOutcome {
  target: 'database' | 'volumes' | 'config';
  /** Host it came from (compose, volumes, config) or `runner` (direct). */
  host: string;
  path: string;
  metadataPath: string;
  metadata: BackupMetadata;
}

/** The log line writer a target reports progress with. */
export function progressLog(ctx: RunContext, prefix: string): (line: string) => void {
  return (line) => ctx.log.info(prefix ? `${prefix}: ${line}` : line);
}
