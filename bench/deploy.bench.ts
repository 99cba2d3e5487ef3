// Benchmark: a rolling deploy of api v1 → v2 on both lab hosts (2 replicas each, behind the lab's nginx)
// while 16 clients send requests through the load balancer the whole time, three ways in one run:
//  - the runbook's own update: `sed` the VERSION in .env.production, then `docker-compose up -d api`;
//  - the docker-rollout method by hand: scale to 2x without recreating, wait for Docker health, stop
//    and remove the old containers (what docker-rollout's script does), host after host;
//  - action-deploy's rollout (the committed bundle, over real sshd: lock, checks, audit included).
// Targets: zero failed requests, and a rollout time within 1.3x of the by-hand method. Needs the lab.
import { closeDeployLab, openDeployLab, readHostState, resetLabApi, runDeploy, summarize, underLoad, type DeployLab, type DeployLabHost } from '../test-support/deploy-lab.js';
import { runOnLabHost, type ProbeResult } from '../test-support/lab-platform.js';
import type { BenchResult } from './types.js';

const CLIENTS = 16;

const RUNBOOK = (h: DeployLabHost, version: string): string =>
  `sed -i 's/^VERSION=.*/VERSION=${version}/' .env.production && docker-compose -p ${h.compose.projectName} -f docker-compose.production.yml up -d api`;

// docker-rollout's method, as a person would type it on the host.
const BY_HAND = (h: DeployLabHost, version: string): string => `set -e
sed -i 's/^VERSION=.*/VERSION=${version}/' .env.production
sel="--filter label=com.docker.compose.project=${h.compose.projectName} --filter label=com.docker.compose.service=api"
old=$(docker ps -q $sel)
n=$(echo "$old" | wc -l)
docker-compose -p ${h.compose.projectName} -f docker-compose.production.yml up -d --no-deps --no-recreate --scale api=$((n * 2)) api
new=$(docker ps -q $sel | grep -v -F "$old")
for i in $(seq 1 60); do
  bad=0; for id in $new; do [ "$(docker inspect -f '{{.State.Health.Status}}' $id)" = healthy ] || bad=1; done
  [ $bad = 0 ] && break; sleep 1
done
docker stop $old >/dev/null && docker rm $old >/dev/null`;

async function byShell(lab: DeployLab, script: (h: DeployLabHost, v: string) => string, version: string): Promise<void> {
  for (const h of lab.hosts) {
    const r = await runOnLabHost(h.compose, script(h, version), 180_000);
    if (r.code !== 0) throw new Error(`${h.name}: ${r.stderr.slice(-1000)}`);
  }
}

async function ours(lab: DeployLab, version: string): Promise<void> {
  const r = await runDeploy(lab, { version, 'health-timeout': '60s' }, { timeoutMs: 180_000 });
  if (r.exitCode !== 0) throw new Error(`action-deploy rollout to ${version} failed: ${r.stdout.slice(-1500)}`);
}

async function timed(lab: DeployLab, work: () => Promise<void>): Promise<{ ms: number; load: ProbeResult }> {
  const started = performance.now();
  const { load } = await underLoad(lab, work, { clients: CLIENTS });
  return { ms: performance.now() - started, load };
}

async function replicas(lab: DeployLab): Promise<string> {
  const states = await Promise.all(
    lab.hosts.map(async (h) => {
      const s = summarize(await readHostState(h));
      return `${h.name}: VERSION=${s.version}, ${s.healthy} healthy api replica(s) on ${s.images.join(', ') || 'nothing'}`;
    })
  );
  return states.join(', ');
}

export default async function deployBench(): Promise<BenchResult[]> {
  const lab = openDeployLab();
  const failed = (p: ProbeResult): number => p.non2xx + p.errors;
  const describe = (p: ProbeResult): string => `${failed(p)} of ${p.total} requests failed (${((100 * failed(p)) / Math.max(1, p.total)).toFixed(1)} %)`;
  try {
    await resetLabApi(lab);
    const runbook = await timed(lab, () => byShell(lab, RUNBOOK, 'v2'));
    const runbookReplicas = await replicas(lab);
    await resetLabApi(lab);
    const byHand = await timed(lab, () => byShell(lab, BY_HAND, 'v2'));
    await resetLabApi(lab);
    const action = await timed(lab, () => ours(lab, 'v2'));
    const actionReplicas = await replicas(lab);
    return [
      {
        name: 'deploy: rolling api v1 → v2 on 2 hosts vs the docker-rollout method by hand',
        ours: { label: `action-deploy rollout (bundle over SSH: lock, image check, audit, public check): ${describe(action.load)}`, ms: action.ms },
        baseline: { label: `docker-rollout method by hand on each host: ${describe(byHand.load)}`, ms: byHand.ms },
        ratio: byHand.ms / action.ms,
        notes: [
          `rollout time ${(action.ms / byHand.ms).toFixed(2)}× the by-hand method (target ≤ 1.3×); failed requests: ours ${failed(action.load)}, by hand ${failed(byHand.load)} (target 0)`,
          `after ours: ${actionReplicas}`
        ]
      },
      {
        name: "deploy: rolling api v1 → v2 on 2 hosts vs the runbook's `docker-compose up -d api`",
        ours: { label: `action-deploy rollout: ${describe(action.load)}`, ms: action.ms },
        baseline: { label: `runbook: sed VERSION, docker-compose up -d api on each host: ${describe(runbook.load)}`, ms: runbook.ms },
        ratio: runbook.ms / action.ms,
        notes: [`after the runbook's update: ${runbookReplicas}`, `${CLIENTS} clients through nginx the whole time; ${action.load.requestsPerSecond.toFixed(0)} requests/s during ours`]
      }
    ];
  } finally {
    await resetLabApi(lab, { names: true }).catch(() => undefined);
    closeDeployLab(lab);
  }
}
