// The ops config: runbook defaults, YAML mapping, schema errors that name the key, published schema in sync.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, defaultConfig, loadOpsConfig, parseDuration, parseOpsConfig, type OpsConfig } from '../src/index.js';
import { OPS_CONFIG_SCHEMA } from '../src/config/schema.js';

describe('the ops config', () => {
  it('defaults to the runbook numbers when there is no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const c = loadOpsConfig(undefined, dir);
    expect(c.source).toBeUndefined();
    expect(c.thresholds).toMatchObject({
      latencyWarnMs: 500,
      latencyFailMs: 2000,
      cpuFailPercent: 80,
      cpuWindowMs: 300_000,
      memoryWarnPercent: 80,
      memoryFailPercent: 85,
      memoryWindowMs: 180_000,
      diskWarnPercent: 85,
      diskFailPercent: 90,
      dbConnectionsWarnPercent: 80,
      dbConnectionsFail: 100,
      tlsWarnDays: 30,
      tlsFailDays: 7
    });
    expect(c.compose).toMatchObject({ projectDir: '/opt/a2a-world', file: 'docker-compose.production.yml', envFile: '.env.production' });
  });

  it('reads the default path .github/ops.yml when it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/ops.yml'), 'platform: staging\n');
    expect(loadOpsConfig(undefined, dir).platform).toBe('staging');
  });

  it('maps kebab-case YAML to the typed config, keeping defaults for what is absent', () => {
    const c = parseOpsConfig(
      `
hosts:
  - { name: app-1, address: 10.0.0.5 }
  - { name: app-2, address: 10.0.0.6, port: 2222, user: ops, roles: [app, certs] }
compose: { command: docker-compose, project-dir: /srv/a2a }
services:
  api: { replicas: 2, health-url: "http://127.0.0.1:8000/health" }
endpoints:
  - { url: "https://api.a2aworld.ai/health", expect-status: [200, 204] }
thresholds: { latency-warn: 300ms, latency-fail: 1.5s, cpu-fail-percent: 90, cpu-window: 10m, long-query: 90s, tls-fail-days: 10 }
issues: { failures-to-open: 2, maintenance-windows: [{ start: "2026-12-01T22:00:00Z", end: "2026-12-01T23:00:00Z" }] }
ssh: { user: deploy, connect-timeout: 5s }
`,
      'ops.yml'
    );
    expect(c.hosts).toEqual([
      { name: 'app-1', address: '10.0.0.5', port: 22, user: 'deploy', roles: ['app'] },
      { name: 'app-2', address: '10.0.0.6', port: 2222, user: 'ops', roles: ['app', 'certs'] }
    ]);
    expect(c.compose.command).toBe('docker-compose');
    expect(c.compose.projectDir).toBe('/srv/a2a');
    expect(c.services).toEqual([{ name: 'api', replicas: 2, healthUrl: 'http://127.0.0.1:8000/health' }]);
    expect(c.endpoints[0]).toMatchObject({ method: 'GET', expectStatus: [200, 204], tls: true });
    expect(c.thresholds.latencyWarnMs).toBe(300);
    expect(c.thresholds.latencyFailMs).toBe(1500);
    expect(c.thresholds.cpuFailPercent).toBe(90);
    expect(c.thresholds.cpuWindowMs).toBe(600_000);
    expect(c.thresholds.tlsFailDays).toBe(10);
    expect(c.thresholds.longQueryMs).toBe(90_000);
    expect(c.issues.failuresToOpen).toBe(2);
    expect(c.issues.maintenanceWindows).toHaveLength(1);
    expect(c.ssh.connectTimeoutMs).toBe(5000);
  });

  it('gives a service declared without replicas one replica, and keeps an explicit 0', () => {
    const c = parseOpsConfig('services:\n  worker: {}\n  frontend: { health-url: "http://127.0.0.1:3000/" }\n  api: { replicas: 3 }\n  batch: { replicas: 0 }\n', 'ops.yml');
    expect(c.services.map((s) => [s.name, s.replicas])).toEqual([
      ['worker', 1],
      ['frontend', 1],
      ['api', 3],
      ['batch', 0]
    ]);
  });

  it.each([
    { name: 'an unknown top-level key', yaml: 'hostz: []', message: "unknown key 'hostz'" },
    { name: 'an unknown nested key', yaml: 'thresholds: { latency-warn-ms: 500 }', message: "thresholds: unknown key 'latency-warn-ms'" },
    { name: 'a port out of range', yaml: 'hosts: [{ name: a, address: b, port: 70000 }]', message: 'hosts.0.port must be <= 65535' },
    { name: 'a bad compose command', yaml: 'compose: { command: podman }', message: "compose.command must be one of 'docker compose', 'docker-compose'" },
    { name: 'a bad duration', yaml: 'thresholds: { cpu-window: soon }', message: 'thresholds.cpu-window' },
    { name: 'a latency that is not a duration', yaml: 'thresholds: { latency-warn: fast }', message: 'thresholds.latency-warn' },
    { name: 'warn above fail', yaml: 'thresholds: { disk-warn-percent: 95 }', message: 'thresholds.disk-warn-percent (95) must not exceed thresholds.disk-fail-percent (90)' },
    { name: 'a latency warn above fail', yaml: 'thresholds: { latency-warn: 3s }', message: 'thresholds.latency-warn (3000 ms) must not exceed thresholds.latency-fail (2000 ms)' },
    { name: 'tls fail above warn', yaml: 'thresholds: { tls-fail-days: 40 }', message: 'thresholds.tls-fail-days must not exceed thresholds.tls-warn-days' },
    { name: 'a duplicate host name', yaml: 'hosts: [{ name: a, address: b }, { name: a, address: c }]', message: "the name 'a' is used twice" },
    { name: 'a bad maintenance time', yaml: 'issues: { maintenance-windows: [{ start: tonight, end: tomorrow }] }', message: 'issues.maintenance-windows[0].start must be an ISO date-time' },
    { name: 'broken YAML', yaml: 'hosts: [', message: "Config 'ops.yml' is not valid YAML" }
  ])('rejects $name with a message naming the key', ({ yaml, message }) => {
    expect(() => parseOpsConfig(yaml, 'ops.yml')).toThrow(ConfigurationError);
    expect(() => parseOpsConfig(yaml, 'ops.yml')).toThrow(message);
  });

  it('publishes the same schema the loader validates with', () => {
    const published = JSON.parse(readFileSync(join(import.meta.dirname, '../schema/ops-config.schema.json'), 'utf8'));
    expect(published).toEqual(OPS_CONFIG_SCHEMA);
  });

  it('documents a default in the schema for every default the loader applies', () => {
    const d = defaultConfig();
    const t = (OPS_CONFIG_SCHEMA.properties.thresholds.properties as Record<string, { default?: unknown }>);
    expect(parseDuration(t['latency-warn'].default as string, 'latency-warn')).toBe(d.thresholds.latencyWarnMs);
    expect(parseDuration(t['latency-fail'].default as string, 'latency-fail')).toBe(d.thresholds.latencyFailMs);
    expect(t['cpu-fail-percent'].default).toBe(d.thresholds.cpuFailPercent);
    expect(t['tls-fail-days'].default).toBe(d.thresholds.tlsFailDays);
    expect(t['disk-fail-percent'].default).toBe(d.thresholds.diskFailPercent);
    expect(t['db-connections-fail'].default).toBe(d.thresholds.dbConnectionsFail);
  });
});

describe('every key of thresholds, issues and ssh reaches its own field', () => {
  // Each key gets a value no other key and no default has, so a key read into a neighbour's field shows.
  const thresholdRows: Array<{ key: string; yaml: string; field: keyof OpsConfig['thresholds']; value: number }> = [
    { key: 'latency-warn', yaml: '310ms', field: 'latencyWarnMs', value: 310 },
    { key: 'latency-fail', yaml: '1700ms', field: 'latencyFailMs', value: 1700 },
    { key: 'cpu-fail-percent', yaml: '91', field: 'cpuFailPercent', value: 91 },
    { key: 'cpu-window', yaml: '7m', field: 'cpuWindowMs', value: 420_000 },
    { key: 'memory-warn-percent', yaml: '71', field: 'memoryWarnPercent', value: 71 },
    { key: 'memory-fail-percent', yaml: '86', field: 'memoryFailPercent', value: 86 },
    { key: 'memory-window', yaml: '4m', field: 'memoryWindowMs', value: 240_000 },
    { key: 'disk-warn-percent', yaml: '81', field: 'diskWarnPercent', value: 81 },
    { key: 'disk-fail-percent', yaml: '93', field: 'diskFailPercent', value: 93 },
    { key: 'db-connections-warn-percent', yaml: '72', field: 'dbConnectionsWarnPercent', value: 72 },
    { key: 'db-connections-fail', yaml: '150', field: 'dbConnectionsFail', value: 150 },
    { key: 'long-query', yaml: '2m', field: 'longQueryMs', value: 120_000 },
    { key: 'tls-warn-days', yaml: '21', field: 'tlsWarnDays', value: 21 },
    { key: 'tls-fail-days', yaml: '5', field: 'tlsFailDays', value: 5 }
  ];
  const issueRows: Array<{ key: string; yaml: string; field: keyof OpsConfig['issues']; value: unknown }> = [
    { key: 'labels', yaml: '[ops, outage]', field: 'labels', value: ['ops', 'outage'] },
    { key: 'failures-to-open', yaml: '3', field: 'failuresToOpen', value: 3 },
    { key: 'successes-to-close', yaml: '4', field: 'successesToClose', value: 4 },
    { key: 'comment-interval', yaml: '2h', field: 'commentIntervalMs', value: 7_200_000 },
    { key: 'maintenance-label', yaml: 'planned', field: 'maintenanceLabel', value: 'planned' },
    { key: 'maintenance-windows', yaml: '[{ start: "2026-12-01T22:00:00Z", end: "2026-12-01T23:00:00Z", reason: upgrade }]', field: 'maintenanceWindows', value: [{ start: '2026-12-01T22:00:00Z', end: '2026-12-01T23:00:00Z', reason: 'upgrade' }] },
    { key: 'assignees', yaml: '[alice]', field: 'assignees', value: ['alice'] }
  ];
  const sshRows: Array<{ key: string; yaml: string; field: keyof OpsConfig['ssh']; value: unknown }> = [
    { key: 'user', yaml: 'ops', field: 'user', value: 'ops' },
    { key: 'connect-timeout', yaml: '7s', field: 'connectTimeoutMs', value: 7000 },
    { key: 'command-timeout', yaml: '3m', field: 'commandTimeoutMs', value: 180_000 },
    { key: 'keepalive-interval', yaml: '15s', field: 'keepaliveIntervalMs', value: 15_000 },
    { key: 'keepalive-count-max', yaml: '5', field: 'keepaliveCountMax', value: 5 },
    { key: 'parallel', yaml: '9', field: 'parallel', value: 9 },
    { key: 'jump-host', yaml: 'bastion@10.0.0.1:2222', field: 'jumpHost', value: 'bastion@10.0.0.1:2222' }
  ];
  const section = (name: string, rows: Array<{ key: string; yaml: string }>): string => `${name}:\n${rows.map((r) => `  ${r.key}: ${r.yaml}`).join('\n')}\n`;
  const all = parseOpsConfig(section('thresholds', thresholdRows) + section('issues', issueRows) + section('ssh', sshRows), 'ops.yml');

  it.each(thresholdRows)('reads thresholds.$key: $yaml into thresholds.$field, with every key set', ({ field, value }) => {
    expect(all.thresholds[field]).toEqual(value);
  });

  it.each(thresholdRows)('reads thresholds.$key: $yaml into thresholds.$field and changes no other field', ({ key, yaml, field, value }) => {
    expect(parseOpsConfig(`thresholds: { ${key}: ${yaml} }`, 'ops.yml').thresholds).toEqual({ ...defaultConfig().thresholds, [field]: value });
  });

  it.each(issueRows)('reads issues.$key into issues.$field, with every key set', ({ field, value }) => {
    expect(all.issues[field]).toEqual(value);
  });

  it.each(issueRows)('reads issues.$key into issues.$field and changes no other field', ({ key, yaml, field, value }) => {
    expect(parseOpsConfig(`issues:\n  ${key}: ${yaml}\n`, 'ops.yml').issues).toEqual({ ...defaultConfig().issues, [field]: value });
  });

  it.each(sshRows)('reads ssh.$key into ssh.$field, with every key set', ({ field, value }) => {
    expect(all.ssh[field]).toEqual(value);
  });

  it.each(sshRows)('reads ssh.$key into ssh.$field and changes no other field', ({ key, yaml, field, value }) => {
    expect(parseOpsConfig(`ssh:\n  ${key}: ${yaml}\n`, 'ops.yml').ssh).toEqual({ ...defaultConfig().ssh, [field]: value });
  });

  it('covers every key the schema declares for these sections', () => {
    const declared = (name: 'thresholds' | 'issues' | 'ssh'): string[] => Object.keys(OPS_CONFIG_SCHEMA.properties[name].properties).sort();
    expect([declared('thresholds'), declared('issues'), declared('ssh')]).toEqual([thresholdRows, issueRows, sshRows].map((rows) => rows.map((r) => r.key).sort()));
  });
});
