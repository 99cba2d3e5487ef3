// The ops config: one declarative description of the platform (hosts, compose project, services,
// endpoints, database, thresholds, issue settings). Keys are kebab-case in YAML and camelCase here.

/** A host the actions reach over SSH. */
export interface HostConfig {
  /** Name used in `hosts` inputs and in reports (`app-1`). */
  name: string;
  address: string;
  port: number;
  user: string;
  roles: string[];
  /** Where this host's compose project differs from the top-level `compose` (a host laid out differently). */
  compose?: Partial<Pick<ComposeConfig, 'projectDir' | 'file' | 'envFile' | 'projectName'>>;
}

/** The docker compose project on each app host, as the runbook runs it. */
export interface ComposeConfig {
  projectDir: string;
  file: string;
  envFile: string;
  /**
   * `docker compose` (v2 plugin), `docker-compose` (v1, as the runbook uses), or `auto` (the default):
   * detected on each host over SSH, v2 first (see shared/src/compose/detect.ts).
   */
  command: 'auto' | 'docker compose' | 'docker-compose';
  /** Compose project name, when it differs from the directory name. */
  projectName?: string;
}

export interface ServiceConfig {
  name: string;
  replicas: number;
  /** Health URL checked during deploys (from the host or through the load balancer). */
  healthUrl?: string;
}

/** A public endpoint for HTTP and TLS checks. */
export interface EndpointConfig {
  name: string;
  url: string;
  method: string;
  expectStatus: number[];
  expectBody?: string;
  /** Response headers that must be present with these values. */
  expectHeaders: Record<string, string>;
  headers: Record<string, string>;
  /** Check the TLS certificate of this endpoint too (https URLs only). */
  tls: boolean;
}

export interface DatabaseConfig {
  /** Compose service that runs Postgres (for dumps and checks through SSH). */
  service: string;
  name: string;
  user: string;
  /** Name of the environment variable holding a direct connection URL, if any. */
  urlEnv?: string;
}

/** The runbook's numbers ("Key Metrics to Monitor" and "Alert Thresholds"). */
export interface Thresholds {
  /** Response time above which an endpoint is degraded (config `latency-warn`, a duration). */
  latencyWarnMs: number;
  /** Response time above which an endpoint is down (config `latency-fail`, a duration). */
  latencyFailMs: number;
  /** CPU use that fails once sustained for `cpuWindowMs` (config `cpu-fail-percent`). */
  cpuFailPercent: number;
  cpuWindowMs: number;
  memoryWarnPercent: number;
  memoryFailPercent: number;
  memoryWindowMs: number;
  diskWarnPercent: number;
  diskFailPercent: number;
  dbConnectionsWarnPercent: number;
  dbConnectionsFail: number;
  longQueryMs: number;
  tlsWarnDays: number;
  tlsFailDays: number;
}

/** A recurring or one-off window in which alerts are suppressed. */
export interface MaintenanceWindow {
  start: string;
  end: string;
  reason?: string;
}

export interface IssueConfig {
  /** Labels put on every incident issue; the first is also how issues are found again. */
  labels: string[];
  failuresToOpen: number;
  successesToClose: number;
  /**
   * While an incident stays open with the same failure, at most one recurrence comment per this many
   * milliseconds (a changed failure comments at once; 0 comments on every failing run). Default 6 h.
   */
  commentIntervalMs: number;
  /** An open issue with this label suppresses alerts (a maintenance window). */
  maintenanceLabel: string;
  maintenanceWindows: MaintenanceWindow[];
  /** People or teams assigned to new incident issues. */
  assignees: string[];
}

export interface SshConfig {
  /** Default SSH user for hosts that do not name one. */
  user: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** How many hosts are worked on at once. */
  parallel: number;
  /** Optional bastion, `[user@]host[:port]`. */
  jumpHost?: string;
}

/** The whole platform, with every default filled in. */
export interface OpsConfig {
  /** Where it was read from; `undefined` when no file was used. */
  source?: string;
  platform: string;
  hosts: HostConfig[];
  compose: ComposeConfig;
  services: ServiceConfig[];
  endpoints: EndpointConfig[];
  database: DatabaseConfig;
  thresholds: Thresholds;
  issues: IssueConfig;
  ssh: SshConfig;
}
