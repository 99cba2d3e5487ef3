// The migrate action's own inputs and outputs, named once, and the reader that parses them up front.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, readDatabaseUrl, readString, truncate, type DatabaseUrl, type InputContext } from '../../shared/src/index.js';

/** Inputs only `action-migrate` reads. If you rename one, update action.yml and README.md. */
export const MIGRATE_INPUTS = {
  databaseUrl: 'database-url',
  migrationsDir: 'migrations-dir',
  operation: 'operation'
} as const;

/** Outputs beyond the common `status` and `report`. */
export const MIGRATE_OUTPUTS = {
  current: 'current',
  pending: 'pending',
  applied: 'applied'
} as const;

/** What this version does. */
export const OPERATIONS = ['status'] as const;
export type Operation = (typeof OPERATIONS)[number];

// Named so that a workflow written for the coming engine gets "not yet", not "no such thing".
const COMING_OPERATIONS = ['plan', 'apply', 'dry-run', 'lint', 'baseline'];

/** Default of `migrations-dir`; keep in step with action.yml. */
export const DEFAULT_MIGRATIONS_DIR = 'migrations';

/** Connect and statement timeout for reading the bookkeeping table. */
export const STATUS_TIMEOUT_MS = 15_000;

export interface MigrateInputs {
  operation: Operation;
  /** Absolute path of the migrations folder. */
  migrationsDir: string;
  /** As the user wrote it, for messages. */
  migrationsDirInput: string;
  /** The database, its password registered as a secret; `database.target` is printable. */
  database: DatabaseUrl;
  /** `user@host:port/db`, never the password. */
  target: string;
}

/** Parses every input; throws ConfigurationError naming the input and the fix. Touches no database. */
export function readMigrateInputs(ctx: InputContext, workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()): MigrateInputs {
  const operation = readOperation();
  const database = readDatabase(ctx);
  const dirInput = readString(MIGRATE_INPUTS.migrationsDir) ?? DEFAULT_MIGRATIONS_DIR;
  const migrationsDir = isAbsolute(dirInput) ? dirInput : resolve(workspace, dirInput);
  if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory()) {
    throw new ConfigurationError(
      `Input '${MIGRATE_INPUTS.migrationsDir}': '${truncate(dirInput)}' is not a folder in the workspace. Check out the repository first (actions/checkout) and point it at the folder holding the NNNN_name.sql files.`
    );
  }
  return { operation, migrationsDir, migrationsDirInput: dirInput, database, target: database.target };
}

function readOperation(): Operation {
  const raw = readString(MIGRATE_INPUTS.operation) ?? 'status';
  if ((OPERATIONS as readonly string[]).includes(raw)) return raw as Operation;
  if (COMING_OPERATIONS.includes(raw)) {
    throw new ConfigurationError(
      `Input '${MIGRATE_INPUTS.operation}': '${raw}' is not available yet; this version of action-migrate only reports 'status' (read-only). Set operation: status.`
    );
  }
  throw new ConfigurationError(`Input '${MIGRATE_INPUTS.operation}' must be 'status' (the only operation available so far), got '${truncate(raw)}'.`);
}

/** The core's database-URL reader; status cannot run without a database, so its absence is a mistake. */
function readDatabase(ctx: InputContext): DatabaseUrl {
  const database = readDatabaseUrl(MIGRATE_INPUTS.databaseUrl, ctx.config);
  if (database) return database;
  const envName = ctx.config.database.urlEnv;
  throw new ConfigurationError(
    `Input '${MIGRATE_INPUTS.databaseUrl}' is required: pass it from a secret, e.g. 'database-url: \${{ secrets.DATABASE_URL }}'` +
      (envName ? `, or set the environment variable '${envName}' named by database.url-env in the config.` : '.')
  );
}
