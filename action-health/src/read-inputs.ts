// Parses every input of the health action (and the config it falls back on) into one typed object,
// before anything is contacted. Every mistake is a ConfigurationError naming the input and the fix.
import type pg from 'pg';
import {
  ConfigurationError,
  parseDuration,
  readDuration,
  readInt,
  readList,
  readDatabaseRoute,
  readSecret,
  readSshInputs,
  readString,
  registerSecret,
  SSH_INPUTS,
  truncate,
  readDatabaseUrl,
  type InputContext,
  type SshSettings
} from '../../shared/src/index.js';
import type { CollectOptions } from './hosts/collect-metrics.js';
import {
  assertProjectName,
  composeProjectName,
  parseNatsUrl,
  type DatabaseRoute,
  type DatabaseThresholds,
  type NatsTarget
} from '../../shared/src/index.js';
import type { HostThresholds } from './hosts/evaluate-host.js';
import type { HttpCheckOptions } from './http/check-endpoint.js';
import { buildTargets, parseHeaderLines, parseStatusList, parseTargetUrl, type HttpTarget } from './http/targets.js';
import { HEALTH_INPUTS as I } from './inputs.js';

/** Everything one health run needs, parsed. */
export interface HealthInputs {
  targets: HttpTarget[];
  http: HttpCheckOptions;
  concurrency: number;
  /** Undefined when no host is to be checked. */
  ssh?: SshSettings;
  hosts: CollectOptions & {
    thresholds: HostThresholds;
    parallel: number;
    /** Replicas each compose service should run on every host (config `services`). */
    replicas: Record<string, number>;
  };
  database?: {
    clientConfig: pg.ClientConfig;
    target: string;
    thresholds: DatabaseThresholds;
    timeoutMs: number;
    /** Set when the database is reached through an SSH tunnel (`database-ssh-host`). */
    route?: DatabaseRoute;
  };
  nats: NatsTarget[];
  natsMonitors: string[];
  expectedIntervalMs: number;
  /** Remarks for the summary about what was left out and why. */
  notes: string[];
}

/** Upptime's waits before its second and third attempt. */
const DEFAULT_RETRY_DELAYS = '2s, 10s';

/** Reads and validates every input; nothing is contacted. */
export function readHealthInputs(ctx: InputContext): HealthInputs {
  const { config } = ctx;
  const t = config.thresholds;
  const notes: string[] = [];

  const warnMs = readDuration(I.latencyWarn, t.latencyWarnMs, { minMs: 1, maxMs: 600_000 });
  const failMs = readDuration(I.latencyFail, t.latencyFailMs, { minMs: 1, maxMs: 600_000 });
  if (failMs <= warnMs) {
    throw new ConfigurationError(`Input '${I.latencyFail}' (${failMs} ms) must be above '${I.latencyWarn}' (${warnMs} ms): the alert threshold is the higher one.`);
  }
  const timeoutMs = readDuration(I.timeout, Math.max(10_000, failMs * 2), { minMs: 100, maxMs: 300_000 });
  const retries = readInt(I.retries, { min: 0, max: 10, fallback: 2 }) as number;
  const retryDelaysMs = (readString(I.retryDelays) ?? DEFAULT_RETRY_DELAYS)
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((d) => parseDuration(d, `Input '${I.retryDelays}'`));
  if (retryDelaysMs.some((d) => d > 300_000)) throw new ConfigurationError(`Input '${I.retryDelays}' has a wait above 5 minutes; use something like '2s, 10s'.`);
  const maxRedirects = readInt(I.maxRedirects, { min: 0, max: 20, fallback: 5 }) as number;
  const concurrency = readInt(I.concurrency, { min: 1, max: 500, fallback: 100 }) as number;

  const expectBody = readString(I.expectBody);
  const targets = buildTargets(
    readList(I.urls),
    {
      expectStatus: parseStatusList(readList(I.expectStatus), `Input '${I.expectStatus}'`),
      expectBody,
      expectHeaders: parseHeaderLines(readNewlineList(I.expectHeaders), `Input '${I.expectHeaders}'`)
    },
    config.endpoints,
    config.services
  );

  const hostsThresholds: HostThresholds = {
    cpuFailPercent: percentInput(I.cpuFailPercent, t.cpuFailPercent),
    cpuWindowMs: readDuration(I.cpuWindow, t.cpuWindowMs),
    memoryWarnPercent: percentInput(I.memoryWarnPercent, t.memoryWarnPercent),
    memoryFailPercent: percentInput(I.memoryFailPercent, t.memoryFailPercent),
    memoryWindowMs: readDuration(I.memoryWindow, t.memoryWindowMs),
    diskWarnPercent: percentInput(I.diskWarnPercent, t.diskWarnPercent),
    diskFailPercent: percentInput(I.diskFailPercent, t.diskFailPercent)
  };
  if (hostsThresholds.memoryFailPercent < hostsThresholds.memoryWarnPercent) {
    throw new ConfigurationError(`Input '${I.memoryFailPercent}' must not be below '${I.memoryWarnPercent}'.`);
  }
  if (hostsThresholds.diskFailPercent < hostsThresholds.diskWarnPercent) {
    throw new ConfigurationError(`Input '${I.diskFailPercent}' must not be below '${I.diskWarnPercent}'.`);
  }
  const mounts = readList(I.diskMounts).map((m) => {
    if (!/^\/[^\u0000-\u001f]*$/.test(m)) throw new ConfigurationError(`Input '${I.diskMounts}' has '${truncate(m)}'; list absolute mount points such as '/' or '/var/lib/docker'.`);
    return m.replace(/(.)\/+$/, '$1');
  });
  const samples = readInt(I.sampleCount, { min: 1, max: 60, fallback: 3 }) as number;
  const intervalMs = readDuration(I.sampleInterval, 1000);
  if (intervalMs < 100 || intervalMs > 60_000) throw new ConfigurationError(`Input '${I.sampleInterval}' must be between 100ms and 60s, e.g. '1s'.`);
  const projectInput = readString(I.composeProject);
  const project = projectInput === 'none' ? '' : projectInput ? assertProjectName(projectInput, `Input '${I.composeProject}'`) : composeProjectName(config.compose.projectDir, config.compose.projectName);
  const logLines = readInt(I.logLines, { min: 0, max: 1000, fallback: 50 }) as number;

  // Hosts are checked when the `hosts` input names some, or the config lists some and a key is given.
  let ssh: SshSettings | undefined;
  const hostsGiven = readList(SSH_INPUTS.hosts).length > 0;
  const keyGiven = Boolean(readSecret(SSH_INPUTS.sshPrivateKey));
  if (hostsGiven || (config.hosts.length > 0 && keyGiven)) ssh = readSshInputs(config);
  else if (config.hosts.length > 0) notes.push(`The config lists ${config.hosts.length} host(s) but no '${SSH_INPUTS.sshPrivateKey}' was given: hosts and containers were not checked.`);

  const database = readDatabase(ctx, timeoutMs, ssh, project);

  const nats = readList(I.natsUrls).map((raw) => {
    const parsed = parseNatsUrl(raw);
    if (!parsed) throw new ConfigurationError(`Input '${I.natsUrls}' has '${truncate(raw)}'; write it as 'nats://host:4222'.`);
    // Only a password in the URL is secret; the address itself must stay readable in the report.
    const password = /^[a-z]+:\/\/[^/@:]*:([^/@]*)@/i.exec(raw)?.[1];
    if (password) {
      registerSecret(password);
      registerSecret(safeDecode(password));
    }
    return parsed;
  });
  const natsMonitors = readList(I.natsMonitorUrls).map((raw) => parseTargetUrl(raw, `Input '${I.natsMonitorUrls}'`).toString());

  const expectedIntervalMs = readDuration(I.expectedInterval, 24 * 3_600_000);
  if (expectedIntervalMs < 60_000) throw new ConfigurationError(`Input '${I.expectedInterval}' must be at least '1m' (GitHub runs schedules at most every 5 minutes).`);

  if (!targets.length && !ssh && !database && !nats.length && !natsMonitors.length) {
    throw new ConfigurationError(
      `Nothing to check: set '${I.urls}', '${SSH_INPUTS.hosts}' (with '${SSH_INPUTS.sshPrivateKey}'), '${I.databaseUrl}' or '${I.natsUrls}', or list endpoints/hosts in the ops config.`
    );
  }

  return {
    targets,
    http: { timeoutMs, retries, retryDelaysMs: retryDelaysMs.length ? retryDelaysMs : [0], maxRedirects, limits: { warnMs, failMs } },
    concurrency,
    ssh,
    hosts: {
      project,
      samples,
      intervalMs,
      logLines,
      mounts,
      timeoutMs: samples * intervalMs + 60_000,
      thresholds: hostsThresholds,
      parallel: Math.max(config.ssh.parallel, ssh?.targets.length ?? 1),
      replicas: Object.fromEntries(config.services.map((s) => [s.name, s.replicas]))
    },
    database,
    nats,
    natsMonitors,
    expectedIntervalMs,
    notes
  };
}

function readDatabase(ctx: InputContext, timeoutMs: number, ssh: SshSettings | undefined, project: string): HealthInputs['database'] {
  const db = readDatabaseUrl(I.databaseUrl, ctx.config);
  const via = readString(I.databaseSshHost);
  if (!db) {
    if (via) {
      throw new ConfigurationError(
        `Input '${I.databaseSshHost}' is set but there is no database to reach through it: set '${I.databaseUrl}' too, e.g. 'postgresql://a2a_user:PASSWORD@postgres:5432/a2a_world' (from a secret).`
      );
    }
    return undefined;
  }
  const t = ctx.config.thresholds;
  const route = via
    ? readDatabaseRoute(ctx.config, { viaInput: I.databaseSshHost, via, url: db.url, ssh, project, projectInput: I.composeProject })
    : undefined;
  return {
    clientConfig: { connectionString: db.url },
    target: route ? `${db.target} via ${route.host.name}` : db.target,
    thresholds: { dbConnectionsWarnPercent: t.dbConnectionsWarnPercent, dbConnectionsFail: t.dbConnectionsFail, longQueryMs: t.longQueryMs },
    timeoutMs: Math.min(timeoutMs, 30_000),
    ...(route ? { route } : {})
  };
}

function percentInput(name: string, fallback: number): number {
  return readInt(name, { min: 1, max: 100, fallback }) as number;
}

/** Header lines contain commas (`Accept: a, b`), so this list splits on newlines only. */
function readNewlineList(name: string): string[] {
  return (readString(name) ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
