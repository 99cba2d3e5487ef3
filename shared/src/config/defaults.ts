// The runbook's numbers, as defaults. If you change one, update shared/schema/ops-config.schema.json and the README table.
import type { OpsConfig } from './types.js';

/** The config used when no file exists and no key is set: A2A World as the maintenance guide describes it. */
export function defaultConfig(): OpsConfig {
  return {
    platform: 'a2a-world',
    hosts: [],
    compose: {
      projectDir: '/opt/a2a-world',
      file: 'docker-compose.production.yml',
      envFile: '.env.production',
      command: 'auto'
    },
    services: [],
    endpoints: [],
    database: { service: 'postgres', name: 'a2a_world', user: 'a2a_user' },
    thresholds: {
      latencyWarnMs: 500,
      latencyFailMs: 2000,
      cpuFailPercent: 80,
      cpuWindowMs: 5 * 60_000,
      memoryWarnPercent: 80,
      memoryFailPercent: 85,
      memoryWindowMs: 3 * 60_000,
      diskWarnPercent: 85,
      diskFailPercent: 90,
      dbConnectionsWarnPercent: 80,
      dbConnectionsFail: 100,
      longQueryMs: 5 * 60_000,
      tlsWarnDays: 30,
      tlsFailDays: 7
    },
    issues: {
      labels: ['a2a-ops', 'incident'],
      failuresToOpen: 1,
      successesToClose: 1,
      commentIntervalMs: 6 * 3_600_000,
      maintenanceLabel: 'maintenance',
      maintenanceWindows: [],
      assignees: []
    },
    ssh: {
      user: 'deploy',
      connectTimeoutMs: 20_000,
      commandTimeoutMs: 10 * 60_000,
      keepaliveIntervalMs: 10_000,
      keepaliveCountMax: 3,
      parallel: 4
    }
  };
}
