// The audit log on each host (`<project-dir>/.a2a-ops/audit.log`, one JSON line per operation): who did
// what from which run, and how it ended. Rollback reads it for the version to go back to.
import { shellQuote, type SshSession } from '../../../shared/src/index.js';

export interface AuditEntry {
  at: string;
  actor: string;
  runUrl: string;
  operation: string;
  service?: string;
  from?: string;
  to?: string;
  result: 'success' | 'failure' | 'rolled-back';
  message: string;
}

/** Who runs this operation: the workflow's actor, else the local user. Written to the audit log and the lock. */
export function actor(): string {
  return process.env.GITHUB_ACTOR ?? process.env.USER ?? 'unknown';
}

/** An audit entry stamped with the time, the actor and the run. */
export function auditEntry(runUrl: string, entry: Omit<AuditEntry, 'at' | 'actor' | 'runUrl'>): AuditEntry {
  return { at: new Date().toISOString(), actor: actor(), runUrl, ...entry };
}

/** The audit log's path for a project directory. */
export function auditLogPath(projectDir: string): string {
  return `${projectDir.replace(/\/+$/, '')}/.a2a-ops/audit.log`;
}

/** Appends one entry (never fails the operation: a problem is returned for the report). */
export async function appendAudit(session: SshSession, projectDir: string, entry: AuditEntry): Promise<string | undefined> {
  const path = auditLogPath(projectDir);
  const r = await session.exec(`mkdir -p -- "$(dirname -- ${shellQuote(path)})" && cat >> ${shellQuote(path)}`, {
    stdin: `${JSON.stringify(entry)}\n`,
    label: 'append to the audit log',
    timeoutMs: 30_000
  });
  return r.code === 0 ? undefined : `could not append to ${path}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`;
}

/** The entries of the host's audit log, oldest first (lines that do not parse are skipped). */
export async function readAudit(session: SshSession, projectDir: string): Promise<AuditEntry[]> {
  const path = auditLogPath(projectDir);
  const r = await session.exec(`tail -n 2000 -- ${shellQuote(path)} 2>/dev/null; exit 0`, { label: 'read the audit log', timeoutMs: 30_000 });
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as AuditEntry];
      } catch {
        return [];
      }
    });
}

/**
 * The version to roll back to: what the service ran before the last successful change that brought it
 * to `current`. Undefined when the log has no such entry.
 */
export function previousVersion(entries: readonly AuditEntry[], service: string, current: string | undefined): string | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.service === service && e.result === 'success' && e.to === current && e.from && e.from !== current) return e.from;
  }
  return undefined;
}
