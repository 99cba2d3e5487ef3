// Checks many TLS endpoints at once: resolves every address behind each name, probes each one (bounded
// concurrency, a timeout each, spread over the cores), and turns the verdicts into report checks and a table
// sorted by days left.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { mapLimit, worst, type Check, type Logger, type ReportSection, type Status } from '../../shared/src/index.js';
import { classifyProbe, describeThresholds, type AddressVerdict, type ExpiryThresholds } from './classify.js';
import { defaultHandshakeThreads, planHandshakes, runHandshakes, type HandshakeThreads } from './handshake-pool.js';
import { targetKey, type TlsTarget } from './targets.js';

/** Resolves a host name to every address (A and AAAA). The DNS edge: tests may pass their own. */
export type LookupAll = (host: string) => Promise<string[]>;

/** The system resolver (getaddrinfo), every address family. */
export const systemLookup: LookupAll = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface CheckOptions {
  thresholds: ExpiryThresholds;
  timeoutMs: number;
  /** Trust anchors (system roots + ca-file); undefined = node's roots. */
  ca?: string[];
  /** How many handshakes run at once. */
  concurrency: number;
  lookup?: LookupAll;
  now?: Date;
  /** Cores and worker bundle the handshakes may use; default: this machine's, the bundle's worker. */
  threads?: HandshakeThreads;
  /** Where the choice between this thread and worker threads is logged (at debug). */
  log?: Pick<Logger, 'debug'>;
}

/** Everything found for one endpoint. */
export interface EndpointResult {
  target: TlsTarget;
  status: Status;
  /** One verdict per address; empty when the name did not resolve. */
  verdicts: AddressVerdict[];
  resolveError?: string;
  /** The fewest days left over all addresses that presented a certificate. */
  daysLeft?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function resolveTarget(target: TlsTarget, lookup: LookupAll, timeoutMs: number): Promise<{ addresses: string[]; error?: string }> {
  if (target.address) return { addresses: [target.address] };
  if (isIP(target.host)) return { addresses: [target.host] };
  try {
    const addresses = [...new Set(await withTimeout(lookup(target.host), timeoutMs, `resolving ${target.host}`))];
    return addresses.length ? { addresses } : { addresses, error: `${target.host} has no A or AAAA record` };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { addresses: [], error: err.code === 'ENOTFOUND' ? `${target.host} does not resolve (no such name)` : `could not resolve ${target.host}: ${err.message}` };
  }
}

/** Checks every endpoint: all addresses of all names, concurrently, each handshake bounded by the timeout. */
export async function checkEndpoints(targets: readonly TlsTarget[], opts: CheckOptions): Promise<EndpointResult[]> {
  const lookup = opts.lookup ?? systemLookup;
  const resolved = await mapLimit(targets, opts.concurrency, (t) => resolveTarget(t, lookup, opts.timeoutMs));
  const jobs = targets.flatMap((target, i) => resolved[i].addresses.map((address) => ({ target, address })));
  const plan = planHandshakes(jobs.length, opts.concurrency, opts.threads ?? defaultHandshakeThreads());
  opts.log?.debug(`TLS ${plan.reason}`);
  const probes = await runHandshakes(
    { jobs: jobs.map((j) => ({ host: j.target.host, address: j.address, port: j.target.port })), timeoutMs: opts.timeoutMs, ca: opts.ca, concurrency: opts.concurrency },
    plan
  );
  const now = opts.now ?? new Date();
  return targets.map((target, i) => {
    const verdicts = probes
      .filter((_, j) => jobs[j].target === target)
      .map((probe) => classifyProbe(probe, opts.thresholds, now))
      // The worst address first, so the endpoint's message names it.
      .sort(byWorstThenDays);
    const withDays = verdicts.filter((v) => v.daysLeft !== undefined);
    const status = resolved[i].error ? 'fail' : verdicts.reduce<Status>((acc, v) => worst(acc, v.status), 'ok');
    return {
      target,
      status,
      verdicts,
      resolveError: resolved[i].error,
      daysLeft: withDays.length ? Math.min(...withDays.map((v) => v.daysLeft as number)) : undefined
    };
  });
}

const RANK: Record<Status, number> = { fail: 0, warn: 1, ok: 2 };

function byWorstThenDays(a: AddressVerdict, b: AddressVerdict): number {
  return RANK[a.status] - RANK[b.status] || (a.daysLeft ?? -Infinity) - (b.daysLeft ?? -Infinity);
}

function endpointLabel(target: TlsTarget): string {
  return targetKey(target);
}

/** Check id of an endpoint: stable across runs, so its incident issue is found again. */
export function endpointCheckId(target: TlsTarget): string {
  return `tls:${targetKey(target)}`;
}

/** One report check per endpoint: the worst address decides; details list every address. */
export function endpointCheck(result: EndpointResult, thresholds: ExpiryThresholds): Check {
  const target = endpointLabel(result.target);
  const base = { id: endpointCheckId(result.target), kind: 'tls', target, threshold: describeThresholds(thresholds) };
  if (result.resolveError) return { ...base, status: 'fail', message: result.resolveError };
  const first = result.verdicts[0];
  const many = result.verdicts.length > 1;
  const disagree = many && new Set(result.verdicts.map((v) => v.probe.chain[0]?.fingerprint256 ?? v.probe.error)).size > 1;
  const prefix = many ? `${first.address}: ` : '';
  const suffix = many ? ` (${result.verdicts.length} addresses${disagree ? ', serving different certificates' : ', same certificate'})` : '';
  return {
    ...base,
    status: result.status,
    value: result.daysLeft !== undefined ? Number(result.daysLeft.toFixed(2)) : undefined,
    unit: result.daysLeft !== undefined ? 'days' : undefined,
    message: `${prefix}${first.message}${suffix}`,
    details: result.verdicts.map((v) => describeVerdict(result.target, v)).join('\n\n')
  };
}

/** Certificate facts of one address, as folded details. */
export function describeVerdict(target: TlsTarget, v: AddressVerdict): string {
  const p = v.probe;
  const leaf = p.chain[0];
  const lines = [`${target.host}:${target.port} at ${v.address}: ${v.status.toUpperCase()} — ${v.message}`];
  if (v.problems.length) lines.push(`  problems: ${v.problems.join(', ')}`);
  if (p.protocol) lines.push(`  protocol: ${p.protocol}${p.cipher ? ` (${p.cipher})` : ''}, handshake ${p.elapsedMs} ms`);
  if (leaf) {
    lines.push(
      `  subject: ${leaf.subject}`,
      `  issuer: ${leaf.issuer}`,
      `  SANs: ${leaf.sans.join(', ') || '(none)'}`,
      `  serial: ${leaf.serial}`,
      `  key: ${leaf.key}`,
      `  valid: ${leaf.notBefore} → ${leaf.notAfter}`,
      `  sha256: ${leaf.fingerprint256}`
    );
    if (p.chain.length > 1) lines.push(`  chain: ${p.chain.map((c) => c.subject).join(' ← ')}`);
  }
  return lines.join('\n');
}

const ICON: Record<Status, string> = { ok: '✅', warn: '⚠️', fail: '❌' };

/** Sorts endpoint results: fewest days left first; those without a certificate (unreachable) on top. */
export function sortByDaysLeft(results: readonly EndpointResult[]): EndpointResult[] {
  return [...results].sort((a, b) => (a.daysLeft ?? -Infinity) - (b.daysLeft ?? -Infinity) || RANK[a.status] - RANK[b.status]);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The summary table: one row per address, sorted by days left, with a status icon. */
export function certificatesSection(results: readonly EndpointResult[]): ReportSection {
  const rows: string[] = [];
  const all = sortByDaysLeft(results).flatMap((r) =>
    r.resolveError
      ? [{ r, v: undefined as AddressVerdict | undefined }]
      : r.verdicts.map((v) => ({ r, v }))
  );
  all.sort((a, b) => (a.v?.daysLeft ?? -Infinity) - (b.v?.daysLeft ?? -Infinity));
  for (const { r, v } of all) {
    const leaf = v?.probe.chain[0];
    rows.push(
      `| ${ICON[v?.status ?? r.status]} | ${cell(endpointLabel(r.target))} | ${cell(v?.address ?? '—')} | ${v?.daysLeft !== undefined ? v.daysLeft.toFixed(1) : '—'} | ${leaf ? leaf.notAfter.slice(0, 10) : '—'} | ${cell(leaf?.issuer ?? '—')} | ${cell(v?.problems.join(', ') || (r.resolveError ? 'no-address' : 'ok'))} |`
    );
  }
  return {
    title: 'Certificates by days left',
    markdown: ['| | Endpoint | Address | Days left | Expires | Issuer | Finding |', '|---|---|---|---:|---|---|---|', ...rows].join('\n')
  };
}

/** The smallest days-left over every endpoint, with two decimals; empty when no certificate was seen. */
export function minDaysLeft(results: readonly EndpointResult[]): string {
  const days = results.map((r) => r.daysLeft).filter((d): d is number => d !== undefined);
  return days.length ? Math.min(...days).toFixed(2) : '';
}

