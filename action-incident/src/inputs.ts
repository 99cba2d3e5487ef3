// The inputs and outputs of action-incident, named once, and the reader that parses them all before
// anything is contacted. Every diagnostic is read-only; recovery lives in the workflow's later steps.
import {
  ConfigurationError,
  SSH_INPUTS,
  assertServiceName,
  readDatabaseUrl,
  readDuration,
  readInt,
  readList,
  readSecret,
  readSshInputs,
  readString,
  parseNatsUrl,
  truncate,
  type DatabaseUrl,
  type InputContext,
  type NatsTarget,
  type SshSettings
} from '../../shared/src/index.js';

/** Action name and title, named once (state key, issue key prefix, report headline). */
export const INCIDENT_ACTION = { name: 'incident', title: 'Incident diagnostics' } as const;

/** action-incident's own inputs (the common and SSH ones are in shared/src/contract.ts). */
export const INCIDENT_INPUTS = {
  endpoints: 'endpoints',
  endpointTimeout: 'endpoint-timeout',
  logLines: 'log-lines',
  patternLines: 'pattern-lines',
  processLines: 'process-lines',
  daemonLogLines: 'daemon-log-lines',
  databaseUrl: 'database-url',
  longQuery: 'long-query',
  natsUrl: 'nats-url',
  digitaloceanToken: 'digitalocean-token',
  digitaloceanApiUrl: 'digitalocean-api-url',
  loadBalancer: 'load-balancer',
  skipServices: 'skip-process-services',
  diagnosticTimeout: 'diagnostic-timeout'
} as const;

/** action-incident's own outputs. */
export const INCIDENT_OUTPUTS = {
  faults: 'faults',
  faultCount: 'fault-count'
} as const;

/** One endpoint to time: from the config's endpoints, its services' health URLs, or the input. */
export interface EndpointTarget {
  name: string;
  url: string;
  method: string;
  /** Statuses that count as answering; empty means any 2xx or 3xx. */
  expectStatus: number[];
}

/** Every input of action-incident, parsed. */
export interface IncidentInputs {
  endpoints: EndpointTarget[];
  endpointTimeoutMs: number;
  /** SSH settings when there are hosts to diagnose; undefined when neither the config nor `hosts` names one. */
  ssh?: SshSettings;
  logLines: number;
  patternLines: number;
  processLines: number;
  daemonLogLines: number;
  database?: DatabaseUrl;
  longQueryMs: number;
  nats?: NatsTarget;
  digitalocean?: { token: string; apiUrl: string; loadBalancer?: string };
  /** Services whose containers get no `ps` (the database's, by default: not an app container). */
  skipProcessServices: string[];
  /** Bound on each diagnostic family as a whole (a hung host never holds the run). */
  diagnosticTimeoutMs: number;
}

const DEFAULT_DO_API = 'https://api.digitalocean.com';

/** Parses and validates every input; throws ConfigurationError naming the input. */
export function readIncidentInputs(ctx: InputContext): IncidentInputs {
  const I = INCIDENT_INPUTS;
  const endpoints = collectEndpoints(ctx, readList(I.endpoints));
  const hostsNamed = readList(SSH_INPUTS.hosts).length > 0 || ctx.config.hosts.length > 0;
  const ssh = hostsNamed ? readSshInputs(ctx.config) : undefined;

  const natsRaw = readString(I.natsUrl);
  let nats: NatsTarget | undefined;
  if (natsRaw) {
    nats = parseNatsUrl(natsRaw);
    if (!nats) throw new ConfigurationError(`Input '${I.natsUrl}' is not a NATS URL: give it as 'nats://host:4222'.`);
  }

  const token = readSecret(I.digitaloceanToken);
  const apiUrl = readString(I.digitaloceanApiUrl) ?? DEFAULT_DO_API;
  assertHttpUrl(apiUrl, `Input '${I.digitaloceanApiUrl}'`);
  const loadBalancer = readString(I.loadBalancer);
  if (loadBalancer && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(loadBalancer)) {
    throw new ConfigurationError(`Input '${I.loadBalancer}' must be a load balancer id or name (letters, digits, '.', '_', '-').`);
  }
  if (loadBalancer && !token) {
    throw new ConfigurationError(`Input '${I.loadBalancer}' is set but '${I.digitaloceanToken}' is empty: pass a DigitalOcean token with load_balancer:read (from a secret).`);
  }

  const skip = readList(I.skipServices).map((s) => assertServiceName(s, `Input '${I.skipServices}'`));
  return {
    endpoints,
    endpointTimeoutMs: readDuration(I.endpointTimeout, 10_000, { minMs: 500, maxMs: 120_000 }),
    ssh,
    logLines: readInt(I.logLines, { min: 1, max: 200, fallback: 20 }) as number,
    patternLines: readInt(I.patternLines, { min: 10, max: 1000, fallback: 1000 }) as number,
    processLines: readInt(I.processLines, { min: 1, max: 50, fallback: 10 }) as number,
    daemonLogLines: readInt(I.daemonLogLines, { min: 1, max: 500, fallback: 50 }) as number,
    database: readDatabaseUrl(I.databaseUrl, ctx.config),
    longQueryMs: readDuration(I.longQuery, ctx.config.thresholds.longQueryMs, { minMs: 1000, maxMs: 24 * 3600_000 }),
    nats,
    digitalocean: token ? { token, apiUrl, ...(loadBalancer ? { loadBalancer } : {}) } : undefined,
    skipProcessServices: skip.length ? skip : [ctx.config.database.service],
    diagnosticTimeoutMs: readDuration(I.diagnosticTimeout, 120_000, { minMs: 5000, maxMs: 30 * 60_000 })
  };
}

/**
 * The endpoints to time: the config's `endpoints`, every service's `health-url`, then the input's URLs
 * (one per line or comma-separated), each URL once.
 */
export function collectEndpoints(ctx: Pick<InputContext, 'config'>, extra: readonly string[]): EndpointTarget[] {
  const out: EndpointTarget[] = [];
  const seen = new Set<string>();
  const add = (t: EndpointTarget): void => {
    if (seen.has(t.url)) return;
    seen.add(t.url);
    out.push(t);
  };
  for (const e of ctx.config.endpoints) add({ name: e.name, url: e.url, method: e.method, expectStatus: e.expectStatus });
  for (const s of ctx.config.services) if (s.healthUrl) add({ name: `${s.name} health`, url: s.healthUrl, method: 'GET', expectStatus: [] });
  for (const url of extra) {
    assertHttpUrl(url, `Input '${INCIDENT_INPUTS.endpoints}'`);
    add({ name: url, url, method: 'GET', expectStatus: [] });
  }
  return out;
}

function assertHttpUrl(value: string, what: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${what} is not a URL: '${truncate(value)}'. Give http(s) URLs, e.g. 'https://api.a2aworld.ai/health'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigurationError(`${what} must hold http or https URLs, got '${url.protocol}'.`);
  if (url.username || url.password) throw new ConfigurationError(`${what}: put no credentials in a URL; they would be printed in the report.`);
}
