// The ops-config loader word for word (issue 14, mutation testing): which path it reads, the exact
// error sentences (missing file, YAML, schema, duplicates, threshold order, maintenance windows), the
// schema error list's cap and wording, and every mapped field of hosts, compose, endpoints and database.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../src/errors.js';
import { defaultConfig } from '../src/config/defaults.js';
import { loadOpsConfig, parseOpsConfig } from '../src/config/load-config.js';

const SEE = 'See shared/schema/ops-config.schema.json for every key.';
const fail = (yaml: string): (() => unknown) => () => parseOpsConfig(yaml, 'ops.yml');

describe('loadOpsConfig: which file', () => {
  const saved = process.env.GITHUB_WORKSPACE;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
    else process.env.GITHUB_WORKSPACE = saved;
  });
  const repo = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-mut-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  it('reads a named relative path against the workspace, naming the file as given', () => {
    const dir = repo({ 'ops/prod.yml': 'platform: prod\n' });
    expect(loadOpsConfig('ops/prod.yml', dir)).toMatchObject({ source: 'ops/prod.yml', platform: 'prod' });
  });

  it('reads a named absolute path as it is', () => {
    const dir = repo({ 'abs.yml': 'platform: abs\n' });
    expect(loadOpsConfig(join(dir, 'abs.yml'), '/nonexistent-workspace')).toMatchObject({ source: join(dir, 'abs.yml'), platform: 'abs' });
  });

  it('takes GITHUB_WORKSPACE as the root when no cwd is passed', () => {
    process.env.GITHUB_WORKSPACE = repo({ '.github/ops.yml': 'platform: from-workspace\n' });
    expect(loadOpsConfig(undefined)).toMatchObject({ source: '.github/ops.yml', platform: 'from-workspace' });
  });

  it('says a named file is missing, and how to fix it', () => {
    const dir = repo({});
    expect(() => loadOpsConfig('ops/missing.yml', dir)).toThrow(
      new ConfigurationError("Input 'config': no file at 'ops/missing.yml'. Check the path (relative to the repository root) or remove the input to use the defaults.")
    );
  });

  it('uses the defaults when the default file is absent', () => {
    expect(loadOpsConfig(undefined, repo({}))).toEqual(defaultConfig());
  });
});

describe('parseOpsConfig errors, word for word', () => {
  it.each([
    { name: 'an unclosed flow sequence (first line of the YAML error only)', yaml: 'hosts: [', message: "Config 'ops.yml' is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 9:" },
    { name: 'a list at the top', yaml: '[1, 2]', message: `Config 'ops.yml' is invalid: (top level) must be object. ${SEE}` },
    { name: 'a wrong type', yaml: 'platform: 5', message: `Config 'ops.yml' is invalid: platform must be string. ${SEE}` },
    { name: 'a missing required key', yaml: 'hosts: [{ name: a }]', message: `Config 'ops.yml' is invalid: hosts.0 must have required property 'address'. ${SEE}` },
    { name: 'a value outside an enum', yaml: 'compose: { command: podman }', message: `Config 'ops.yml' is invalid: compose.command must be one of 'docker compose', 'docker-compose', 'auto'. ${SEE}` },
    {
      name: 'six unknown keys (only the first five are listed)',
      yaml: 'hostz: 1\nfoo: 2\nbar: 3\nbaz: 4\nqux: 5\nquux: 6\n',
      message: `Config 'ops.yml' is invalid: (top level): unknown key 'hostz'; (top level): unknown key 'foo'; (top level): unknown key 'bar'; (top level): unknown key 'baz'; (top level): unknown key 'qux'. ${SEE}`
    },
    { name: 'a duplicate host', yaml: 'hosts: [{ name: a, address: b }, { name: a, address: c }]', message: "Config 'ops.yml' hosts: the name 'a' is used twice; host names must be unique." },
    { name: 'a bad maintenance end', yaml: 'issues: { maintenance-windows: [{ start: "2026-12-01T22:00:00Z", end: "2026-12-01T23:00:00Z" }, { start: "2026-12-02T22:00:00Z", end: later }] }', message: "Config 'ops.yml' key issues.maintenance-windows[1].end must be an ISO date-time such as 2026-12-01T22:00:00Z." },
    { name: 'a latency warn above fail', yaml: 'thresholds: { latency-warn: 2001ms }', message: "Config 'ops.yml': thresholds.latency-warn (2001 ms) must not exceed thresholds.latency-fail (2000 ms)." },
    { name: 'a memory warn above fail', yaml: 'thresholds: { memory-warn-percent: 86 }', message: "Config 'ops.yml': thresholds.memory-warn-percent (86) must not exceed thresholds.memory-fail-percent (85)." },
    { name: 'a disk warn above fail', yaml: 'thresholds: { disk-warn-percent: 91 }', message: "Config 'ops.yml': thresholds.disk-warn-percent (91) must not exceed thresholds.disk-fail-percent (90)." },
    { name: 'a TLS fail above warn', yaml: 'thresholds: { tls-fail-days: 31 }', message: "Config 'ops.yml': thresholds.tls-fail-days must not exceed thresholds.tls-warn-days." }
  ])('rejects $name', ({ yaml, message }) => {
    expect(fail(yaml)).toThrow(new ConfigurationError(message));
  });

  it.each([
    { name: 'latency warn equal to fail', yaml: 'thresholds: { latency-warn: 2s }' },
    { name: 'memory warn equal to fail', yaml: 'thresholds: { memory-warn-percent: 85 }' },
    { name: 'disk warn equal to fail', yaml: 'thresholds: { disk-warn-percent: 90 }' },
    { name: 'TLS fail equal to warn', yaml: 'thresholds: { tls-fail-days: 30 }' }
  ])('accepts $name', ({ yaml }) => {
    expect(fail(yaml)).not.toThrow();
  });

  it.each(['', '# only a comment\n', '~'])('gives the defaults for an empty document %p', (yaml) => {
    expect(parseOpsConfig(yaml, 'ops.yml')).toEqual({ ...defaultConfig(), source: 'ops.yml' });
  });
});

describe('parseOpsConfig mapping', () => {
  it('maps every key of a host and its compose block, and leaves compose out when absent', () => {
    const c = parseOpsConfig(
      'ssh: { user: ops }\nhosts:\n  - { name: a, address: b, compose: { project-dir: /x, file: f.yml, env-file: .e, project-name: p } }\n  - { name: c, address: d, compose: {} }\n  - { name: e, address: f }\n',
      'ops.yml'
    );
    expect(c.hosts).toEqual([
      { name: 'a', address: 'b', port: 22, user: 'ops', roles: ['app'], compose: { projectDir: '/x', file: 'f.yml', envFile: '.e', projectName: 'p' } },
      { name: 'c', address: 'd', port: 22, user: 'ops', roles: ['app'], compose: {} },
      { name: 'e', address: 'f', port: 22, user: 'ops', roles: ['app'] }
    ]);
    expect(Object.keys(c.hosts[2])).not.toContain('compose');
    // Keys the YAML leaves out are left out, not set to undefined.
    expect(c.hosts[1].compose).toStrictEqual({});
    expect(parseOpsConfig('hosts: [{ name: a, address: b, compose: { file: f.yml } }]', 'ops.yml').hosts[0].compose).toStrictEqual({ file: 'f.yml' });
    expect(parseOpsConfig('hosts: [{ name: a, address: b, compose: { project-name: p } }]', 'ops.yml').hosts[0].compose).toStrictEqual({ projectName: 'p' });
  });

  it('maps every key of an endpoint, with its defaults', () => {
    const c = parseOpsConfig(
      'endpoints:\n  - { url: "https://a.example/health", expect-status: 204 }\n  - { name: b, url: "http://b.example/", method: HEAD, expect-status: [200, 301], expect-body: ok, expect-headers: { x-up: "1" }, headers: { authorization: t }, tls: false }\n',
      'ops.yml'
    );
    expect(c.endpoints).toEqual([
      { name: 'https://a.example/health', url: 'https://a.example/health', method: 'GET', expectStatus: [204], expectBody: undefined, expectHeaders: {}, headers: {}, tls: true },
      { name: 'b', url: 'http://b.example/', method: 'HEAD', expectStatus: [200, 301], expectBody: 'ok', expectHeaders: { 'x-up': '1' }, headers: { authorization: 't' }, tls: false }
    ]);
  });

  it('gives an endpoint without expect-status 200 only', () => {
    expect(parseOpsConfig('endpoints: [{ url: "https://a.example/" }]', 'ops.yml').endpoints[0].expectStatus).toEqual([200]);
  });

  it('maps compose, database and platform, each key into its own field', () => {
    const c = parseOpsConfig(
      'platform: staging\ncompose: { project-dir: /srv, file: c.yml, env-file: .env.s, command: "docker compose", project-name: stg }\ndatabase: { service: db, name: appdb, user: app, url-env: DATABASE_URL }\n',
      'ops.yml'
    );
    expect([c.platform, c.compose, c.database]).toEqual([
      'staging',
      { projectDir: '/srv', file: 'c.yml', envFile: '.env.s', command: 'docker compose', projectName: 'stg' },
      { service: 'db', name: 'appdb', user: 'app', urlEnv: 'DATABASE_URL' }
    ]);
  });

  it('keeps a maintenance window without a reason, reason undefined', () => {
    const c = parseOpsConfig('issues: { maintenance-windows: [{ start: "2026-12-01T22:00:00Z", end: "2026-12-01T23:00:00Z" }] }', 'ops.yml');
    expect(c.issues.maintenanceWindows).toEqual([{ start: '2026-12-01T22:00:00Z', end: '2026-12-01T23:00:00Z', reason: undefined }]);
  });

  it('refuses a service declared as null (the schema wants a mapping), so the loader never sees one', () => {
    expect(fail('services:\n  worker:\n')).toThrow(/services\.worker must be object/);
  });
});
