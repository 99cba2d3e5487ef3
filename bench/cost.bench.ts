// Benchmark: action-cost's full report vs what a user would otherwise run. The runbook's `doctl`
// commands are not installable here, so the baseline is the same reads as curl calls, one per list
// page (200 per page, as doctl asks), sequential as a shell script runs them, following
// `links.pages.next` with jq — against the same DigitalOcean stand-in, a busy account (60 droplets,
// 450 snapshots, 12 registry repositories of 30 images), measured in the same run. The baseline only
// fetches: it prices, projects and summarises nothing, which the action does on top.
import { execFile } from 'node:child_process';
import { busyAccount } from '../test-support/cost-account.js';
import { costStateDir, runCost } from '../test-support/cost-run.js';
import { startDigitalOceanStandin } from '../test-support/digitalocean-standin/index.js';
import { timeMedian, type BenchResult } from './types.js';

/** The shell script: every list the report reads, page by page, one curl at a time. */
const SCRIPT = String.raw`
set -euo pipefail
get() { curl -fsS -H "Authorization: Bearer $DO_TOKEN" "$1"; }
pages() { local url="$1"; while [ -n "$url" ]; do get "$url" > "$OUT/page.json"; n=$((n+1)); url=$(jq -r '.links.pages.next // empty' "$OUT/page.json"); cat "$OUT/page.json" >> "$OUT/all.json"; done; }
n=0
for one in account customers/my/balance customers/my/billing_history databases registry registry/subscription; do get "$API/v2/$one" >> "$OUT/all.json"; n=$((n+1)); done
for list in droplets volumes snapshots load_balancers sizes customers/my/invoices "images?private=true"; do
  case "$list" in *\?*) pages "$API/v2/$list&per_page=200";; *) pages "$API/v2/$list?per_page=200";; esac
done
reg=$(jq -r '.registry.name' < <(get "$API/v2/registry")); n=$((n+1))
pages "$API/v2/registry/$reg/repositoriesV2?per_page=200"
for repo in $(jq -r '.repositories[]?.name' "$OUT/all.json"); do pages "$API/v2/registry/$reg/repositories/$repo/digests?per_page=200"; done
echo "$n"
`;

function bash(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${stderr || err.message}`)) : resolve(stdout.trim())));
  });
}

export default async function bench(): Promise<BenchResult> {
  const standin = await startDigitalOceanStandin({ fixtures: busyAccount() });
  try {
    let ourRequests = 0;
    let status = '';
    const ours = await timeMedian(async () => {
      const before = standin.requests.length;
      const r = await runCost(standin, { stateDir: costStateDir(), inputs: { 'alert-percent': 'off' } });
      if (r.exitCode !== 0) throw new Error(`action-cost failed: ${r.stdout.slice(-500)}`);
      status = `${r.outputs.status}, projected $${r.outputs['projected-usd']}`;
      ourRequests = standin.requests.length - before;
    }, 3);
    let curlRequests = 0;
    const baseline = await timeMedian(async () => {
      const out = (await bash('mktemp -d', {})).trim();
      curlRequests = Number(await bash(SCRIPT, { DO_TOKEN: standin.token, API: standin.url, OUT: out }));
      await bash(`rm -rf "${out}"`, {});
    }, 3);
    if (standin.violations.length) throw new Error(`stand-in violations: ${JSON.stringify(standin.violations.slice(0, 3))}`);
    return {
      name: 'cost: full report vs curl page by page',
      ours: { label: `a2a-ops cost (node action-cost/dist/index.js, start-up to exit, ${ourRequests} API requests, 4 at a time; ${status})`, ms: ours },
      baseline: { label: `curl + jq, one call per list page, sequential (${curlRequests} calls)`, ms: baseline },
      ratio: baseline / ours,
      notes: ['busy account: 60 droplets, 40 volumes, 450 snapshots (3 pages), 12 registry repositories × 30 images; the baseline only fetches, it does not price or report']
    };
  } finally {
    await standin.close();
  }
}
