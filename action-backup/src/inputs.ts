// The inputs and outputs of action-backup, named once, and the reader that parses them all before
// anything is contacted: bad values fail as ConfigurationError naming the input and the fix.
import {
  ConfigurationError,
  assertDatabaseName,
  assertProductionChangeAllowed,
  assertRemotePath,
  parseDatabaseUrl,
  parseDuration,
  parseRetention,
  readDatabaseUrl,
  readList,
  readSecret,
  readSshInputs,
  readString,
  readChoice,
  truncate,
  type DatabaseUrl,
  type InputContext,
  type RetentionPolicy,
  type SshSettings
} from '../../shared/src/index.js';

/** Action name and title, named once (state key, issue keys, report headline). */
export const BACKUP_ACTION = { name: 'backup', title: 'Backups' } as const;

/** action-backup's own inputs (the common and SSH ones are in shared/src/contract.ts). */
export const BACKUP_INPUTS = {
  operation: 'operation',
  targets: 'targets',
  databaseUrl: 'database-url',
  scratchDatabaseUrl: 'scratch-database-url',
  destination: 'destination',
  hostDestination: 'host-destination',
  backupPath: 'backup-path',
  retention: 'retention',
  encryptionKey: 'encryption-key',
  confirm: 'confirm',
  maxAge: 'max-age',
  dataDir: 'data-dir',
  digitaloceanToken: 'digitalocean-token',
  digitaloceanDatabaseId: 'digitalocean-database-id'
} as const;

/** action-backup's own outputs. */
export const BACKUP_OUTPUTS = {
  backupPath: 'backup-path',
  sha256: 'sha256',
  sizeBytes: 'size-bytes'
} as const;

export const OPERATIONS = ['backup', 'verify', 'list', 'freshness', 'prune', 'restore'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const TARGETS = ['database', 'volumes', 'config'] as const;
export type Target = (typeof TARGETS)[number];

/** Where the database is dumped: on the runner with `database-url`, or in the compose `postgres` service over SSH. */
export type DatabaseMode = 'direct' | 'compose';

/** Every input of action-backup, parsed. */
export interface BackupInputs {
  operation: Operation;
  targets: Target[];
  mode: DatabaseMode;
  /** Direct mode: the database to back up or restore into. */
  database?: DatabaseUrl;
  /** The name of the database backed up (the URL's, or the config's `database.name` in compose mode). */
  databaseName: string;
  /** `verify`: the server where the throwaway database is created (default: the database-url's server). */
  scratch?: DatabaseUrl;
  /** Directory on the runner holding the backups. */
  destination: string;
  /** Compose database and volumes: a directory on the host that keeps a copy too (the runbook's habit). */
  hostDestination?: string;
  backupPath?: string;
  retention?: RetentionPolicy;
  /** `config`: the age identity (`AGE-SECRET-KEY-1...`); the recipient is derived from it. */
  encryptionKey?: string;
  confirm?: string;
  maxAgeMs: number;
  /** `volumes`: the app data directory on the host. */
  dataDir: string;
  digitalocean?: { token: string; databaseId: string };
  /** Only for the operations that reach the hosts. */
  ssh?: SshSettings;
}

const AGE_IDENTITY = /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/;

/** Parses and validates every input; throws ConfigurationError naming the input. */
export function readBackupInputs(ctx: InputContext): BackupInputs {
  const I = BACKUP_INPUTS;
  const operation = readChoice(I.operation, OPERATIONS, 'backup');
  // Backups read production and restores overwrite it: an untrusted event gets neither, before any secret is read.
  assertProductionChangeAllowed(ctx.eventName, `action-backup '${operation}'`);
  if (operation === 'restore' && ctx.eventName !== 'workflow_dispatch' && ctx.eventName !== 'local') {
    throw new ConfigurationError(`Operation 'restore' overwrites the live database and runs only on workflow_dispatch (a person asking for it), not on '${ctx.eventName}'.`);
  }
  const targets = readTargets(I.targets);
  const database = readDatabaseUrl(I.databaseUrl, ctx.config);
  const mode: DatabaseMode = database ? 'direct' : 'compose';
  const databaseName = database?.database ?? assertDatabaseName(ctx.config.database.name, `The ops config's database.name`);
  const scratchRaw = readSecret(I.scratchDatabaseUrl);
  const scratch = scratchRaw ? parseDatabaseUrl(scratchRaw, `Input '${I.scratchDatabaseUrl}'`) : database;
  if (operation === 'verify' && !scratch) {
    throw new ConfigurationError(
      `Operation 'verify' restores into a throwaway database: pass '${I.scratchDatabaseUrl}' (a server where this action may CREATE DATABASE, e.g. a postgres service container of the job) or '${I.databaseUrl}'.`
    );
  }
  if (operation === 'restore' && mode !== 'direct') {
    throw new ConfigurationError(`Operation 'restore' needs '${I.databaseUrl}': it restores into that database on the runner's side (the compose-mode restore is the documented manual command in the README).`);
  }
  const destination = readString(I.destination) ?? 'backups';
  if (destination.includes('\0')) throw new ConfigurationError(`Input '${I.destination}' contains a NUL byte.`);
  const retentionText = readString(I.retention);
  if (operation === 'prune' && !retentionText) {
    throw new ConfigurationError(`Operation 'prune' needs '${I.retention}', e.g. 'last=3,daily=7,weekly=4,monthly=6'.`);
  }
  const retention = retentionText ? parseRetention(retentionText, I.retention) : undefined;
  const encryptionKey = readSecret(I.encryptionKey);
  if (encryptionKey !== undefined && !AGE_IDENTITY.test(encryptionKey)) {
    throw new ConfigurationError(`Input '${I.encryptionKey}' must be an age identity (one line 'AGE-SECRET-KEY-1...' as 'age-keygen' prints it), from a secret.`);
  }
  if (operation === 'backup' && targets.includes('config') && !encryptionKey) {
    throw new ConfigurationError(`Target 'config' holds secrets (.env.production) and is always encrypted: pass '${I.encryptionKey}' (an age identity from 'age-keygen', from a secret).`);
  }
  const confirm = readString(I.confirm);
  if (operation === 'restore' && confirm !== databaseName) {
    throw new ConfigurationError(
      `Operation 'restore' overwrites the database '${databaseName}': set '${I.confirm}' to exactly '${databaseName}' to confirm${confirm ? ` (got '${truncate(confirm)}')` : ''}.`
    );
  }
  const maxAgeRaw = readString(I.maxAge) ?? '26h';
  const maxAgeMs = parseDuration(maxAgeRaw, `Input '${I.maxAge}'`);
  if (maxAgeMs < 60_000) throw new ConfigurationError(`Input '${I.maxAge}' must be at least 1m, got '${maxAgeRaw}'.`);
  const dataDir = assertRemotePath(readString(I.dataDir) ?? '/opt/a2a-world/data', `Input '${I.dataDir}'`);
  const doToken = readSecret(I.digitaloceanToken);
  const doId = readString(I.digitaloceanDatabaseId);
  if (Boolean(doToken) !== Boolean(doId) && operation === 'list') {
    throw new ConfigurationError(`Listing DigitalOcean's managed-database backups needs both '${I.digitaloceanToken}' and '${I.digitaloceanDatabaseId}' (the cluster's UUID, as 'doctl databases list' shows it).`);
  }
  if (doId && !/^[0-9a-f-]{36}$/i.test(doId)) throw new ConfigurationError(`Input '${I.digitaloceanDatabaseId}' must be the cluster UUID (36 characters, as 'doctl databases list' shows), got '${truncate(doId)}'.`);
  const reachesHosts = operation === 'backup' && (mode === 'compose' || targets.some((t) => t !== 'database'));
  return {
    operation,
    targets,
    mode,
    database,
    databaseName,
    scratch,
    destination,
    hostDestination: optionalRemotePath(I.hostDestination),
    backupPath: readString(I.backupPath),
    retention,
    encryptionKey,
    confirm,
    maxAgeMs,
    dataDir,
    digitalocean: doToken && doId ? { token: doToken, databaseId: doId } : undefined,
    ssh: reachesHosts ? readSshInputs(ctx.config) : undefined
  };
}

function optionalRemotePath(name: string): string | undefined {
  const v = readString(name);
  if (v === undefined) return undefined;
  if (!v.startsWith('/')) throw new ConfigurationError(`Input '${name}' must be an absolute directory on the host, e.g. '/opt/a2a-world/backups'.`);
  return assertRemotePath(v, `Input '${name}'`);
}

function readTargets(name: string): Target[] {
  const list = readList(name);
  if (list.length === 0) return ['database'];
  for (const t of list) {
    if (!(TARGETS as readonly string[]).includes(t)) throw new ConfigurationError(`Input '${name}': '${truncate(t)}' is not a target; use any of ${TARGETS.join(', ')}.`);
  }
  return [...new Set(list)] as Target[];
}
