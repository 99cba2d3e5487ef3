// action-deploy's deploy lock and its behaviour when a run is cut off, against the lab's two hosts, run
// as the committed bundle: two deploys at once, a lock held by someone else (and broken on purpose),
// sshd sessions killed mid-rollout, a run cancelled (SIGTERM) while new containers start, and one killed
// outright (SIGKILL), whose locks its post step releases.
// A local-only api image that answers only 8 s after it starts gives the "new containers starting" window.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { killSshSessions, pidsWithMarker } from '../../test-support/lab-faults.js';
import { listProjectContainers, runOnLabHost, shellQuote } from '../../test-support/lab-platform.js';
import {
  apiImage,
  buildSlowApiImage,
  closeDeployLab,
  composeUpMarker,
  openDeployLab,
  pendingPostCleanups,
  readHostState,
  recordFigures,
  removeImage,
  resetLabApi,
  runDeploy,
  startDeploy,
  summarize,
  waitFor,
  type DeployLab,
  type DeployLabHost,
  type HostState
} from '../../test-support/deploy-lab.js';

const SLOW = 'v2-slow';
let lab: DeployLab;
let slowImage: string;

beforeAll(async () => {
  lab = openDeployLab();
  await resetLabApi(lab);
  slowImage = await buildSlowApiImage(lab, SLOW, apiImage(lab, 'v2'), 8);
});
afterEach(async () => {
  await resetLabApi(lab);
});
afterAll(async () => {
  try {
    await resetLabApi(lab, { names: true });
    await removeImage(slowImage);
  } finally {
    closeDeployLab(lab);
  }
});

async function states(): Promise<Record<string, HostState>> {
  return Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await readHostState(h)] as const)));
}
const ids = (s: HostState): string[] => s.api.map((c) => c.id).sort();
const isLocked = (h: DeployLabHost): boolean => existsSync(h.lockDir);
const check = (run: { report?: { checks: Array<{ id: string }> } }, id: string): Record<string, unknown> | undefined =>
  run.report?.checks.find((c) => c.id === id) as Record<string, unknown> | undefined;
/** Every host exactly as before: VERSION, the same api containers, no lock. */
async function unchangedSince(before: Record<string, HostState>): Promise<void> {
  const after = await states();
  for (const h of lab.hosts) {
    expect([h.name, summarize(after[h.name]), ids(after[h.name])]).toEqual([
      h.name,
      { version: 'v1', healthy: 2, images: [apiImage(lab, 'v1')], others: [], locked: false },
      ids(before[h.name])
    ]);
  }
}

/** Resolves once compose on `host` has created a container of the slow image and its `up` has returned. */
async function newContainersStarting(host: DeployLabHost): Promise<void> {
  const created = await waitFor(() => listProjectContainers(host.compose.projectName), (cs) => cs.some((c) => c.image === slowImage), 30_000, 100);
  expect(created.some((c) => c.image === slowImage)).toBe(true);
  expect(await waitFor(async () => pidsWithMarker(composeUpMarker(host)), (p) => p.length === 0, 10_000, 50)).toEqual([]);
}

describe('the deploy lock', () => {
  it('lets exactly one of two deploys started at once proceed; the other fails fast naming the holder, and no lock is left', async () => {
    const before = await states();
    const runs = ['run-a', 'run-b'].map((actor) => startDeploy(lab, { operation: 'rollout', version: 'v2' }, { env: { GITHUB_ACTOR: actor } }));
    const [a, b] = await Promise.all(runs.map((r) => r.exited));
    recordFigures('two deploys at once', { ms: [a.ms, b.ms], exit: [a.exitCode, b.exitCode] });

    expect([a.exitCode, b.exitCode].sort()).toEqual([0, 1]);
    const [winner, loser] = a.exitCode === 0 ? [a, b] : [b, a];
    const winnerActor = winner === a ? 'run-a' : 'run-b';
    expect(check(loser, 'run')?.message).toMatch(
      new RegExp(
        `^The run stopped: app1 \\(10\\.213\\.47\\.11:22\\): ${lab.hosts[0].lockDir.replace(/\./g, '\\.')} is locked by ${winnerActor} \\(local run\\) since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z for 'rollout api v2'; wait for that run to finish, or, if it is gone, re-run with break-lock: true$`
      )
    );
    // Fast: it stopped at the lock while the winner was still rolling the first host.
    expect(loser.ms).toBeLessThan(5000);
    expect(loser.ms).toBeLessThan(winner.ms);
    expect(winner.outputs).toMatchObject({ status: 'ok', 'previous-version': 'v1', 'deployed-version': 'v2' });

    const after = await states();
    for (const h of lab.hosts) {
      expect([h.name, summarize(after[h.name])]).toEqual([h.name, { version: 'v2', healthy: 2, images: [apiImage(lab, 'v2')], others: [], locked: false }]);
      // One rollout's audit line per host: the loser changed nothing anywhere.
      expect(after[h.name].audit.slice(before[h.name].audit.length)).toEqual([expect.objectContaining({ operation: 'rollout', to: 'v2', result: 'success' })]);
    }
  });

  it('fails a deploy naming the holder of a lock held on the second host, leaves that lock alone, and with break-lock takes it and logs whom it broke', async () => {
    const app2 = lab.hosts[1];
    const holder = { id: 'held-by-hand', actor: 'alice', runUrl: 'https://github.com/a2a-world/a2a-ops/actions/runs/42', purpose: 'rollout api v7', acquiredAt: '2026-11-30T08:00:00.000Z' };
    const held = await runOnLabHost(app2.compose, `mkdir -p .a2a-ops/deploy.lock && printf '%s\\n' ${shellQuote(JSON.stringify(holder))} > .a2a-ops/deploy.lock/holder.json`);
    expect(held.code).toBe(0);
    try {
      const before = await states();
      const refused = await runDeploy(lab, { operation: 'rollout', version: 'v2' });

      expect(refused.exitCode).toBe(1);
      expect(check(refused, 'run')?.message).toBe(
        `The run stopped: app2 (10.213.47.12:22): ${app2.lockDir} is locked by alice (https://github.com/a2a-world/a2a-ops/actions/runs/42) since 2026-11-30T08:00:00.000Z for 'rollout api v7'; ` +
          'wait for that run to finish, or, if it is gone, re-run with break-lock: true'
      );
      // app1's lock, taken first, was released; alice's is untouched; nothing changed.
      expect(readFileSync(`${app2.lockDir}/holder.json`, 'utf8')).toBe(`${JSON.stringify(holder)}\n`);
      const afterRefusal = await states();
      expect(afterRefusal.app1.locked).toBe(false);
      for (const h of lab.hosts) expect([h.name, ids(afterRefusal[h.name]), afterRefusal[h.name].version, afterRefusal[h.name].audit.length]).toEqual([h.name, ids(before[h.name]), 'v1', before[h.name].audit.length]);

      const broke = await runDeploy(lab, { operation: 'scale', replicas: '2', 'break-lock': 'true' });

      expect([broke.exitCode, broke.outputs.status]).toEqual([0, 'ok']);
      expect(broke.stdout).toContain(
        "::warning::app2 (10.213.47.12:22): broke the deploy lock held by alice (https://github.com/a2a-world/a2a-ops/actions/runs/42, since 2026-11-30T08:00:00.000Z, for 'rollout api v7'), as break-lock asked."
      );
      const after = await states();
      for (const h of lab.hosts) {
        expect([h.name, after[h.name].locked]).toEqual([h.name, false]);
        expect(after[h.name].audit.slice(before[h.name].audit.length)).toEqual([expect.objectContaining({ operation: 'scale', service: 'api', result: 'success', message: 'api: already 2 replicas' })]);
      }
    } finally {
      rmSync(app2.lockDir, { recursive: true, force: true });
    }
  });
});

describe('a rollout cut off half-way', () => {
  it.each([
    ['as compose starts the new containers', (host: DeployLabHost) => waitFor(async () => pidsWithMarker(composeUpMarker(host)), (p) => p.length > 0, 30_000, 20)],
    ['while it waits for the new containers to be healthy', newContainersStarting]
  ])(
    'fails, removes the new containers and puts the env file back over a new connection, and releases every lock, when the sshd sessions of the first host are killed %s',
    async (when, moment) => {
      const app1 = lab.hosts[0];
      const before = await states();
      const run = startDeploy(lab, { operation: 'rollout', version: SLOW });
      await moment(app1);
      const killedAt = Date.now();
      expect(killSshSessions(app1.ssh).length).toBeGreaterThan(0);
      const result = await run.exited;
      recordFigures(`sshd sessions killed ${when}`, { ms: result.ms, afterKillMs: Date.now() - killedAt });

      expect(result.exitCode).toBe(1);
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      expect(check(result, 'deploy:app1')).toMatchObject({ status: 'fail', value: 'v1', message: expect.stringMatching(/^app1: the SSH connection was lost \([^)]+\): .+; api stays on v1$/s) });
      expect(check(result, 'deploy:app2')).toMatchObject({ status: 'warn', message: 'not started: app1 (10.213.47.11:22) failed; still on v1' });
      // No cleanup failed, nothing is left for the post step.
      expect(result.report?.checks.filter((c) => c.id.startsWith('cleanup:'))).toEqual([]);
      expect(pendingPostCleanups(result.stateFile)).toEqual([]);
      expect(result.stdout).toMatch(/^::warning::app1: the SSH connection was lost \([^)]+\); connecting again to undo what this run changed\.$/m);

      await unchangedSince(before);
      expect((await listProjectContainers(app1.compose.projectName)).filter((c) => c.image === slowImage)).toEqual([]);
      expect((await readHostState(app1)).audit.slice(before.app1.audit.length)).toEqual([expect.objectContaining({ operation: 'rollout', from: 'v1', to: SLOW, result: 'failure' })]);
    }
  );

  it('cleans up within the grace window when cancelled (SIGTERM) while the new containers start: reported cancelled, new containers removed, env file and locks as before', async () => {
    const app1 = lab.hosts[0];
    const before = await states();
    const run = startDeploy(lab, { operation: 'rollout', version: SLOW });
    await newContainersStarting(app1);
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    const result = await run.exited;
    recordFigures('SIGTERM while new containers start', { ms: result.ms, afterSignalMs: Date.now() - signalledAt });

    expect(result.exitCode).toBe(1);
    // The runner sends SIGKILL 10 s after the first signal; the run is done well before.
    expect(Date.now() - signalledAt).toBeLessThan(7500);
    expect(result.report?.outcome).toBe('cancelled');
    const cancelled = String(check(result, 'run')?.message);
    expect(cancelled).toMatch(/^Cancelled by SIGTERM after \d+\.\d s; cleaned up (\d) of \1: .*release the deploy lock on app2 \(10\.213\.47\.12:22\); release the deploy lock on app1 \(10\.213\.47\.11:22\); close the SSH connections$/);
    // The new containers were removed either by the rollout itself, as it noticed the cancellation within
    // the funnel's 1.5 s settle time, or by the cleanups it had registered: the report says which.
    const undoneBy = /^app1: cancelled while waiting for the new containers \(a2a-app1_api_\d+ is starting\); api stays on v1$/.test(String(check(result, 'deploy:app1')?.message))
      ? 'the rollout'
      : cancelled.includes(`remove the new api containers on app1; put ${app1.compose.envFile} back to VERSION=v1 on app1;`)
        ? 'the cleanups'
        : `nothing the report names: ${JSON.stringify(result.report?.checks)}`;
    expect(['the rollout', 'the cleanups']).toContain(undoneBy);
    expect(pendingPostCleanups(result.stateFile)).toEqual([]);

    await unchangedSince(before);
    expect((await listProjectContainers(app1.compose.projectName)).filter((c) => c.image === slowImage)).toEqual([]);
  });

  it('leaves its locks to the post step when killed outright (SIGKILL) mid-rollout, and the post step releases both', async () => {
    const app1 = lab.hosts[0];
    const before = await states();
    const run = startDeploy(lab, { operation: 'rollout', version: SLOW });
    await newContainersStarting(app1);
    run.child.kill('SIGKILL');
    const killed = await run.exited;

    expect([killed.exitCode, killed.signal]).toEqual([null, 'SIGKILL']);
    expect(lab.hosts.map((h) => [h.name, isLocked(h)])).toEqual([['app1', true], ['app2', true]]);
    expect(pendingPostCleanups(killed.stateFile).map((c) => c.label)).toEqual(['release the deploy lock on app1 (10.213.47.11:22)', 'release the deploy lock on app2 (10.213.47.12:22)']);

    const post = await startDeploy(lab, { operation: 'rollout', version: SLOW }, { post: { stateFile: killed.stateFile } }).exited;
    recordFigures('post step after SIGKILL', { postMs: post.ms });

    expect(post.exitCode).toBe(0);
    for (const h of lab.hosts) {
      expect(post.stdout).toContain(`Post: release the deploy lock on ${h.name} (${h.ssh.address}:22): done (the main step had not finished it).`);
      expect([h.name, isLocked(h)]).toEqual([h.name, false]);
    }
    // The old replicas never stopped (the half-started rollout itself is left for the next deploy to replace).
    const after = await readHostState(app1);
    expect(after.api.filter((c) => ids(before.app1).includes(c.id)).map((c) => `${c.status}/${c.health}`)).toEqual(['running/healthy', 'running/healthy']);
  });
});
