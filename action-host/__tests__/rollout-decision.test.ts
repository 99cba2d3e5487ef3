// The upgrade's health decision and what it does to the rollout: a host's compose containers judged
// against the config (replicas, Docker health, restarting/dead), and — through the core's rolling
// fan-out, as `upgrade` uses it — the run stopped at the first host judged unhealthy, later hosts never
// started. Also the reboot wait: a new boot id within the bound, or a clear failure.
import { describe, expect, it } from '@jest/globals';
import { runOnHostsRolling, toServiceContainer, type HostTarget, type ServiceContainer } from '../../shared/src/index.js';
import { rebootAndWait, type RebootShell } from '../src/apt/reboot.js';
import { judgeServices } from '../src/services/judge-services.js';

function c(name: string, service: string, state = 'running', health: string | null = 'healthy', oneOff = false): ServiceContainer {
  return toServiceContainer({
    Id: name,
    Name: `/${name}`,
    State: { Status: state, Running: state === 'running', Health: health ? { Status: health } : null },
    Config: { Image: `${service}:v1`, Labels: { 'com.docker.compose.project': 'a2a', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': oneOff ? 'True' : 'False' } }
  });
}
const API2 = [{ name: 'api', replicas: 2 }];

describe('judgeServices', () => {
  it.each([
    { name: 'both api replicas healthy', containers: [c('api_1', 'api'), c('api_2', 'api')], verdict: 'healthy', problem: '' },
    { name: 'one api replica stopped', containers: [c('api_1', 'api'), c('api_2', 'api', 'exited', null)], verdict: 'unhealthy', problem: '1 of 2 replicas running (api_2 is exited)' },
    { name: 'an api replica unhealthy', containers: [c('api_1', 'api'), c('api_2', 'api', 'running', 'unhealthy')], verdict: 'unhealthy', problem: 'api_2 unhealthy' },
    { name: 'an api replica still starting', containers: [c('api_1', 'api'), c('api_2', 'api', 'running', 'starting')], verdict: 'starting', problem: 'api_2 still starting' },
    { name: 'no api container at all', containers: [], verdict: 'unhealthy', problem: '0 of 2 replicas running' },
    { name: 'replicas without a health check', containers: [c('api_1', 'api', 'running', null), c('api_2', 'api', 'running', null)], verdict: 'healthy', problem: '' },
    { name: 'more replicas than configured', containers: [c('api_1', 'api'), c('api_2', 'api'), c('api_3', 'api')], verdict: 'healthy', problem: '' },
    { name: 'a one-off run container does not count as a replica', containers: [c('api_1', 'api'), c('api_run_1', 'api', 'running', null, true)], verdict: 'unhealthy', problem: '1 of 2 replicas running' }
  ])('$name: $verdict', ({ containers, verdict, problem }) => {
    const j = judgeServices(containers, API2);
    expect(j.verdict).toBe(verdict);
    expect(j.services.find((s) => s.service === 'api')?.problem).toBe(problem);
  });

  it.each([
    { name: 'a restarting service the config does not declare', containers: [c('nats_1', 'nats', 'restarting', null)], verdict: 'unhealthy' },
    { name: 'an unhealthy service the config does not declare', containers: [c('web_1', 'frontend', 'running', 'unhealthy')], verdict: 'unhealthy' },
    { name: 'a stopped one-shot service the config does not declare', containers: [c('migrate_1', 'migrate', 'exited', null)], verdict: 'healthy' }
  ])('$name: $verdict', ({ containers, verdict }) => {
    expect(judgeServices([c('api_1', 'api'), c('api_2', 'api'), ...containers], API2).verdict).toBe(verdict);
  });
});

describe('the rollout stops at the first unhealthy host', () => {
  const hosts: HostTarget[] = ['app1', 'app2', 'app3'].map((name, i) => ({ name, address: `10.0.0.${i + 1}`, port: 22, user: 'deploy' }));
  const healthy = [c('api_1', 'api'), c('api_2', 'api')];
  const broken = [c('api_1', 'api'), c('api_2', 'api', 'exited', null)];

  it.each([
    { name: 'all hosts healthy', after: [healthy, healthy, healthy], upgraded: ['app1', 'app2', 'app3'], skipped: [] as string[] },
    { name: 'the first host unhealthy after its upgrade', after: [broken, healthy, healthy], upgraded: ['app1'], skipped: ['app2', 'app3'] },
    { name: 'the second host unhealthy', after: [healthy, broken, healthy], upgraded: ['app1', 'app2'], skipped: ['app3'] },
    { name: 'the last host unhealthy', after: [healthy, healthy, broken], upgraded: ['app1', 'app2', 'app3'], skipped: [] }
  ])('$name', async ({ after, upgraded, skipped }) => {
    const touched: string[] = [];
    const outcomes = await runOnHostsRolling(hosts, { maxParallel: 1 }, async (target) => {
      touched.push(target.name);
      const j = judgeServices(after[hosts.indexOf(target)], API2);
      if (j.verdict !== 'healthy') throw new Error(`${target.name} unhealthy`);
    });
    expect(touched).toEqual(upgraded);
    expect(outcomes.filter((o) => 'skipped' in o && o.skipped).map((o) => o.target.name)).toEqual(skipped);
  });
});

describe('rebootAndWait', () => {
  class FakeHost {
    boot = 'boot-1';
    downUntil = 0;
    rebootCommands = 0;
    shell(label = 'app1'): RebootShell {
      return {
        label,
        exec: async (command: string) => {
          if (command.includes('reboot')) {
            this.rebootCommands++;
            this.downUntil = Date.now() + 120;
            setTimeout(() => (this.boot = 'boot-2'), 60);
            return { code: null, stdout: '', stderr: '', durationMs: 1, truncated: false };
          }
          return { code: 0, stdout: `${this.boot}\n`, stderr: '', durationMs: 1, truncated: false };
        },
        close: () => undefined
      };
    }
  }

  it('returns a new connection once the host answers with a new boot id', async () => {
    const host = new FakeHost();
    let attempts = 0;
    const connect = async (): Promise<RebootShell> => {
      attempts++;
      if (Date.now() < host.downUntil) throw new Error('connect ECONNREFUSED');
      return host.shell();
    };
    const back = await rebootAndWait(host.shell(), connect, { timeoutMs: 5000, intervalMs: 20 });
    expect(host.rebootCommands).toBe(1);
    expect(attempts).toBeGreaterThan(1);
    expect(await back.session.exec('cat /proc/sys/kernel/random/boot_id')).toMatchObject({ stdout: 'boot-2\n' });
  });

  it('fails within its bound when the host does not come back', async () => {
    const host = new FakeHost();
    const started = Date.now();
    await expect(rebootAndWait(host.shell(), async () => Promise.reject(new Error('connect ETIMEDOUT')), { timeoutMs: 200, intervalMs: 20 })).rejects.toThrow(
      'app1: not back from its reboot within 0 s (last: connect ETIMEDOUT)'
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps waiting while the host still answers with the old boot id', async () => {
    const host = new FakeHost();
    const shell = host.shell();
    // A reboot command that never takes effect: the same boot id every time.
    shell.exec = async (command: string) => ({ code: command.includes('reboot') ? null : 0, stdout: 'boot-1\n', stderr: '', durationMs: 1, truncated: false });
    await expect(rebootAndWait(shell, async () => shell, { timeoutMs: 150, intervalMs: 20 })).rejects.toThrow('still the same boot (the reboot has not happened yet)');
  });
});
