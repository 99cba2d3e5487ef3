// The inputs and outputs of action-host, named once, and the reader that parses them all before any host
// is contacted: every operation runs as root on production hosts, so untrusted events are refused first.
import {
  ConfigurationError,
  assertProductionChangeAllowed,
  assertRemotePath,
  parseRetention,
  readBoolean,
  readDuration,
  readInt,
  readSshInputs,
  readString,
  truncate,
  type InputContext,
  type RetentionPolicy,
  type SshSettings
} from '../../shared/src/index.js';
import { parseSize } from './sizes.js';

/** Action name and title, named once (state key, issue keys, report headline). */
export const HOST_ACTION = { name: 'host', title: 'Host maintenance' } as const;

/** action-host's own inputs (the common and SSH ones are in shared/src/contract.ts). */
export const HOST_INPUTS = {
  operation: 'operation',
  dryRun: 'dry-run',
  dpkgLockTimeout: 'dpkg-lock-timeout',
  aptTimeout: 'apt-timeout',
  healthTimeout: 'health-timeout',
  reboot: 'reboot',
  rebootTimeout: 'reboot-timeout',
  auditTimeout: 'audit-timeout',
  imageAge: 'image-age',
  keepImages: 'keep-images',
  containerAge: 'container-age',
  buildCacheAge: 'build-cache-age',
  journalMaxSize: 'journal-max-size',
  diskThreshold: 'disk-threshold',
  backupDir: 'backup-dir',
  backupRetention: 'backup-retention',
  projectDir: 'project-dir',
  lockWait: 'lock-wait',
  breakLock: 'break-lock'
} as const;

/** action-host's own outputs. */
export const HOST_OUTPUTS = {
  upgradable: 'upgradable',
  securityUpdates: 'security-updates',
  upgradedHosts: 'upgraded-hosts',
  rebootRequired: 'reboot-required',
  hardeningIndex: 'hardening-index',
  freedBytes: 'freed-bytes'
} as const;

export const OPERATIONS = ['upgrade', 'audit', 'cleanup'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Every input of action-host, parsed. */
export interface HostInputs {
  operation: Operation;
  /** List (and plan) only: nothing is upgraded or removed. */
  dryRun: boolean;
  ssh: SshSettings;
  /** `-o DPkg::Lock::Timeout=`: how long apt waits for a dpkg lock another apt holds (unattended-upgrades). */
  dpkgLockTimeoutMs: number;
  /** Bound on each apt-get command on a host. */
  aptTimeoutMs: number;
  /** How long a host's services may take to be healthy again after its upgrade (or reboot). */
  healthTimeoutMs: number;
  reboot: boolean;
  rebootTimeoutMs: number;
  auditTimeoutMs: number;
  imageAgeMs: number;
  keepImages: number;
  containerAgeMs: number;
  buildCacheAgeMs: number;
  journalMaxBytes: number;
  /** Clean up only hosts whose disk use (of Docker's file system) is at least this percent; 0: always. */
  diskThreshold: number;
  /** Local backups on the hosts, pruned by `backupRetention` through the backup core. */
  backupDir?: string;
  /** Parsed by the backup core (`last=3,daily=7,...`). */
  backupRetention?: RetentionPolicy;
  /** The compose project dir override (else the config's, per host): the lock and the health check use it. */
  projectDir?: string;
  lockWaitMs: number;
  breakLock: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Parses and validates every input; throws ConfigurationError naming the input. */
export function readHostInputs(ctx: InputContext): HostInputs {
  const I = HOST_INPUTS;
  const raw = readString(I.operation);
  if (raw === undefined) throw new ConfigurationError(`Input '${I.operation}' is required: one of ${OPERATIONS.map((o) => `'${o}'`).join(', ')}.`);
  if (!(OPERATIONS as readonly string[]).includes(raw)) {
    throw new ConfigurationError(`Input '${I.operation}' must be one of ${OPERATIONS.map((o) => `'${o}'`).join(', ')}, got '${truncate(raw)}'.`);
  }
  const operation = raw as Operation;
  // Before any secret is read: every operation runs as root on the hosts (apt, lynis, docker rmi).
  assertProductionChangeAllowed(ctx.eventName, `action-host '${operation}'`);

  const journalRaw = readString(I.journalMaxSize) ?? '500M';
  const journalMaxBytes = parseSize(journalRaw, `Input '${I.journalMaxSize}'`);
  if (journalMaxBytes < 16 * 1024 * 1024) throw new ConfigurationError(`Input '${I.journalMaxSize}' must be at least 16M (journald keeps the active file anyway), got '${truncate(journalRaw)}'.`);

  const backupDir = optionalPath(I.backupDir);
  const backupRetention = readString(I.backupRetention);
  if (backupRetention !== undefined && backupDir === undefined) {
    throw new ConfigurationError(`Input '${I.backupRetention}' needs '${I.backupDir}': the directory on the hosts that holds the local backups.`);
  }
  if (backupDir !== undefined && backupRetention === undefined) {
    throw new ConfigurationError(`Input '${I.backupDir}' needs '${I.backupRetention}' (e.g. 'daily=7, weekly=4, monthly=6'): without a retention nothing may be removed.`);
  }

  return {
    operation,
    dryRun: readBoolean(I.dryRun, false),
    ssh: readSshInputs(ctx.config),
    dpkgLockTimeoutMs: readDuration(I.dpkgLockTimeout, 5 * 60_000, { minMs: 0, maxMs: HOUR }),
    aptTimeoutMs: readDuration(I.aptTimeout, 30 * 60_000, { minMs: 60_000, maxMs: 3 * HOUR }),
    healthTimeoutMs: readDuration(I.healthTimeout, 2 * 60_000, { minMs: 1000, maxMs: HOUR }),
    reboot: readBoolean(I.reboot, false),
    rebootTimeoutMs: readDuration(I.rebootTimeout, 10 * 60_000, { minMs: 30_000, maxMs: HOUR }),
    auditTimeoutMs: readDuration(I.auditTimeout, 15 * 60_000, { minMs: 60_000, maxMs: 2 * HOUR }),
    imageAgeMs: readDuration(I.imageAge, 7 * DAY, { minMs: 0, maxMs: 365 * DAY }),
    keepImages: readInt(I.keepImages, { min: 1, max: 100, fallback: 3 }) as number,
    containerAgeMs: readDuration(I.containerAge, DAY, { minMs: 0, maxMs: 365 * DAY }),
    buildCacheAgeMs: readDuration(I.buildCacheAge, 7 * DAY, { minMs: 0, maxMs: 365 * DAY }),
    journalMaxBytes,
    diskThreshold: readInt(I.diskThreshold, { min: 0, max: 100, fallback: 0 }) as number,
    backupDir,
    backupRetention: backupRetention === undefined ? undefined : parseRetention(backupRetention, I.backupRetention),
    projectDir: optionalPath(I.projectDir),
    lockWaitMs: readDuration(I.lockWait, 0, { minMs: 0, maxMs: 30 * 60_000 }),
    breakLock: readBoolean(I.breakLock, false)
  };
}

function optionalPath(name: string): string | undefined {
  const v = readString(name);
  return v === undefined ? undefined : assertRemotePath(v, `Input '${name}'`);
}
