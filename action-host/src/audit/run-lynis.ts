// Runs `lynis audit system` on a host the way the runbook does (`sudo lynis audit system`), but
// non-interactively (`--quick`: no "press enter" pauses; `--no-colors`) with its report and log written to
// a fresh directory of this run, whose report file is read back and which is removed afterwards.
import { randomBytes } from 'node:crypto';
import { assertSucceeded, type RunContext, type SshSession } from '../../../shared/src/index.js';
import { asRoot, explainSudo } from '../hosts/open-hosts.js';
import { parseLynisReport, type LynisReport } from './lynis-report.js';

/** Where the report goes on the host: a new directory per run (created by the SSH user, 0700). */
export function auditDir(): string {
  return `/tmp/a2a-host-audit.${randomBytes(6).toString('hex')}`;
}

/**
 * Runs lynis on `session`'s host and returns its parsed report. `undoSession` gives the session to remove
 * the report directory on (a new one when this one was lost mid-audit).
 */
export async function runLynis(session: SshSession, ctx: Pick<RunContext, 'log' | 'cleanups'>, timeoutMs: number, undoSession: () => Promise<SshSession> = async () => session): Promise<LynisReport> {
  const dir = auditDir();
  const report = `${dir}/report.dat`;
  assertSucceeded(session.label, 'create the audit directory', await session.exec(`mkdir -m 700 -- ${dir}`, { label: 'create the audit directory', timeoutMs: 30_000 }));
  // Root writes into it: removed as root, whatever happens next.
  const remove = async (): Promise<void> => {
    const s = await undoSession();
    assertSucceeded(s.label, 'remove the audit directory', await s.exec(asRoot(['rm', '-rf', '--', dir]), { label: 'remove the audit directory', timeoutMs: 30_000 }));
  };
  ctx.cleanups.add(`remove ${dir} on ${session.label}`, remove);
  const r = await session.exec(asRoot(['lynis', 'audit', 'system', '--quick', '--no-colors', '--report-file', report, '--log-file', `${dir}/lynis.log`]), {
    label: 'lynis audit system',
    timeoutMs,
    onStdout: (line) => {
      if (/^\[\+\]/.test(line.trim())) ctx.log.info(`${session.label}: lynis ${line.trim()}`);
      else ctx.log.debug(`${session.label}: ${line}`);
    }
  });
  if (r.code !== 0) {
    const sudo = explainSudo(r.stderr, 'lynis audit system');
    if (sudo) throw new Error(`${session.label}: ${sudo}`);
    if (/command not found|lynis: not found|No such file/i.test(r.stderr)) throw new Error(`${session.label}: lynis is not installed (apt-get install lynis)`);
  }
  assertSucceeded(session.label, 'lynis audit system', r);
  const read = await session.exec(asRoot(['cat', report]), { label: 'read the lynis report', timeoutMs: 30_000, tailBytes: 8 * 1024 * 1024 });
  const parsed = parseLynisReport(assertSucceeded(session.label, 'read the lynis report', read).stdout);
  if (parsed.hardeningIndex === undefined) throw new Error(`${session.label}: the lynis report has no hardening_index (the audit did not finish)`);
  return parsed;
}
