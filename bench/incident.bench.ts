// Benchmark: one action-incident run (the committed bundle, start-up to exit, against the lab's two
// hosts, PostgreSQL and NATS) beside the runbook's outage response typed by hand, one command after
// another: `curl -w @curl-format.txt` on the health URL, then per host over ssh `docker-compose ps`,
// `docker-compose logs --tail=100` per service, `docker-compose exec -T api ps` (BusyBox: no aux/--sort)
// per api replica, `journalctl -u docker` (absent here), then psql's connection count and long queries,
// and NATS's greeting (bash's /dev/tcp: no nc here). Same facts, no issue filed.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeIncidentLab, openIncidentLab, runIncident } from '../test-support/incident-lab.js';
import { timeMedian, type BenchResult } from './types.js';

function sh(command: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve) => execFile('/bin/sh', ['-c', command], { timeout: timeoutMs }, (_err, stdout) => resolve(stdout)));
}

export default async function bench(): Promise<BenchResult> {
  const lab = openIncidentLab([]);
  try {
    const keyFile = join(lab.deploy.dir, 'key');
    writeFileSync(keyFile, lab.deploy.privateKey, { mode: 0o600 });
    const format = join(lab.deploy.dir, 'curl-format.txt');
    writeFileSync(format, 'time_namelookup: %{time_namelookup}\\ntime_connect: %{time_connect}\\ntime_appconnect: %{time_appconnect}\\ntime_starttransfer: %{time_starttransfer}\\ntime_total: %{time_total}\\n');
    const ssh = (h: (typeof lab.deploy.hosts)[number], cmd: string): string =>
      `ssh -i ${keyFile} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p ${h.ssh.port} ${lab.deploy.user}@${h.ssh.address} "cd ${h.compose.composeDir} && ${cmd}"`;
    const byHand = async (): Promise<void> => {
      await sh(`curl -w @${format} -o /dev/null -s ${lab.deploy.lbUrl}/health`);
      for (const h of lab.deploy.hosts) {
        const dc = `docker-compose -p ${h.compose.projectName} -f docker-compose.production.yml`;
        await sh(ssh(h, `${dc} ps`));
        for (const service of ['api', 'frontend', 'agent-pattern-discovery', 'postgres']) await sh(ssh(h, `${dc} logs --tail=100 ${service}`));
        for (const index of [1, 2]) await sh(ssh(h, `${dc} exec -T --index=${index} api ps`));
        await sh(ssh(h, 'journalctl -u docker -n 50 --no-pager || true'));
      }
      await sh(`psql '${lab.postgres.url}' -Atc 'SELECT count(*) FROM pg_stat_activity'`);
      await sh(`psql '${lab.postgres.url}' -Atc "SELECT pid, now() - query_start, query FROM pg_stat_activity WHERE state = 'active' AND query_start < now() - interval '5 minutes'"`);
      const nats = new URL(lab.natsUrl);
      await sh(`timeout 3 bash -c 'exec 3<>/dev/tcp/${nats.hostname}/${nats.port}; head -c 200 <&3'`);
    };
    let faults = '';
    const ours = await timeMedian(async () => {
      const r = await runIncident(lab, { issue: 'off', 'fail-on': 'never' });
      const list = JSON.parse(r.outputs.faults ?? '[]') as Array<{ family: string; target: string }>;
      faults = `${list.length}${list.length ? ` (${list.map((f) => `${f.family}: ${f.target}`).join('; ')})` : ''}`;
    }, 3);
    const baseline = await timeMedian(byHand, 3);
    return {
      name: 'incident diagnostics (2 lab hosts, 10 containers, database, NATS)',
      ours: { label: 'a2a-ops incident (bundle, start-up to exit, every family at once)', ms: Math.round(ours) },
      baseline: { label: 'the runbook by hand: curl -w, ssh docker-compose ps/logs/exec ps/journalctl per host, psql x2, NATS greeting over bash /dev/tcp', ms: Math.round(baseline) },
      ratio: Math.round((baseline / ours) * 100) / 100,
      notes: [`faults found by the bundle on the healthy lab: ${faults}`, 'no target in the issue; the bundle also groups error patterns and compares with last week, which the hand commands do not']
    };
  } finally {
    closeIncidentLab(lab);
  }
}
