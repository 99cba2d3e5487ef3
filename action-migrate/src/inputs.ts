// The migrate action's own inputs and outputs, named once, and the reader that parses them all up front:
// a production-changing operation on an untrusted event is refused before any secret is read.
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import {
  ConfigurationError,
  assertProductionChangeAllowed,
  assertProjectName,
  assertServiceName,
  composeProjectName,
  readBoolean,
  readChoice,
  readDatabaseRoute,
  readDatabaseUrl,
  readDuration,
  readInt,
  readList,
  readSshInputs,
  readString,
  truncate,
  type DatabaseRoute,
  type DatabaseUrl,
  type InputContext,
  type SshSettings
} from '../../shared/src/index.js';
import { parseAllowChanged, type AllowedChange } from './migrations/decide-apply.js';

/** Action name and title, named once (state key, issue keys, report headline). */
export const MIGRATE_ACTION = { name: 'migrate', title: 'Database migrations' } as const;

/** Inputs only `action-migrate` reads. If you rename one, update action.yml and README.md. */
export const MIGRATE_INPUTS = {
  operation: 'operation',
  databaseUrl: 'database-url',
  databaseSshHost: 'database-ssh-host',
  composeProject: 'compose-project',
  migrationsDir: 'migrations-dir',
  target: 'target',
  since: 'since',
  lockTimeout: 'lock-timeout',
  statementTimeout: 'statement-timeout',
  lockRetries: 'lock-retries',
  lockWait: 'lock-wait',
  skipBackup: 'skip-backup',
  backupDir: 'backup-dir',
  allowChanged: 'allow-changed',
  squawkPath: 'squawk-path',
  prComment: 'pr-comment',
  scratchApply: 'scratch-apply',
  execCommand: 'exec-command',
  execService: 'exec-service'
} as const;

/** Outputs beyond the common `status` and `report`. `current`, `pending`, `applied`: the first version's names, kept. */
export const MIGRATE_OUTPUTS = {
  currentVersion: 'current-version',
  appliedCount: 'applied-count',
  pendingCount: 'pending-count',
  backupPath: 'backup-path',
  current: 'current',
  pending: 'pending',
  applied: 'applied'
} as const;

export const OPERATIONS = ['apply', 'status', 'plan', 'verify', 'exec'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The operations that change the database (backup first, refused on pull-request events). */
export const CHANGING: readonly Operation[] = ['apply', 'exec'];

/** Default of `migrations-dir`; keep in step with action.yml. */
export const DEFAULT_MIGRATIONS_DIR = 'migrations';
/** Defaults (keep in step with action.yml): lock_timeout 5 s, statement_timeout 15 min, 3 retries, no lock wait. */
export const DEFAULTS = { lockTimeoutMs: 5000, statementTimeoutMs: 15 * 60_000, lockRetries: 3, lockWaitMs: 0, execService: 'api' } as const;

/** Connect and statement timeout for the read-only reads of status, plan and verify. */
export const READ_TIMEOUT_MS = 15_000;
/** Bound on connecting for apply. */
export const CONNECT_TIMEOUT_MS = 15_000;

export interface MigrateInputs {
  operation: Operation;
  /** Absolute path of the migrations folder. */
  migrationsDir: string;
  /** As the user wrote it, for messages. */
  migrationsDirInput: string;
  /** The database, its password registered as a secret; `database.target` is printable. */
  database: DatabaseUrl;
  /** Set when the database is reached through an SSH tunnel (`database-ssh-host`). */
  route?: DatabaseRoute;
  /** `user@host:port/db` (plus `via host`), never the password. */
  target: string;
  /** Apply up to and including this version. */
  targetVersion?: string;
  /** `plan`: show and lint only pending migrations numbered above this version (the base branch's newest). */
  since?: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** lock_timeout hits retried this many times per migration (0 = none). */
  lockRetries: number;
  /** How long to wait for another run's migration lock (0 = fail at once). */
  lockWaitMs: number;
  skipBackup: boolean;
  /** Absolute path the backup is written into. */
  backupDir: string;
  allowChanged: AllowedChange[];
  /** `squawk-path` as given (a path or a command name), if any. */
  squawkPath?: string;
  workspace: string;
  /** Post or update the plan comment on the pull request (plan on pull_request events). */
  prComment: 'auto' | 'off';
  /** `plan`: also apply every file to a scratch database created (and dropped) on the same server. */
  scratchApply: boolean;
  /** `exec`: the argv run in the service container, and the SSH host it runs on. */
  exec?: { argv: string[]; service: string; ssh: SshSettings };
}

/** Parses every input; throws ConfigurationError naming the input and the fix. Touches nothing. */
export function readMigrateInputs(ctx: InputContext, workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()): MigrateInputs {
  const I = MIGRATE_INPUTS;
  const operation = readChoice(I.operation, OPERATIONS, 'apply');
  // Before any secret is read: a pull request must never change the production database.
  if (CHANGING.includes(operation)) assertProductionChangeAllowed(ctx.eventName, `action-migrate '${operation}'`);

  const dirInput = readString(I.migrationsDir) ?? DEFAULT_MIGRATIONS_DIR;
  const migrationsDir = isAbsolute(dirInput) ? dirInput : resolve(workspace, dirInput);
  if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory()) {
    throw new ConfigurationError(
      `Input '${I.migrationsDir}': '${truncate(dirInput)}' is not a folder in the workspace. Check out the repository first (actions/checkout) and point it at the folder holding the NNNN_name.sql files.`
    );
  }
  const targetVersion = readString(I.target);
  if (targetVersion !== undefined && !/^\d{1,30}$/.test(targetVersion)) {
    throw new ConfigurationError(`Input '${I.target}' must be a migration version (its digits, e.g. '0042'), got '${truncate(targetVersion)}'.`);
  }
  const since = readString(I.since);
  if (since !== undefined && !/^\d{1,30}$/.test(since)) {
    throw new ConfigurationError(`Input '${I.since}' must be a migration version (its digits, e.g. '0041'), got '${truncate(since)}'.`);
  }
  const allowed = parseAllowChanged(readList(I.allowChanged));
  if ('error' in allowed) {
    throw new ConfigurationError(
      `Input '${I.allowChanged}': '${truncate(allowed.error)}' is not a migration: give its version ('0003') or file name ('0003_add_index.sql'), optionally pinned to the new checksum ('0003=3fa9c1d2').`
    );
  }

  const projectInput = readString(I.composeProject);
  const project =
    projectInput === 'none' ? '' : projectInput ? assertProjectName(projectInput, `Input '${I.composeProject}'`) : composeProjectName(ctx.config.compose.projectDir, ctx.config.compose.projectName);
  const database = readDatabase(ctx);
  const via = readString(I.databaseSshHost);
  let exec: MigrateInputs['exec'];
  let ssh: SshSettings | undefined;
  if (operation === 'exec') {
    const raw = readString(I.execCommand);
    if (!raw) {
      throw new ConfigurationError(
        `Input '${I.execCommand}' is required for operation 'exec': the app's own migration command, e.g. 'python database/scripts/migration_manager.py --apply'.`
      );
    }
    const argv = splitCommand(raw, I.execCommand);
    const service = assertServiceName(readString(I.execService) ?? DEFAULTS.execService, `Input '${I.execService}'`);
    ssh = readSshInputs(ctx.config);
    if (ssh.targets.length !== 1) {
      throw new ConfigurationError(`Input 'hosts' must name exactly one host for operation 'exec' (the host running the '${service}' container), got ${ssh.targets.length}.`);
    }
    exec = { argv, service, ssh };
  }
  const route = via ? readDatabaseRoute(ctx.config, { viaInput: I.databaseSshHost, via, url: database.url, ssh, project, projectInput: I.composeProject }) : undefined;

  const backupInput = readString(I.backupDir);
  const runnerTemp = process.env.RUNNER_TEMP || tmpdir();
  const backupDir = backupInput ? (isAbsolute(backupInput) ? backupInput : resolve(workspace, backupInput)) : join(runnerTemp, 'a2a-migrate-backups');

  return {
    operation,
    migrationsDir,
    migrationsDirInput: dirInput,
    database,
    ...(route ? { route } : {}),
    target: route ? `${database.target} via ${route.host.name}` : database.target,
    ...(targetVersion !== undefined ? { targetVersion } : {}),
    ...(since !== undefined ? { since } : {}),
    lockTimeoutMs: readDuration(I.lockTimeout, DEFAULTS.lockTimeoutMs, { minMs: 100, maxMs: 10 * 60_000 }),
    statementTimeoutMs: readDuration(I.statementTimeout, DEFAULTS.statementTimeoutMs, { minMs: 1000, maxMs: 24 * 3600_000 }),
    lockRetries: readInt(I.lockRetries, { min: 0, max: 10, fallback: DEFAULTS.lockRetries }) as number,
    lockWaitMs: readDuration(I.lockWait, DEFAULTS.lockWaitMs, { minMs: 0, maxMs: 60 * 60_000 }),
    skipBackup: readBoolean(I.skipBackup, false),
    backupDir,
    allowChanged: allowed,
    ...(readString(I.squawkPath) ? { squawkPath: readString(I.squawkPath) } : {}),
    workspace,
    prComment: readChoice(I.prComment, ['auto', 'off'] as const, 'auto'),
    scratchApply: readBoolean(I.scratchApply, false),
    ...(exec ? { exec } : {})
  };
}

/** The core's database-URL reader; every operation needs the database, so its absence is a mistake. */
function readDatabase(ctx: InputContext): DatabaseUrl {
  const database = readDatabaseUrl(MIGRATE_INPUTS.databaseUrl, ctx.config);
  if (database) return database;
  const envName = ctx.config.database.urlEnv;
  throw new ConfigurationError(
    `Input '${MIGRATE_INPUTS.databaseUrl}' is required: pass it from a secret, e.g. 'database-url: \${{ secrets.DATABASE_URL }}'` +
      (envName ? `, or set the environment variable '${envName}' named by database.url-env in the config.` : '.')
  );
}

/**
 * Splits a command into words the way a shell would for plain words and quotes ('...' and "..."), but
 * runs nothing through a shell: no variables, globs, pipes or `;`. Those are refused, so the command
 * that runs is exactly the words shown.
 */
export function splitCommand(raw: string, input: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "'" || c === '"') {
      const end = raw.indexOf(c, i + 1);
      if (end < 0) throw new ConfigurationError(`Input '${input}' has an unclosed ${c} quote.`);
      word += raw.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (/[;&|<>`$\\*?(){}\n]/.test(c)) {
      throw new ConfigurationError(
        `Input '${input}' contains '${c}': it is run as plain words (no shell), so pipes, ';', '$', globs and redirections are refused. Give one command with its arguments.`
      );
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new ConfigurationError(`Input '${input}' is empty: give the migration command to run.`);
  return words;
}
