// action-deploy's rollout and rollback against the lab's two hosts (real sshd, one dockerd, compose v1,
// nginx in front of every api replica), run as the committed bundle: a good release under load, a
// broken one, a public health URL that hangs, and rollbacks (to an absent image, and from the audit log).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readLabPart } from '../../test-support/lab.js';
import {
  apiImage,
  closeDeployLab,
  loadFigures,
  openDeployLab,
  readHostState,
  recordFigures,
  resetLabApi,
  runDeploy,
  summarize,
  underLoad,
  type DeployLab,
  type HostState
} from '../../test-support/deploy-lab.js';

let lab: DeployLab;

beforeAll(async () => {
  lab = openDeployLab();
  await resetLabApi(lab);
});
afterEach(async () => {
  await resetLabApi(lab);
});
afterAll(async () => {
  try {
    await resetLabApi(lab, { names: true });
  } finally {
    closeDeployLab(lab);
  }
});

/** Each host's state, keyed by host name. */
async function states(): Promise<Record<string, HostState>> {
  return Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await readHostState(h)] as const)));
}

/** What a host runs, as a test compares it: VERSION, healthy replicas and their image, anything else, the lock. */
function onVersion(version: string): ReturnType<typeof summarize> {
  return { version, healthy: 2, images: [apiImage(lab, version)], others: [], locked: false };
}

const ids = (s: HostState): string[] => s.api.map((c) => c.id).sort();
const check = (run: { report?: { checks: Array<{ id: string }> } }, id: string): Record<string, unknown> | undefined =>
  run.report?.checks.find((c) => c.id === id) as Record<string, unknown> | undefined;

describe('rollout', () => {
  it('rolls api v1 → v2 on both hosts while 8 clients load the balancer, and not one request fails', async () => {
    const before = await states();
    const { result: run, load } = await underLoad(lab, () => runDeploy(lab, { operation: 'rollout', version: 'v2' }));
    recordFigures('rollout v1 → v2 under load', { ms: run.ms, ...loadFigures(load), checks: run.report?.checks.map((c) => c.message) });

    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(run.outputs).toMatchObject({ status: 'ok', 'previous-version': 'v1', 'deployed-version': 'v2' });
    for (const h of lab.hosts) {
      expect(check(run, `deploy:${h.name}`)).toMatchObject({
        status: 'ok',
        value: 'v2',
        message: expect.stringMatching(/^api v1 → v2: 2 new replica\(s\) healthy \(docker health\), 2 old removed, in \d+\.\d s$/)
      });
      expect(run.summary).toContain(`| ✅ | ${h.name} | v2 |`);
    }
    expect(run.summary).toContain('## ✅ Rolling deploy: OK');

    expect(load).toMatchObject({ non2xx: 0, errors: 0 });
    expect(Object.keys(load.versions).sort()).toEqual(['v1', 'v2']);
    expect(load.total).toBeGreaterThan(1000);

    const after = await states();
    for (const h of lab.hosts) {
      expect([h.name, summarize(after[h.name])]).toEqual([h.name, onVersion('v2')]);
      // New containers, none of the old ones kept.
      expect(ids(after[h.name]).filter((id) => ids(before[h.name]).includes(id))).toEqual([]);
      expect(after[h.name].audit.slice(before[h.name].audit.length)).toEqual([
        expect.objectContaining({ operation: 'rollout', service: 'api', from: 'v1', to: 'v2', result: 'success' })
      ]);
    }
  });

  it('refuses the broken v3 on the first host: its unhealthy container is named with its health-check log, the old replicas never stop, the second host is not started', async () => {
    const before = await states();
    // Two probes: the app's own path, and /health, where v3 answers 500 by design.
    const { result: health, load: app } = await underLoad(
      lab,
      () => underLoad(lab, () => runDeploy(lab, { operation: 'rollout', version: 'v3' }), { path: '/health', clients: 4 }),
      { path: '/api', clients: 4 }
    );
    const run = health.result;
    recordFigures('rollout to broken v3', { ms: run.ms, api: loadFigures(app), health: loadFigures(health.load) });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'fail', 'previous-version': 'v1', 'deployed-version': 'v1' });
    const failed = check(run, 'deploy:app1');
    expect(failed).toMatchObject({
      status: 'fail',
      value: 'v1',
      message: expect.stringMatching(/^app1: the new container a2a-app1_api_\d+ failed its health check \d+ time\(s\) in a row; api stays on v1$/)
    });
    const container = /(a2a-app1_api_\d+)/.exec(String(failed?.message))?.[1];
    expect(failed?.details).toEqual(expect.stringContaining(`Health checks of ${container}:\n`));
    expect(failed?.details).toEqual(expect.stringContaining('exit 1: wget: server returned error: HTTP/1.0 500 Internal Server Error'));
    expect(failed?.details).toEqual(expect.stringContaining(`Last log lines of ${container}:\napi v3 (health=broken) listening on :80`));
    expect(check(run, 'deploy:app2')).toMatchObject({ status: 'warn', message: 'not started: app1 (10.213.47.11:22) failed; still on v1' });
    expect(run.summary).toContain('## ❌ Rolling deploy: Failing');

    // The application path never failed. On /health the lab's nginx (passive health only) also sent
    // requests to the v3 containers while they ran: every non-2xx there is v3's own 500, none an old
    // replica's, and no request went unanswered.
    expect(app).toMatchObject({ non2xx: 0, errors: 0 });
    expect(health.load).toMatchObject({ errors: 0, non2xx: health.load.versions.v3 ?? 0 });
    expect(Object.keys(health.load.statuses).filter((s) => s !== '200' && s !== '500')).toEqual([]);

    const after = await states();
    for (const h of lab.hosts) {
      expect([h.name, summarize(after[h.name])]).toEqual([h.name, onVersion('v1')]);
      // The very same containers: nothing old was stopped, nothing new left behind.
      expect([h.name, ids(after[h.name])]).toEqual([h.name, ids(before[h.name])]);
    }
    expect(after.app1.audit.slice(before.app1.audit.length)).toEqual([expect.objectContaining({ operation: 'rollout', from: 'v1', to: 'v3', result: 'failure' })]);
    expect(after.app2.audit).toHaveLength(before.app2.audit.length);
  });

  it('rolls the first host back to v1 and fails naming the URL when the public health URL hangs past its deadline', async () => {
    const web = readLabPart<{ url: string; routes: { hanging: string } }>('http');
    const hanging = `${web.url}${web.routes.hanging}`;
    const before = await states();
    const { result: run, load } = await underLoad(lab, () => runDeploy(lab, { operation: 'rollout', version: 'v2', 'health-url': hanging }), { clients: 4 });
    recordFigures('rollout with a hanging public health URL', { ms: run.ms, ...loadFigures(load) });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'fail', 'previous-version': 'v1', 'deployed-version': 'v1' });
    expect(check(run, 'deploy:app1')).toMatchObject({
      status: 'fail',
      message: `app1: ${hanging} no answer within 5000 ms after the rollout; rolled back to v1; api stays on v1`
    });
    expect(check(run, 'deploy:app2')).toMatchObject({ status: 'warn', message: 'not started: app1 (10.213.47.11:22) failed; still on v1' });
    // v2 went live on app1 and served until the rollback; the balancer never failed a request.
    expect(load).toMatchObject({ non2xx: 0, errors: 0 });
    expect(Object.keys(load.versions).sort()).toEqual(['v1', 'v2']);

    const after = await states();
    expect(summarize(after.app1)).toEqual(onVersion('v1'));
    // Rolled back the same rolling way: fresh v1 containers, not the old ones.
    expect(ids(after.app1).filter((id) => ids(before.app1).includes(id))).toEqual([]);
    expect(summarize(after.app2)).toEqual(onVersion('v1'));
    expect(ids(after.app2)).toEqual(ids(before.app2));
    expect(after.app1.audit.slice(before.app1.audit.length)).toEqual([
      expect.objectContaining({ operation: 'rollout', from: 'v1', to: 'v2', result: 'rolled-back', message: `${hanging} no answer within 5000 ms after the rollout; rolled back to v1` })
    ]);
    // Three 5 s attempts within the 15 s deadline, then the rollback: bounded.
    expect(run.ms).toBeLessThan(60_000);
  });
});

describe('rollback', () => {
  it('refuses a rollback to an image no host has before anything is stopped or written', async () => {
    const before = await states();
    const run = await runDeploy(lab, { operation: 'rollback', version: 'v9' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('fail');
    expect(check(run, 'run')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        new RegExp(`^The run stopped: app[12] \\(10\\.213\\.47\\.1[12]:22\\): cannot use ${apiImage(lab, 'v9').replace(/\./g, '\\.')}: it is not on the host \\(a rollback never pulls: it goes back to what the host ran\\)\\. Nothing was changed\\.$`)
      )
    });
    const after = await states();
    for (const h of lab.hosts) {
      expect([h.name, summarize(after[h.name]), ids(after[h.name]), after[h.name].audit.length]).toEqual([h.name, onVersion('v1'), ids(before[h.name]), before[h.name].audit.length]);
    }
  });

  it('goes back, without a version named, to the version the audit log recorded before the last rollout', async () => {
    const rolled = await runDeploy(lab, { operation: 'rollout', version: 'v2', hosts: 'app1' });
    expect([rolled.exitCode, rolled.outputs['deployed-version']]).toEqual([0, 'v2']);
    expect(summarize(await readHostState(lab.hosts[0]))).toEqual(onVersion('v2'));

    const run = await runDeploy(lab, { operation: 'rollback', hosts: 'app1' });
    recordFigures('rollback from the audit log (app1)', { rolloutMs: rolled.ms, rollbackMs: run.ms });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'ok', 'previous-version': 'v2', 'deployed-version': 'v1' });
    expect(check(run, 'deploy:app1')).toMatchObject({ status: 'ok', value: 'v1', message: expect.stringMatching(/^api v2 → v1: 2 new replica\(s\) healthy/) });
    const app1 = await readHostState(lab.hosts[0]);
    expect(summarize(app1)).toEqual(onVersion('v1'));
    expect(app1.audit.slice(-2)).toEqual([
      expect.objectContaining({ operation: 'rollout', from: 'v1', to: 'v2', result: 'success' }),
      expect.objectContaining({ operation: 'rollback', from: 'v2', to: 'v1', result: 'success' })
    ]);
  });
});
