// The health action's own inputs, named once. The common contract and SSH inputs live in shared/src/contract.ts.

/** Inputs only `action-health` reads. If you rename one, update action.yml and README.md. */
export const HEALTH_INPUTS = {
  urls: 'urls',
  databaseUrl: 'database-url',
  databaseSshHost: 'database-ssh-host',
  latencyWarn: 'latency-warn',
  latencyFail: 'latency-fail',
  timeout: 'timeout',
  retries: 'retries',
  retryDelays: 'retry-delays',
  maxRedirects: 'max-redirects',
  expectStatus: 'expect-status',
  expectBody: 'expect-body',
  expectHeaders: 'expect-headers',
  concurrency: 'concurrency',
  cpuFailPercent: 'cpu-fail-percent',
  cpuWindow: 'cpu-window',
  memoryWarnPercent: 'memory-warn-percent',
  memoryFailPercent: 'memory-fail-percent',
  memoryWindow: 'memory-window',
  diskWarnPercent: 'disk-warn-percent',
  diskFailPercent: 'disk-fail-percent',
  diskMounts: 'disk-mounts',
  sampleCount: 'sample-count',
  sampleInterval: 'sample-interval',
  composeProject: 'compose-project',
  logLines: 'log-lines',
  natsUrls: 'nats-url',
  natsMonitorUrls: 'nats-monitor-url',
  expectedInterval: 'expected-interval'
} as const;

/** Outputs beyond the common `status` and `report`. */
export const HEALTH_OUTPUTS = {
  failedChecks: 'failed-checks'
} as const;
