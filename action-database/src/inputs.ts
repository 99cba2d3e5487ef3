// The inputs and outputs of action-database, named once, and the reader that parses them all before
// anything is contacted: operations that change production refuse untrusted events before a secret is read,
// and terminate-long-queries runs only from workflow_dispatch (or a schedule that opted in).
import type pg from 'pg';
import {
  ConfigurationError,
  assertProductionChangeAllowed,
  assertProjectName,
  composeProjectName,
  readBoolean,
  readChoice,
  readDatabaseRoute,
  readDatabaseUrl,
  readDuration,
  readInt,
  readList,
  readString,
  truncate,
  type DatabaseRoute,
  type InputContext
} from '../../shared/src/index.js';

/** Action name and title, named once (state key, issue keys, report headline). */
export const DATABASE_ACTION = { name: 'database', title: 'Database maintenance' } as const;

/** action-database's own inputs (the common and SSH ones are in shared/src/contract.ts). If you rename one, update action.yml. */
export const DATABASE_INPUTS = {
  operation: 'operation',
  databaseUrl: 'database-url',
  databaseSshHost: 'database-ssh-host',
  composeProject: 'compose-project',
  connectTimeout: 'connect-timeout',
  statementTimeout: 'statement-timeout',
  lockTimeout: 'lock-timeout',
  topQueries: 'top-queries',
  tables: 'tables',
  minDuration: 'min-duration',
  includeIdleInTransaction: 'include-idle-in-transaction',
  includeSuperusers: 'include-superusers',
  allDatabases: 'all-databases',
  includeBackups: 'include-backups',
  gracePeriod: 'grace-period',
  maxTargets: 'max-targets',
  dryRun: 'dry-run',
  allowSchedule: 'allow-schedule'
} as const;

/** action-database's own outputs. */
export const DATABASE_OUTPUTS = {
  targets: 'targets',
  cancelled: 'cancelled',
  terminated: 'terminated',
  vacuumed: 'vacuumed',
  skipped: 'skipped'
} as const;

export const OPERATIONS = ['report', 'vacuum-analyze', 'terminate-long-queries'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** `application_name` of each operation's session, so a DBA sees who is connected (and the run skips itself). */
export const APPLICATION_NAMES: Record<Operation, string> = {
  report: 'a2a-ops database report',
  'vacuum-analyze': 'a2a-ops vacuum-analyze',
  'terminate-long-queries': 'a2a-ops terminate-long-queries'
};

/** Events terminate-long-queries runs from: a person's click, or the local CLI and tests. */
const KILL_EVENTS = ['workflow_dispatch', 'local'];

/** Where and how to connect. */
export interface ConnectionInputs {
  clientConfig: pg.ClientConfig;
  /** `user@host:port/db` (plus `via <ssh host>`): never the password. */
  target: string;
  /** The database the URL names. */
  database: string;
  route?: DatabaseRoute;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** terminate-long-queries' knobs. */
export interface TerminateInputs {
  minDurationMs: number;
  includeIdleInTransaction: boolean;
  includeSuperusers: boolean;
  allDatabases: boolean;
  includeBackups: boolean;
  gracePeriodMs: number;
  maxTargets: number;
  dryRun: boolean;
}

/** Every input of action-database, parsed. */
export interface DatabaseInputs {
  operation: Operation;
  connection: ConnectionInputs;
  /** report: how many statements of pg_stat_statements to show. */
  topQueries: number;
  /** vacuum-analyze: `schema.table` names (or bare table names in `public`); empty = every table. */
  tables: Array<{ schema: string; table: string }>;
  terminate: TerminateInputs;
}

const I = DATABASE_INPUTS;
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Parses and validates every input; throws ConfigurationError naming the input. */
export function readDatabaseInputs(ctx: InputContext): DatabaseInputs {
  const operation = readChoice(I.operation, OPERATIONS, 'report');
  // Before any secret is read: a pull request must never reach production with a write session.
  if (operation !== 'report') assertProductionChangeAllowed(ctx.eventName, `action-database '${operation}'`);
  if (operation === 'terminate-long-queries') assertKillEventAllowed(ctx.eventName);

  const terminate: TerminateInputs = {
    // The runbook's `query_start < now() - interval '5 minutes'`.
    minDurationMs: readDuration(I.minDuration, 5 * 60_000, { minMs: 1000, maxMs: 7 * 86_400_000 }),
    includeIdleInTransaction: readBoolean(I.includeIdleInTransaction, false),
    includeSuperusers: readBoolean(I.includeSuperusers, false),
    allDatabases: readBoolean(I.allDatabases, false),
    includeBackups: readBoolean(I.includeBackups, false),
    gracePeriodMs: readDuration(I.gracePeriod, 10_000, { minMs: 0, maxMs: 10 * 60_000 }),
    maxTargets: readInt(I.maxTargets, { min: 1, max: 100, fallback: 5 }) as number,
    dryRun: readBoolean(I.dryRun, true)
  };
  const tables = readList(I.tables).map(parseTableName);
  const topQueries = readInt(I.topQueries, { min: 1, max: 100, fallback: 10 }) as number;
  const connection = readConnection(ctx, operation);
  return { operation, connection, topQueries, tables, terminate };
}

function assertKillEventAllowed(eventName: string): void {
  if (KILL_EVENTS.includes(eventName)) return;
  if (eventName === 'schedule') {
    if (readBoolean(I.allowSchedule, false)) return;
    throw new ConfigurationError(
      `action-database 'terminate-long-queries' does not run on a schedule unless the workflow opts in: set '${I.allowSchedule}: true' on that step (and think about '${I.maxTargets}' and '${I.minDuration}' first).`
    );
  }
  throw new ConfigurationError(
    `action-database 'terminate-long-queries' runs only from workflow_dispatch (or a schedule with '${I.allowSchedule}: true'), not on '${truncate(eventName)}' events.`
  );
}

function readConnection(ctx: InputContext, operation: Operation): ConnectionInputs {
  const db = readDatabaseUrl(I.databaseUrl, ctx.config);
  const via = readString(I.databaseSshHost);
  if (!db) {
    throw new ConfigurationError(
      `Input '${I.databaseUrl}' is required: pass the DSN from a secret, e.g. 'postgresql://a2a_user:PASSWORD@postgres:5432/a2a_world'` +
        `${ctx.config.database.urlEnv ? `, or set the environment variable '${ctx.config.database.urlEnv}' (config database.url-env)` : ''}.`
    );
  }
  let route: DatabaseRoute | undefined;
  if (via) {
    const projectInput = readString(I.composeProject);
    const project =
      projectInput === 'none'
        ? ''
        : projectInput
          ? assertProjectName(projectInput, `Input '${I.composeProject}'`)
          : composeProjectName(ctx.config.compose.projectDir, ctx.config.compose.projectName);
    route = readDatabaseRoute(ctx.config, { viaInput: I.databaseSshHost, via, url: db.url, project, projectInput: I.composeProject });
  }
  // VACUUM of a big table takes a while: its statement bound is per table and longer by default.
  const statementDefault = operation === 'vacuum-analyze' ? 30 * 60_000 : 60_000;
  return {
    clientConfig: { connectionString: db.url },
    target: route ? `${db.target} via ${route.host.name}` : db.target,
    database: db.database,
    ...(route ? { route } : {}),
    connectTimeoutMs: readDuration(I.connectTimeout, 10_000, { minMs: 1000, maxMs: 120_000 }),
    statementTimeoutMs: readDuration(I.statementTimeout, statementDefault, { minMs: 1000, maxMs: 6 * 3_600_000 }),
    // Short: maintenance must never queue behind (and so in front of) the application's locks.
    lockTimeoutMs: readDuration(I.lockTimeout, 3000, { minMs: 100, maxMs: 60_000 })
  };
}

/** `schema.table` or `table` (in `public`), plain identifiers only: anything else is refused, never quoted through. */
export function parseTableName(entry: string): { schema: string; table: string } {
  const parts = entry.split('.');
  const [schema, table] = parts.length === 2 ? parts : parts.length === 1 ? ['public', parts[0]] : [];
  if (!schema || !table || !IDENT.test(schema) || !IDENT.test(table)) {
    throw new ConfigurationError(
      `Input '${I.tables}' has '${truncate(entry)}', which is not a table name: write 'schema.table' or 'table' (letters, digits, '_' and '$', starting with a letter or '_').`
    );
  }
  return { schema, table };
}
