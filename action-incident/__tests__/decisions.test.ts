// The decision code of the incident run, table by table: curl-style phases, endpoint verdicts, ps
// output with and without --sort, the daemon log, container faults, the load balancer, fault isolation,
// and the one incident check (and issue body) that names every fault.
import { describe, expect, it } from '@jest/globals';
import { buildIssueBody, type ServiceContainer } from '../../shared/src/index.js';
import { computePhases, formatCurlStyle, type PhaseMarks } from '../src/endpoints/phases.js';
import { judgeEndpoint } from '../src/endpoints/diagnose-endpoints.js';
import { daemonLogScript, parseDaemonLog } from '../src/hosts/daemon-log.js';
import { judgeContainers } from '../src/hosts/diagnose-hosts.js';
import { parsePsOutput, parseRss } from '../src/hosts/processes.js';
import { runFamilies } from '../src/incident/bounded.js';
import { diagnosis, type Fault } from '../src/incident/diagnosis.js';
import { buildIncidentCheck, describeFault, faultsSection, orderFaults } from '../src/incident/incident-check.js';
import { judgeLoadBalancer } from '../src/platform/diagnose-load-balancer.js';
import { serviceContainer as container } from '../../test-support/sample-rows.js';

describe('computePhases: curl -w time_* from socket events', () => {
  it.each<[string, PhaseMarks, boolean, ReturnType<typeof computePhases>]>([
    ['https, every phase', { lookup: 2, connect: 5, secure: 20, firstByte: 60, end: 61 }, true, { dns: 2, connect: 5, tls: 20, firstByte: 60, total: 61 }],
    ['http: TLS is 0 as curl prints it', { lookup: 1, connect: 3, firstByte: 9, end: 10 }, false, { dns: 1, connect: 3, tls: 0, firstByte: 9, total: 10 }],
    ['an IP literal needs no lookup: DNS 0', { connect: 1, firstByte: 4, end: 4 }, false, { dns: 0, connect: 1, tls: 0, firstByte: 4, total: 4 }],
    ['hangs after connecting: stalled in first byte', { connect: 1 }, false, { dns: 0, connect: 1, tls: 0, stalledIn: 'first byte' }],
    ['TLS handshake never completes', { lookup: 1, connect: 2 }, true, { dns: 1, connect: 2, stalledIn: 'tls' }],
    ['name never resolves', {}, true, { stalledIn: 'dns' }],
    ['resolved, never connected', { lookup: 3 }, false, { dns: 3, stalledIn: 'connect' }],
    ['headers, then the body stalls', { connect: 1, firstByte: 3 }, false, { dns: 0, connect: 1, tls: 0, firstByte: 3, stalledIn: 'body' }]
  ])('%s', (_name, marks, https, want) => {
    expect(computePhases(marks, https)).toEqual(want);
  });

  it('formats like the runbook curl-format.txt', () => {
    expect(formatCurlStyle({ dns: 2, connect: 5, tls: 20, firstByte: 60, total: 1061 })).toBe(
      'time_namelookup: 0.002s, time_connect: 0.005s, time_appconnect: 0.020s, time_starttransfer: 0.060s, time_total: 1.061s'
    );
  });
});

describe('judgeEndpoint', () => {
  const target = { name: 'api', url: 'https://api.example/health', method: 'GET', expectStatus: [] as number[] };
  const limits = { latencyWarnMs: 500, latencyFailMs: 2000 };
  const t = (total: number): ReturnType<typeof computePhases> => ({ dns: 1, connect: 2, tls: 3, firstByte: total - 1, total });
  it.each([
    ['answers fast', { statusCode: 200, timings: t(120), timedOut: false }, [], 'ok', '200 in 120 ms'],
    ['slow above warn', { statusCode: 200, timings: t(800), timedOut: false }, [], 'warn', 'degraded: 800 ms (warn above 500 ms)'],
    ['slow above fail', { statusCode: 200, timings: t(2500), timedOut: false }, [], 'fail', 'slow: 2500 ms (limit 2000 ms)'],
    ['a 502', { statusCode: 502, timings: t(10), timedOut: false }, [], 'fail', 'answered 502 in 10 ms'],
    ['a status not expected', { statusCode: 200, timings: t(10), timedOut: false }, [204], 'fail', 'answered 200, expected 204 in 10 ms'],
    ['refused', { timings: { stalledIn: 'connect' as const }, problem: 'connection refused', timedOut: false }, [], 'fail', 'down: connection refused'],
    [
      'hangs',
      { timings: { dns: 0, connect: 1, tls: 0, stalledIn: 'first byte' as const }, problem: 'no complete answer within 3000 ms', timedOut: true },
      [],
      'fail',
      'hangs: no complete answer within 3000 ms, stalled waiting for first byte (connected in 1 ms)'
    ]
  ])('%s', (_name, r, expectStatus, status, message) => {
    expect(judgeEndpoint({ ...target, expectStatus }, r, limits)).toEqual({ status, message });
  });
});

describe('parsePsOutput', () => {
  const procps = ['@@sorted', 'USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND', 'app 7 1.0 9.5 900 500 ? S 10:00 0:01 python big', 'app 1 0.0 1.0 100 50 ? S 10:00 0:00 sh'].join('\n');
  const busybox = ['@@rss', 'PID   USER     RSS  VSZ  COMMAND', '    1 root     1652 2268 /bin/sh /app/entrypoint.sh', '    8 root     12m  30m  python worker', '   9 root     900  2268 nc -ll'].join('\n');
  it('keeps ps aux --sort=-%mem order and the header', () => {
    expect(parsePsOutput(procps, 1)).toEqual({ mode: 'sorted', lines: ['USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND', 'app 7 1.0 9.5 900 500 ? S 10:00 0:01 python big'] });
  });
  it('sorts BusyBox ps -o output by RSS itself and says so', () => {
    const top = parsePsOutput(busybox, 2);
    expect(top.lines).toEqual(['PID   USER     RSS  VSZ  COMMAND', '    8 root     12m  30m  python worker', '    1 root     1652 2268 /bin/sh /app/entrypoint.sh']);
    expect([top.mode, top.note]).toEqual(['rss', "this container's ps (BusyBox) has no --sort: sorted by RSS from `ps -o pid,user,rss,vsz,args`"]);
  });
  it('falls back to plain ps order', () => {
    expect(parsePsOutput('@@plain\nPID USER TIME COMMAND\n1 root 0:00 sh', 5).mode).toBe('plain');
  });
  it.each([
    ['1652', 1652],
    ['12m', 12 * 1024],
    ['1.5g', 1.5 * 1024 * 1024],
    ['?', -1]
  ])('RSS %s is %d KiB', (v, kib) => {
    expect(parseRss(v)).toBe(kib);
  });
});

describe('the Docker daemon log', () => {
  it.each([
    ['@@journal\nDec 01 dockerd[1]: level=info\n', { kind: 'journal', text: 'Dec 01 dockerd[1]: level=info' }],
    ['@@no-systemd\n', { kind: 'no-systemd' }],
    ['', { kind: 'no-systemd' }]
  ])('%j', (out, want) => {
    expect(parseDaemonLog(out)).toEqual(want);
  });
  it('asks journalctl only where systemd runs, with a bounded line count', () => {
    expect(daemonLogScript(9999)).toContain('journalctl -u docker --no-pager -n 500');
    expect(daemonLogScript(5)).toMatch(/^if \[ -d \/run\/systemd\/system \]/);
  });
});

describe('judgeContainers', () => {
  it.each<[string, Partial<ServiceContainer>[], Array<[string, string, string]>]>([
    ['healthy', [{}], []],
    ['stopped', [{ state: 'exited', running: false, exitCode: 137, finishedAt: '2026-12-01T11:00:00Z' }], [['app1: api (p_api_1)', 'fail', 'exited (exit code 137, since 2026-12-01T11:00:00Z)']]],
    ['unhealthy', [{ health: 'unhealthy', healthFailingStreak: 4 }], [['app1: api (p_api_1)', 'fail', 'unhealthy (4 failed health checks in a row)']]],
    ['restarting', [{ state: 'restarting', running: false, restartCount: 7, exitCode: 1 }], [['app1: api (p_api_1)', 'fail', 'restarting (7 restarts, last exit code 1)']]],
    ['starting', [{ health: 'starting' }], [['app1: api (p_api_1)', 'warn', 'health check still starting']]],
    ['no health check is fine', [{ health: null }], []]
  ])('%s', (_n, list, want) => {
    expect(judgeContainers('app1', list.map(container), []).map((f) => [f.target, f.severity, f.message])).toEqual(want);
  });

  it('names configured services missing or short of replicas on a host', () => {
    const faults = judgeContainers('app2', [container({})], [
      { name: 'api', replicas: 2 },
      { name: 'frontend', replicas: 1 },
      { name: 'worker', replicas: 0 }
    ]);
    expect(faults.map((f) => [f.target, f.severity, f.message])).toEqual([
      ['app2: api', 'warn', '1 of 2 configured replicas running'],
      ['app2: frontend', 'fail', 'no container of the configured service (1 expected)']
    ]);
  });
});

describe('judgeLoadBalancer', () => {
  const lb = { id: 'lb-1', name: 'a2a-lb', status: 'active', dropletIds: [1, 2] };
  const droplets = [
    { id: 1, name: 'app-1', status: 'active' },
    { id: 2, name: 'app-2', status: 'active' }
  ] as unknown as Parameters<typeof judgeLoadBalancer>[1];
  it.each([
    ['active with active Droplets', lb, droplets, []],
    ['errored', { ...lb, status: 'errored' }, droplets, ["status is 'errored', not 'active'"]],
    ['empty', { ...lb, dropletIds: [] }, droplets, ['has no Droplets behind it']],
    ['a Droplet off', lb, [droplets[0], { ...droplets[1], status: 'off' }], ["Droplet app-2 (2) behind it is 'off'"]],
    ['a Droplet gone', lb, [droplets[0]], ['Droplet 2 behind it no longer exists']]
  ])('%s', (_n, l, d, want) => {
    expect(judgeLoadBalancer(l, d).map((f) => f.message)).toEqual(want);
  });
});

describe('runFamilies: every diagnostic bounded and fault-isolated', () => {
  it('keeps what the others found when one throws and one hangs', async () => {
    const ok = diagnosis('endpoints');
    ok.faults.push({ family: 'endpoints', target: 'x', severity: 'fail', message: 'down' });
    const started = Date.now();
    let hungSignal: AbortSignal | undefined;
    const out = await runFamilies(
      [
        { family: 'endpoints', run: async () => ok },
        { family: 'database', run: async () => Promise.reject(new Error('boom')) },
        {
          family: 'services',
          run: (signal) => {
            hungSignal = signal;
            return new Promise(() => undefined);
          }
        }
      ],
      300,
      new AbortController().signal
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out.map((d) => [d.family, d.faults.map((f) => `${f.severity}: ${f.message}`)])).toEqual([
      ['endpoints', ['fail: down']],
      ['database', ['warn: the database diagnostic failed: boom']],
      ['services', ['warn: the services diagnostic did not finish within 0 s (diagnostic-timeout); what it found is not shown']]
    ]);
    expect(hungSignal?.aborted).toBe(true);
  });
});

describe('the one incident check and its issue', () => {
  const faults: Fault[] = [
    { family: 'error patterns', target: 'api', severity: 'warn', message: 'new error pattern' },
    { family: 'endpoints', target: 'http://127.0.0.1:9/hang', severity: 'fail', message: 'hangs: no complete answer within 3000 ms' },
    { family: 'services', target: 'app2: agent (x_1)', severity: 'fail', message: 'exited (exit code 0)' },
    { family: 'database', target: 'a2a_user@db:5432/a2a_world', severity: 'fail', message: '1 query has run longer than 2 s (longest: pid 42, 9 s)' }
  ];

  it('orders failing faults first, keeping the families order', () => {
    expect(orderFaults(faults).map((f) => f.family)).toEqual(['endpoints', 'services', 'database', 'error patterns']);
  });

  it.each([
    [[], 'ok', 0, 'no fault found by endpoints, services'],
    [[faults[0]], 'warn', 1, '1 fault: error patterns · api: new error pattern'],
    [faults, 'fail', 4, undefined]
  ] as const)('%# status and message', (list, status, value, message) => {
    const check = buildIncidentCheck('a2a-world', list, ['endpoints', 'services']);
    expect([check.id, check.status, check.value]).toEqual(['faults', status, value]);
    if (message) expect(check.message).toBe(message);
  });

  it('names every fault in the issue body, scrubbed and fenced', () => {
    const check = buildIncidentCheck('a2a-world', faults, ['endpoints', 'services', 'database', 'error patterns']);
    const body = buildIssueBody(check, {
      key: 'incident:faults',
      action: 'incident',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      now: new Date('2026-12-01T12:00:00Z'),
      consecutiveFailures: 1,
      failuresToOpen: 1,
      successesToClose: 1,
      commentIntervalMs: 0
    });
    expect(body.split('\n')[0]).toBe('<!-- a2a-ops:key=incident:faults -->');
    for (const f of faults) expect(body).toContain(`[${f.severity}] ${f.family} · ${f.target}: ${f.message}`);
    expect(body).toContain('**Message:** 4 faults: endpoints · http://127.0.0.1:9/hang: hangs');
  });

  it('cuts the message after 12 faults and says how many more the details list', () => {
    const many = Array.from({ length: 15 }, (_, i): Fault => ({ family: 'services', target: `h${i}`, severity: 'fail', message: 'exited' }));
    const check = buildIncidentCheck('p', many, ['services']);
    expect(check.message).toMatch(/; and 3 more \(see details\)$/);
    expect(check.details?.split('\n').filter((l) => l.startsWith('[fail]'))).toHaveLength(15);
  });

  it('keeps remote text that tries to start a workflow command on the fault line', () => {
    const f: Fault = { family: 'services', target: 'app1', severity: 'fail', message: 'boom\n::add-mask::x\r\n::stop-commands::t' };
    expect(describeFault(f)).toBe('services · app1: boom ::add-mask::x ::stop-commands::t');
    expect(buildIncidentCheck('p', [f], ['services']).message.split('\n')).toHaveLength(1);
  });

  it('puts every fault in the summary table, cells escaped', () => {
    const s = faultsSection([{ family: 'services', target: 'a|b', severity: 'fail', message: '<img> @team' }]);
    expect(s.markdown).toContain('| ❌ | services | a\\|b | &lt;img&gt; @\u200Dteam |');
  });
});
