// The inputs and outputs of action-ssl, named once, and the reader that parses them all before anything runs.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import {
  ConfigurationError,
  SSH_INPUTS,
  readChoice,
  readDuration,
  readInt,
  assertProductionChangeAllowed,
  readList,
  readSshInputs,
  readString,
  truncate,
  type InputContext,
  type SshSettings
} from '../../shared/src/index.js';
import type { ExpiryThresholds } from './classify.js';
import { parseTlsTargets, targetsFromConfig, type TlsTarget } from './targets.js';

/** action-ssl's own inputs (the common and SSH ones are in shared/src/contract.ts). */
export const SSL_INPUTS = {
  tlsWarnDays: 'tls-warn-days',
  tlsFailDays: 'tls-fail-days',
  tlsWarnPercent: 'tls-warn-percent',
  tlsFailPercent: 'tls-fail-percent',
  caFile: 'ca-file',
  timeout: 'timeout',
  concurrency: 'concurrency',
  operation: 'operation',
  renewal: 'renewal',
  certName: 'cert-name',
  certbotConfigDir: 'certbot-config-dir',
  acmeServer: 'acme-server',
  checkEndpoints: 'check-endpoints'
} as const;

/** action-ssl's own outputs. */
export const SSL_OUTPUTS = {
  minDaysLeft: 'min-days-left',
  renewed: 'renewed'
} as const;

export const OPERATIONS = ['check', 'renew'] as const;
export type Operation = (typeof OPERATIONS)[number];
export const RENEWALS = ['dry-run', 'force'] as const;
export type Renewal = (typeof RENEWALS)[number];

/** Where renewals run and how. */
export interface RenewInputs {
  renewal: Renewal;
  /** certbot `--cert-name`: one lineage instead of all. */
  certName?: string;
  /** certbot `--config-dir` (work and logs dirs go beside it); the default /etc/letsencrypt otherwise. */
  certbotConfigDir?: string;
  /** certbot `--server`: the ACME directory. Needed for a dry run against anything but Let's Encrypt, whose staging server a dry run uses otherwise. */
  acmeServer?: string;
}

/** Every input of action-ssl, parsed. */
export interface SslInputs {
  operation: Operation;
  /** TLS endpoints checked (operation check) or re-checked after renewal (operation renew). */
  targets: TlsTarget[];
  thresholds: ExpiryThresholds;
  timeoutMs: number;
  concurrency: number;
  /** System roots plus the ca-file certificates; undefined when no ca-file is given. */
  ca?: string[];
  /** Path of the ca-file, for the report. */
  caFile?: string;
  renew?: RenewInputs;
  /** SSH hosts, key and host-key pins (operation renew only). */
  ssh?: SshSettings;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a PEM bundle; throws a ConfigurationError naming the input when it holds no certificate. */
export function readCaFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.caFile}': cannot read '${truncate(path)}' (${(e as NodeJS.ErrnoException).code ?? 'error'}); give the path of a PEM file in the workspace.`);
  }
  const certs = text.match(PEM_CERT) ?? [];
  if (certs.length === 0) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.caFile}': '${truncate(path)}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  }
  return certs;
}

function readPercent(name: string): number | undefined {
  return readInt(name, { min: 1, max: 100 });
}

const CERT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const ACME_URL = /^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~\/-]*)?$/;
const ABS_PATH = /^\/(?:[A-Za-z0-9._-]+\/?)*$/;

function readRenewInputs(eventName: string): RenewInputs {
  const renewal = readChoice(SSL_INPUTS.renewal, RENEWALS, 'dry-run');
  if (renewal === 'force' && eventName !== 'workflow_dispatch' && eventName !== 'local') {
    throw new ConfigurationError(
      `Input '${SSL_INPUTS.renewal}: force' issues a new certificate and only runs on workflow_dispatch (this run is '${eventName}'); use 'renewal: dry-run' here, or run the workflow by hand.`
    );
  }
  const certName = readString(SSL_INPUTS.certName);
  if (certName !== undefined && !CERT_NAME.test(certName)) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.certName}' must be a certbot certificate name (letters, digits, '.', '_', '-'), e.g. 'example.com'.`);
  }
  const dir = readString(SSL_INPUTS.certbotConfigDir);
  if (dir !== undefined && (!ABS_PATH.test(dir) || dir.split('/').includes('..'))) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.certbotConfigDir}' must be an absolute path of letters, digits, '.', '_', '-' and '/', e.g. '/etc/letsencrypt'.`);
  }
  const acmeServer = readString(SSL_INPUTS.acmeServer);
  if (acmeServer !== undefined && !ACME_URL.test(acmeServer)) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.acmeServer}' must be an https:// ACME directory URL such as 'https://acme-v02.api.letsencrypt.org/directory'.`);
  }
  return { renewal, certName, certbotConfigDir: dir?.replace(/\/$/, ''), acmeServer };
}

/** Parses every input of action-ssl; throws a ConfigurationError before anything is contacted. */
export function readSslInputs(ctx: InputContext): SslInputs {
  const operation = readChoice(SSL_INPUTS.operation, OPERATIONS, 'check');
  const t = ctx.config.thresholds;
  const warnDays = readInt(SSL_INPUTS.tlsWarnDays, { min: 0, max: 3650, fallback: t.tlsWarnDays ?? 30 }) as number;
  const failDays = readInt(SSL_INPUTS.tlsFailDays, { min: 0, max: 3650, fallback: t.tlsFailDays ?? 7 }) as number;
  if (failDays > warnDays) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.tlsFailDays}' (${failDays}) must not exceed '${SSL_INPUTS.tlsWarnDays}' (${warnDays}): the fail level comes after the warn level.`);
  }
  const warnPercent = readPercent(SSL_INPUTS.tlsWarnPercent);
  const failPercent = readPercent(SSL_INPUTS.tlsFailPercent);
  if (warnPercent !== undefined && failPercent !== undefined && failPercent > warnPercent) {
    throw new ConfigurationError(`Input '${SSL_INPUTS.tlsFailPercent}' (${failPercent}) must not exceed '${SSL_INPUTS.tlsWarnPercent}' (${warnPercent}).`);
  }
  const timeoutMs = readDuration(SSL_INPUTS.timeout, 10_000, { minMs: 100, maxMs: 300_000 });
  const concurrency = readInt(SSL_INPUTS.concurrency, { min: 1, max: 500, fallback: 100 }) as number;
  const caFile = readString(SSL_INPUTS.caFile);
  // ca-file adds to the system roots: replacing them would make every public certificate "untrusted".
  const ca = caFile ? [...rootCertificates, ...readCaFile(caFile)] : undefined;

  let targets: TlsTarget[];
  let renew: RenewInputs | undefined;
  let ssh: SshSettings | undefined;
  if (operation === 'check') {
    const listed = readList(SSH_INPUTS.hosts);
    targets = listed.length ? parseTlsTargets(listed, `Input '${SSH_INPUTS.hosts}'`) : targetsFromConfig(ctx.config.endpoints);
    if (targets.length === 0) {
      throw new ConfigurationError(
        `Nothing to check: list endpoints in input '${SSH_INPUTS.hosts}' (host[:port] per line) or give endpoints with 'tls: true' in the ops config.`
      );
    }
  } else {
    // Renewal logs in to production hosts with a secret key: never from an event an outsider can trigger.
    assertProductionChangeAllowed(ctx.eventName, `Input '${SSL_INPUTS.operation}: renew'`);
    renew = readRenewInputs(ctx.eventName);
    ssh = readSshInputs(ctx.config);
    const listed = readList(SSL_INPUTS.checkEndpoints);
    targets = listed.length ? parseTlsTargets(listed, `Input '${SSL_INPUTS.checkEndpoints}'`) : targetsFromConfig(ctx.config.endpoints);
  }
  return {
    operation,
    targets,
    thresholds: { warnDays, failDays, warnPercent, failPercent },
    timeoutMs,
    concurrency,
    ca,
    caFile,
    renew,
    ssh
  };
}
