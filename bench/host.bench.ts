// Benchmark: the monthly OS upgrade of both lab hosts (lab/parts/apt.sh: two packages from version 1 to 2
// in each host's own apt world), two ways in one run, each from the same starting point:
//  - the runbook's own command per host, by hand over ssh: `ssh deploy@host "sudo apt-get update && sudo
//    apt-get upgrade -y"` (apt-get for the runbook's apt: the lab's sudoers allows apt-get), host after host;
//  - action-host `upgrade` (the committed bundle over real sshd: plan on every host, host lock, services
//    checked healthy before and after each host, reboot-required read).
// Target: the action within 3× the bare commands (it does the health checks the runbook leaves to a person).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { closeDeployLab } from '../test-support/deploy-lab.js';
import { installedVersion, openHostLab, resetAptWorld, runHost, type HostLab } from '../test-support/host-lab.js';
import type { BenchResult } from './types.js';

const run = promisify(execFile);
const RUNS = 3;

async function byHand(lab: HostLab): Promise<void> {
  for (const h of lab.hosts) {
    await run(
      'ssh',
      ['-i', hostsKey(), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', `${lab.user}@${h.ssh.address}`, 'sudo apt-get update && sudo apt-get upgrade -y'],
      { timeout: 180_000 }
    );
  }
}

function hostsKey(): string {
  return `${process.env.A2A_LAB_DIR ?? '/tmp/a2a-ops-lab'}/hosts/id_ed25519`;
}

async function ours(lab: HostLab): Promise<void> {
  const r = await runHost(lab, { operation: 'upgrade', 'health-timeout': '30s' }, { timeoutMs: 180_000 });
  if (r.exitCode !== 0) throw new Error(`action-host upgrade failed: ${r.stdout.slice(-1500)}`);
}

function assertUpgraded(lab: HostLab, what: string): void {
  for (const h of lab.hosts) {
    for (const pkg of [lab.apt.packages.ordinary, lab.apt.packages.security]) {
      const v = installedVersion(lab, h.name, pkg);
      if (v !== lab.apt.repoVersion) throw new Error(`${what}: ${h.name} has ${pkg} ${v}, not ${lab.apt.repoVersion}`);
    }
  }
}

export default async function hostBench(): Promise<BenchResult> {
  const lab = openHostLab();
  const times = { hand: [] as number[], ours: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      resetAptWorld(lab);
      let t = performance.now();
      await byHand(lab);
      times.hand.push(performance.now() - t);
      assertUpgraded(lab, 'by hand');
      resetAptWorld(lab);
      t = performance.now();
      await ours(lab);
      times.ours.push(performance.now() - t);
      assertUpgraded(lab, 'action-host');
    }
  } finally {
    resetAptWorld(lab);
    closeDeployLab(lab);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const hand = median(times.hand);
  const mine = median(times.ours);
  return {
    name: 'host: upgrade 2 packages on 2 lab hosts vs the runbook command per host',
    ours: { label: 'action-host upgrade (bundle: plan on both hosts, lock, health before and after each host)', ms: mine },
    baseline: { label: 'ssh host "sudo apt-get update && sudo apt-get upgrade -y", host after host', ms: hand },
    ratio: hand / mine,
    notes: [
      `${(mine / hand).toFixed(2)}× the bare commands (target ≤ 3×); medians of ${RUNS} runs each, alternating; by hand ${times.hand.map((x) => Math.round(x)).join('/')} ms, ours ${times.ours.map((x) => Math.round(x)).join('/')} ms`
    ]
  };
}
