// action-deploy's service operations against the lab's two hosts, run as the committed bundle: restart
// and scale under load through the lab's nginx (no request may fail), and the read-only status and logs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
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

async function states(): Promise<Record<string, HostState>> {
  return Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await readHostState(h)] as const)));
}
const ids = (s: HostState): string[] => s.api.map((c) => c.id).sort();
const check = (run: { report?: { checks: Array<{ id: string }> } }, id: string): Record<string, unknown> | undefined =>
  run.report?.checks.find((c) => c.id === id) as Record<string, unknown> | undefined;
const onV1 = (healthy: number): ReturnType<typeof summarize> => ({ version: 'v1', healthy, images: [apiImage(lab, 'v1')], others: [], locked: false });

describe('restart and scale', () => {
  it('restarts api replica by replica on both hosts under load: every container is new and not one request fails', async () => {
    const before = await states();
    const { result: run, load } = await underLoad(lab, () => runDeploy(lab, { operation: 'restart' }), { clients: 4 });
    recordFigures('restart under load', { ms: run.ms, ...loadFigures(load), checks: run.report?.checks.map((c) => c.message) });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('ok');
    const after = await states();
    for (const h of lab.hosts) {
      expect(check(run, `restart:${h.name}`)).toMatchObject({
        status: 'ok',
        value: 2,
        message: expect.stringMatching(/^api: 2 replica\(s\) replaced one at a time \(docker health\) in \d+\.\d s$/)
      });
      expect([h.name, summarize(after[h.name])]).toEqual([h.name, onV1(2)]);
      expect([h.name, ids(after[h.name]).filter((id) => ids(before[h.name]).includes(id))]).toEqual([h.name, []]);
      expect(after[h.name].audit.slice(before[h.name].audit.length)).toEqual([expect.objectContaining({ operation: 'restart', service: 'api', result: 'success' })]);
    }
    expect(load).toMatchObject({ non2xx: 0, errors: 0 });
    expect(load.total).toBeGreaterThan(1000);
  });

  it('scales api to 3 and back to 2 on both hosts under load, keeping the running replicas and stopping only the newest', async () => {
    const before = await states();
    const steps = [
      { replicas: 3, message: /^api: 2 → 3 replicas \(new ones healthy\)$/ },
      { replicas: 2, message: /^api: 3 → 2 replicas \(stopped a2a-app[12]_api_\d+\)$/ }
    ];
    const { result: runs, load } = await underLoad(lab, async () => {
      const out = [];
      for (const step of steps) {
        const run = await runDeploy(lab, { operation: 'scale', replicas: String(step.replicas) });
        out.push({ step, run, state: await states() });
      }
      return out;
    }, { clients: 4 });
    recordFigures('scale 2 → 3 → 2 under load', { ms: runs.map((r) => r.run.ms), ...loadFigures(load) });

    for (const { step, run, state } of runs) {
      expect([step.replicas, run.exitCode, run.outputs.status]).toEqual([step.replicas, 0, 'ok']);
      for (const h of lab.hosts) {
        expect(check(run, `scale:${h.name}`)).toMatchObject({ status: 'ok', value: step.replicas, message: expect.stringMatching(step.message) });
        expect([h.name, step.replicas, summarize(state[h.name])]).toEqual([h.name, step.replicas, onV1(step.replicas)]);
        // The replicas that ran before are never touched: scaling adds beside them and removes what it added.
        expect(ids(state[h.name]).filter((id) => ids(before[h.name]).includes(id))).toEqual(ids(before[h.name]));
      }
    }
    const [up] = runs;
    for (const h of lab.hosts) {
      const added = ids(up.state[h.name]).filter((id) => !ids(before[h.name]).includes(id));
      expect(added).toHaveLength(1);
      expect(ids(runs[1].state[h.name])).toEqual(ids(before[h.name]));
    }
    expect(load).toMatchObject({ non2xx: 0, errors: 0 });
  });
});

describe('status and logs', () => {
  it('shows every api container of both hosts in the Containers table of the summary, and changes nothing', async () => {
    const before = await states();
    const run = await runDeploy(lab, { operation: 'status' });

    expect([run.exitCode, run.outputs.status]).toEqual([0, 'ok']);
    expect(run.summary).toContain('### Containers');
    expect(run.summary).toContain('| Host | Service | Container | Image | State | Up | Restarts |');
    for (const h of lab.hosts) {
      expect(check(run, `status:${h.name}:api`)).toMatchObject({ status: 'ok', value: 2, threshold: '2 configured', message: `2 running; ${apiImage(lab, 'v1')}` });
      for (const c of before[h.name].api) {
        expect(run.summary).toMatch(new RegExp(`\\| ${h.name} \\| api \\| ${c.name} \\| ${apiImage(lab, 'v1').replace(/\./g, '\\.')} \\| running \\(healthy\\) \\| \\d+ (s|min|h) \\| 0 \\|`));
      }
    }
    const after = await states();
    for (const h of lab.hosts) expect([h.name, ids(after[h.name]), after[h.name].audit.length]).toEqual([h.name, ids(before[h.name]), before[h.name].audit.length]);
  });

  it('puts the last log lines of every api container of both hosts into the summary', async () => {
    const before = await states();
    const run = await runDeploy(lab, { operation: 'logs', 'log-lines': '5' });

    expect([run.exitCode, run.outputs.status]).toEqual([0, 'ok']);
    for (const h of lab.hosts) {
      expect(check(run, `logs:${h.name}`)).toMatchObject({ status: 'ok', value: 2, message: 'last 5 log lines of 2 container(s)' });
      for (const c of before[h.name].api) {
        const at = run.summary.indexOf(`### ${h.name}: ${c.name} (last 5 lines)`);
        expect([c.name, at >= 0]).toEqual([c.name, true]);
        const section = run.summary.slice(at, run.summary.indexOf('</details>', at));
        expect(section).toContain(`<summary>${apiImage(lab, 'v1')}, running</summary>`);
        expect(section).toContain('api v1 (health=ok) listening on :80');
      }
    }
  });
});
