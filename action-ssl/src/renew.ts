// operation: renew — runs the runbook's `sudo certbot renew --dry-run` (or `--force-renewal`) over SSH on
// every host, surfaces certbot's own error lines, then re-checks the live certificates and reports the new expiry.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SshPool,
  buildReport,
  logRemoteOutput,
  runOnHosts,
  scrubSecrets,
  shellJoin,
  type ActionResult,
  type Check,
  type ExecResult,
  type HostTarget,
  type RunContext,
  type SshSettings
} from '../../shared/src/index.js';
import { certificatesSection, checkEndpoints, endpointCheck, endpointCheckId, minDaysLeft, sortByDaysLeft, type EndpointResult, type LookupAll } from './check-endpoints.js';
import type { TlsTarget } from './targets.js';
import { SSL_OUTPUTS, type RenewInputs, type SslInputs } from './inputs.js';
import { SSL_ACTION } from './run-checks.js';

/** The argument vector run on each host; every value in it passed the inputs' allow-lists. */
export function certbotArgs(renew: RenewInputs): string[] {
  const args = ['sudo', '-n', 'certbot', 'renew', '--non-interactive', '--no-random-sleep-on-renew'];
  // certbot sleeps up to 8 minutes before a non-interactive renew unless told not to: never wanted in CI.
  args.push(renew.renewal === 'force' ? '--force-renewal' : '--dry-run');
  if (renew.certName) args.push('--cert-name', renew.certName);
  if (renew.acmeServer) args.push('--server', renew.acmeServer);
  if (renew.certbotConfigDir) {
    const d = renew.certbotConfigDir;
    args.push('--config-dir', d, '--work-dir', `${d}/work`, '--logs-dir', `${d}/logs`);
  }
  return args;
}

/** What certbot said, reduced to what a person needs. */
export interface CertbotOutcome {
  ok: boolean;
  /** Lineages renewed (or simulated) successfully: paths of their fullchain.pem. */
  renewed: string[];
  /** Lineages certbot left alone because they are not due. */
  notDue: string[];
  /** certbot's error lines, in order. */
  errors: string[];
  /** One line for the report. */
  message: string;
}

const ERROR_LINE = /(error|failed|failure|unable|could not|refused|denied|not permitted|a password is required|command not found|no such file)/i;

/** Reads certbot's output: which lineages renewed, which were not due, and the lines that explain a failure. */
export function parseCertbotOutput(result: ExecResult, renewal: RenewInputs['renewal']): CertbotOutcome {
  const text = `${result.stdout}\n${result.stderr}`;
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const renewed = lines.filter((l) => / \(success\)$/.test(l)).map((l) => l.replace(/ \(success\)$/, ''));
  const notDueAt = lines.findIndex((l) => /not due for renewal/i.test(l));
  const notDue = notDueAt >= 0 ? lines.slice(notDueAt + 1).filter((l) => /\.pem/.test(l) && / expires on /.test(l)) : [];
  const errors = [...new Set(lines.filter((l) => ERROR_LINE.test(l) && !/^Saving debug log/i.test(l) && !/\(success\)$/.test(l)))].slice(0, 12);
  const ok = result.code === 0;
  const what = renewal === 'force' ? 'forced renewal' : 'renewal dry run';
  let message: string;
  if (result.timedOut) message = `${what} did not finish within the command timeout; certbot was stopped`;
  else if (result.code === null) message = `${what} ended without an exit status (${result.connectionError ?? result.signal ?? 'connection lost'}): the outcome is unknown`;
  else if (!ok) message = `${what} failed (exit ${result.code}): ${causeLines(errors).join(' / ') || 'see the log'}`;
  else if (renewed.length) message = `${what} succeeded for ${renewed.length} certificate${renewed.length === 1 ? '' : 's'}`;
  else if (notDue.length) message = `${what}: nothing renewed, ${notDue.length} certificate${notDue.length === 1 ? '' : 's'} not due yet`;
  else message = `${what} succeeded`;
  return { ok, renewed, notDue, errors, message: scrubSecrets(message) };
}

/** The lines that say why (certbot's "with error:" lines, sudo's complaint), before its summary lines. */
function causeLines(errors: string[]): string[] {
  const causes = errors.filter((l) => /with error:|^error|^sudo:|: error|not found|denied/i.test(l));
  return (causes.length ? causes : errors).slice(0, 2);
}

interface HostRenewal {
  result: ExecResult;
  outcome: CertbotOutcome;
}

/** The Check for one host's renewal. */
function renewalCheck(target: HostTarget, label: string, outcome: { ok: true; value: HostRenewal } | { ok: false; error: Error }, renewal: RenewInputs['renewal']): Check {
  const base = { id: `renew:${target.name}`, kind: 'renewal', target: label };
  if (!outcome.ok) return { ...base, status: 'fail', message: scrubSecrets(`could not run certbot: ${outcome.error.message}`) };
  const { outcome: o, result } = outcome.value;
  const details = [
    `$ ${certbotLabel(renewal)}`,
    o.renewed.length ? `renewed: ${o.renewed.join(', ')}` : '',
    o.notDue.length ? `not due: ${o.notDue.join('; ')}` : '',
    o.errors.length ? `errors:\n${o.errors.join('\n')}` : '',
    `--- output (tail) ---\n${tail(`${result.stdout}\n${result.stderr}`.trim(), 40)}`
  ].filter(Boolean);
  return { ...base, status: o.ok ? 'ok' : 'fail', message: o.message, value: result.code ?? 'none', unit: 'exit', details: scrubSecrets(details.join('\n')) };
}

function certbotLabel(renewal: RenewInputs['renewal']): string {
  return `sudo certbot renew ${renewal === 'force' ? '--force-renewal' : '--dry-run'}`;
}

function tail(text: string, n: number): string {
  return text.split('\n').slice(-n).join('\n');
}

function expiryOf(r: EndpointResult | undefined): { notAfter?: string; fingerprint?: string } {
  const leaf = r?.verdicts.find((v) => v.probe.chain[0])?.probe.chain[0];
  return { notAfter: leaf?.notAfter, fingerprint: leaf?.fingerprint256 };
}

/** How long a forced renewal may take to reach the served certificate: a web server reloads gracefully. */
export const RELOAD_GRACE_MS = 10_000;
const RELOAD_POLL_MS = 500;

/**
 * A graceful reload (nginx's SIGHUP from certbot's deploy hook) keeps the old workers answering for a moment,
 * so an endpoint may serve the old certificate right after certbot returns. Re-probes the endpoints that still
 * serve their pre-renewal certificate until each changes or `graceMs` passes; results keep the input order.
 */
export async function awaitReload(
  before: readonly EndpointResult[],
  after: readonly EndpointResult[],
  recheck: (targets: TlsTarget[]) => Promise<EndpointResult[]>,
  graceMs = RELOAD_GRACE_MS
): Promise<EndpointResult[]> {
  const current = [...after];
  const unchanged = (i: number): boolean => {
    const was = expiryOf(before.find((b) => endpointCheckId(b.target) === endpointCheckId(current[i].target)));
    return was.fingerprint !== undefined && was.fingerprint === expiryOf(current[i]).fingerprint;
  };
  const deadline = Date.now() + graceMs;
  let waiting = current.map((_, i) => i).filter(unchanged);
  while (waiting.length && Date.now() < deadline) {
    await sleep(RELOAD_POLL_MS);
    const fresh = await recheck(waiting.map((i) => current[i].target));
    waiting.forEach((i, k) => (current[i] = fresh[k]));
    waiting = waiting.filter(unchanged);
  }
  return current;
}

/**
 * Runs certbot on every SSH host, then re-checks `inputs.targets`. After a forced renewal an endpoint that
 * still serves the same certificate once the reload grace has passed is a warning: the renewal did not reach
 * the web server (no reload).
 */
export async function runRenewal(inputs: SslInputs, ssh: SshSettings, ctx: Pick<RunContext, 'log'>, lookup?: LookupAll): Promise<ActionResult> {
  const startedAt = new Date();
  const renew = inputs.renew as RenewInputs;
  const checkOpts = { thresholds: inputs.thresholds, timeoutMs: inputs.timeoutMs, ca: inputs.ca, concurrency: inputs.concurrency, lookup, log: ctx.log };
  const before = inputs.targets.length ? await ctx.log.group('Certificates before renewal', () => checkEndpoints(inputs.targets, checkOpts)) : [];

  const command = shellJoin(certbotArgs(renew));
  const pool = new SshPool(ssh);
  let outcomes;
  try {
    outcomes = await ctx.log.group(`${certbotLabel(renew.renewal)} on ${ssh.targets.length} host${ssh.targets.length === 1 ? '' : 's'}`, () =>
      runOnHosts(ssh.targets, ssh.options.parallel, async (target, log): Promise<HostRenewal> => {
        const session = await pool.get(target);
        const result = await session.exec(command, { label: certbotLabel(renew.renewal), onStdout: (l) => log.add(l), onStderr: (l) => log.add(l) });
        logRemoteOutput(`${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`, `[${target.name}] `);
        return { result, outcome: parseCertbotOutput(result, renew.renewal) };
      })
    );
  } finally {
    await pool.closeAll();
  }
  const checks: Check[] = outcomes.map((o) => renewalCheck(o.target, o.label, o.ok ? { ok: true, value: o.value } : { ok: false, error: o.error }, renew.renewal));

  const anyForced = renew.renewal === 'force' && outcomes.some((o) => o.ok && o.value.outcome.ok && o.value.outcome.renewed.length > 0);
  const after = inputs.targets.length
    ? await ctx.log.group('Certificates after renewal', async () => {
        const first = await checkEndpoints(inputs.targets, checkOpts);
        return anyForced ? awaitReload(before, first, (targets) => checkEndpoints(targets, checkOpts)) : first;
      })
    : [];
  const changes: string[] = [];
  for (const r of sortByDaysLeft(after)) {
    const check = endpointCheck(r, inputs.thresholds);
    const was = expiryOf(before.find((b) => endpointCheckId(b.target) === endpointCheckId(r.target)));
    const now = expiryOf(r);
    if (was.notAfter && now.notAfter && was.fingerprint !== now.fingerprint) {
      check.message = `${check.message}; renewed: expiry ${was.notAfter} → ${now.notAfter}`;
      changes.push(`| ${check.target} | ${was.notAfter} | ${now.notAfter} |`);
    } else if (anyForced && was.fingerprint && was.fingerprint === now.fingerprint && check.status === 'ok') {
      check.status = 'warn';
      check.message = `still serves the certificate from before the forced renewal (until ${now.notAfter}): reload the web server, e.g. from a certbot deploy hook`;
    }
    checks.push(check);
  }

  const sections = [];
  if (after.length) sections.push(certificatesSection(after));
  if (changes.length) sections.push({ title: 'Served certificates that changed', markdown: ['| Endpoint | Was valid until | Now valid until |', '|---|---|---|', ...changes].join('\n') });
  const notes = [
    `Ran \`${certbotLabel(renew.renewal)}\`${renew.certName ? ` for certificate '${renew.certName}'` : ''} on ${ssh.targets.map((t) => t.name).join(', ')}.`,
    ...(inputs.targets.length ? [] : ['No endpoints to re-check: set check-endpoints (host[:port] per line) or endpoints with tls: true in the ops config.'])
  ];
  const renewedCount = outcomes.reduce((n, o) => n + (o.ok ? o.value.outcome.renewed.length : 0), 0);
  return {
    report: buildReport({ action: SSL_ACTION.name, title: `TLS certificate renewal (${renew.renewal})`, startedAt, checks, sections, notes }),
    outputs: { [SSL_OUTPUTS.minDaysLeft]: minDaysLeft(after), [SSL_OUTPUTS.renewed]: String(renewedCount) }
  };
}
