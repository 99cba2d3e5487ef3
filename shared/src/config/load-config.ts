// Loads .github/ops.yml (or the `config` input's path), validates it against the schema and fills in defaults.
import { existsSync, readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ConfigurationError } from '../errors.js';
import { parseDuration } from '../inputs.js';
import { DEFAULT_CONFIG_PATH } from '../contract.js';
import { defaultConfig } from './defaults.js';
import { validate } from './validate-config.generated.js';
import type { EndpointConfig, HostConfig, OpsConfig, ServiceConfig } from './types.js';

/**
 * Reads the ops config. `path` undefined means the default `.github/ops.yml`, which may be absent
 * (every value then has its runbook default); a path the user named must exist.
 */
export function loadOpsConfig(path: string | undefined, cwd = process.env.GITHUB_WORKSPACE ?? process.cwd()): OpsConfig {
  const explicit = path !== undefined;
  const file = path ?? DEFAULT_CONFIG_PATH;
  const full = file.startsWith('/') ? file : `${cwd}/${file}`;
  if (!existsSync(full)) {
    if (explicit) {
      throw new ConfigurationError(`Input 'config': no file at '${file}'. Check the path (relative to the repository root) or remove the input to use the defaults.`);
    }
    return defaultConfig();
  }
  return parseOpsConfig(readFileSync(full, 'utf8'), file);
}

/** Parses and validates config text; `source` names the file in errors. */
export function parseOpsConfig(text: string, source: string): OpsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new ConfigurationError(`Config '${source}' is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).slice(0, 5).map(describeSchemaError).join('; ');
    throw new ConfigurationError(`Config '${source}' is invalid: ${problems}. See shared/schema/ops-config.schema.json for every key.`);
  }
  return toOpsConfig(raw as RawConfig, source);
}

function describeSchemaError(err: ErrorObject): string {
  const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  if (err.keyword === 'additionalProperties') {
    return `${where}: unknown key '${(err.params as { additionalProperty: string }).additionalProperty}'`;
  }
  if (err.keyword === 'enum') return `${where} must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => `'${v}'`).join(', ')}`;
  return `${where} ${err.message}`;
}

type RawConfig = {
  platform?: string;
  hosts?: Array<{ name: string; address: string; port?: number; user?: string; roles?: string[]; compose?: { 'project-dir'?: string; file?: string; 'env-file'?: string; 'project-name'?: string } }>;
  compose?: { 'project-dir'?: string; file?: string; 'env-file'?: string; command?: 'auto' | 'docker compose' | 'docker-compose'; 'project-name'?: string };
  services?: Record<string, { replicas?: number; 'health-url'?: string }>;
  endpoints?: Array<{ name?: string; url: string; method?: string; 'expect-status'?: number | number[]; 'expect-body'?: string; 'expect-headers'?: Record<string, string>; headers?: Record<string, string>; tls?: boolean }>;
  database?: { service?: string; name?: string; user?: string; 'url-env'?: string };
  thresholds?: Record<string, number | string>;
  issues?: { labels?: string[]; 'failures-to-open'?: number; 'successes-to-close'?: number; 'comment-interval'?: string | number; 'maintenance-label'?: string; 'maintenance-windows'?: Array<{ start: string; end: string; reason?: string }>; assignees?: string[] };
  ssh?: { user?: string; 'connect-timeout'?: string | number; 'command-timeout'?: string | number; 'keepalive-interval'?: string | number; 'keepalive-count-max'?: number; parallel?: number; 'jump-host'?: string };
};

function toOpsConfig(raw: RawConfig, source: string): OpsConfig {
  const d = defaultConfig();
  const t = raw.thresholds ?? {};
  const num = (key: string, fallback: number): number => (t[key] === undefined ? fallback : Number(t[key]));
  const dur = (value: string | number | undefined, key: string, fallback: number): number =>
    value === undefined ? fallback : parseDuration(value, `Config '${source}' key ${key}`);
  const sshUser = raw.ssh?.user ?? d.ssh.user;

  const hosts: HostConfig[] = (raw.hosts ?? []).map((h) => ({
    name: h.name,
    address: h.address,
    port: h.port ?? 22,
    user: h.user ?? sshUser,
    roles: h.roles ?? ['app'],
    ...(h.compose
      ? {
          compose: {
            ...(h.compose['project-dir'] !== undefined ? { projectDir: h.compose['project-dir'] } : {}),
            ...(h.compose.file !== undefined ? { file: h.compose.file } : {}),
            ...(h.compose['env-file'] !== undefined ? { envFile: h.compose['env-file'] } : {}),
            ...(h.compose['project-name'] !== undefined ? { projectName: h.compose['project-name'] } : {})
          }
        }
      : {})
  }));
  assertUnique(hosts.map((h) => h.name), `Config '${source}' hosts`);

  const services: ServiceConfig[] = Object.entries(raw.services ?? {}).map(([name, s]) => ({
    name,
    replicas: s?.replicas ?? 1,
    healthUrl: s?.['health-url']
  }));

  const endpoints: EndpointConfig[] = (raw.endpoints ?? []).map((e) => ({
    name: e.name ?? e.url,
    url: e.url,
    method: e.method ?? 'GET',
    expectStatus: e['expect-status'] === undefined ? [200] : ([] as number[]).concat(e['expect-status']),
    expectBody: e['expect-body'],
    expectHeaders: e['expect-headers'] ?? {},
    headers: e.headers ?? {},
    tls: e.tls ?? true
  }));

  const windows = (raw.issues?.['maintenance-windows'] ?? []).map((w, i) => {
    for (const edge of ['start', 'end'] as const) {
      if (Number.isNaN(Date.parse(w[edge]))) {
        throw new ConfigurationError(`Config '${source}' key issues.maintenance-windows[${i}].${edge} must be an ISO date-time such as 2026-12-01T22:00:00Z.`);
      }
    }
    return { start: w.start, end: w.end, reason: w.reason };
  });

  const config: OpsConfig = {
    source,
    platform: raw.platform ?? d.platform,
    hosts,
    compose: {
      projectDir: raw.compose?.['project-dir'] ?? d.compose.projectDir,
      file: raw.compose?.file ?? d.compose.file,
      envFile: raw.compose?.['env-file'] ?? d.compose.envFile,
      command: raw.compose?.command ?? d.compose.command,
      projectName: raw.compose?.['project-name']
    },
    services,
    endpoints,
    database: {
      service: raw.database?.service ?? d.database.service,
      name: raw.database?.name ?? d.database.name,
      user: raw.database?.user ?? d.database.user,
      urlEnv: raw.database?.['url-env']
    },
    thresholds: {
      latencyWarnMs: dur(t['latency-warn'], 'thresholds.latency-warn', d.thresholds.latencyWarnMs),
      latencyFailMs: dur(t['latency-fail'], 'thresholds.latency-fail', d.thresholds.latencyFailMs),
      cpuFailPercent: num('cpu-fail-percent', d.thresholds.cpuFailPercent),
      cpuWindowMs: dur(t['cpu-window'], 'thresholds.cpu-window', d.thresholds.cpuWindowMs),
      memoryWarnPercent: num('memory-warn-percent', d.thresholds.memoryWarnPercent),
      memoryFailPercent: num('memory-fail-percent', d.thresholds.memoryFailPercent),
      memoryWindowMs: dur(t['memory-window'], 'thresholds.memory-window', d.thresholds.memoryWindowMs),
      diskWarnPercent: num('disk-warn-percent', d.thresholds.diskWarnPercent),
      diskFailPercent: num('disk-fail-percent', d.thresholds.diskFailPercent),
      dbConnectionsWarnPercent: num('db-connections-warn-percent', d.thresholds.dbConnectionsWarnPercent),
      dbConnectionsFail: num('db-connections-fail', d.thresholds.dbConnectionsFail),
      longQueryMs: dur(t['long-query'], 'thresholds.long-query', d.thresholds.longQueryMs),
      tlsWarnDays: num('tls-warn-days', d.thresholds.tlsWarnDays),
      tlsFailDays: num('tls-fail-days', d.thresholds.tlsFailDays)
    },
    issues: {
      labels: raw.issues?.labels ?? d.issues.labels,
      failuresToOpen: raw.issues?.['failures-to-open'] ?? d.issues.failuresToOpen,
      successesToClose: raw.issues?.['successes-to-close'] ?? d.issues.successesToClose,
      commentIntervalMs: dur(raw.issues?.['comment-interval'], 'issues.comment-interval', d.issues.commentIntervalMs),
      maintenanceLabel: raw.issues?.['maintenance-label'] ?? d.issues.maintenanceLabel,
      maintenanceWindows: windows,
      assignees: raw.issues?.assignees ?? d.issues.assignees
    },
    ssh: {
      user: sshUser,
      connectTimeoutMs: dur(raw.ssh?.['connect-timeout'], 'ssh.connect-timeout', d.ssh.connectTimeoutMs),
      commandTimeoutMs: dur(raw.ssh?.['command-timeout'], 'ssh.command-timeout', d.ssh.commandTimeoutMs),
      keepaliveIntervalMs: dur(raw.ssh?.['keepalive-interval'], 'ssh.keepalive-interval', d.ssh.keepaliveIntervalMs),
      keepaliveCountMax: raw.ssh?.['keepalive-count-max'] ?? d.ssh.keepaliveCountMax,
      parallel: raw.ssh?.parallel ?? d.ssh.parallel,
      jumpHost: raw.ssh?.['jump-host']
    }
  };
  assertThresholdOrder(config, source);
  return config;
}

function assertUnique(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new ConfigurationError(`${what}: the name '${n}' is used twice; host names must be unique.`);
    seen.add(n);
  }
}

function assertThresholdOrder(c: OpsConfig, source: string): void {
  const pairs: Array<[string, number, string, number, string]> = [
    ['latency-warn', c.thresholds.latencyWarnMs, 'latency-fail', c.thresholds.latencyFailMs, ' ms'],
    ['memory-warn-percent', c.thresholds.memoryWarnPercent, 'memory-fail-percent', c.thresholds.memoryFailPercent, ''],
    ['disk-warn-percent', c.thresholds.diskWarnPercent, 'disk-fail-percent', c.thresholds.diskFailPercent, '']
  ];
  for (const [wk, w, fk, f, unit] of pairs) {
    if (w > f) throw new ConfigurationError(`Config '${source}': thresholds.${wk} (${w}${unit}) must not exceed thresholds.${fk} (${f}${unit}).`);
  }
  if (c.thresholds.tlsFailDays > c.thresholds.tlsWarnDays) {
    throw new ConfigurationError(`Config '${source}': thresholds.tls-fail-days must not exceed thresholds.tls-warn-days.`);
  }
}
