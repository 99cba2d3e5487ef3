#!/usr/bin/env node
// Smoke-runs every committed bundle under the Node binary given (default: this one), as a runner would:
// the bundle must load, parse its inputs and fail cleanly on a bad one, naming it.
//   node scripts/smoke-bundles.mjs [path/to/node]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const node = process.argv[2] ?? process.execPath;
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const actions = readdirSync('.').filter((d) => d.startsWith('action-')).sort();
let failed = 0;
for (const action of actions) {
  const dir = mkdtempSync(join(tmpdir(), 'smoke-'));
  writeFileSync(join(dir, 'out'), '');
  const r = spawnSync(node, [join(action, 'dist', 'index.js')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, GITHUB_OUTPUT: join(dir, 'out'), 'INPUT_FAIL-ON': 'sometimes', INPUT_ISSUE: 'off', RUNNER_TEMP: dir }
  });
  const ok = r.status === 1 && r.stdout.includes("::error::Input 'fail-on' must be one of") && readFileSync(join(dir, 'out'), 'utf8').includes('fail');
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${action} on node ${version}${ok ? '' : `: exit ${r.status}\n${r.stdout}\n${r.stderr}`}`);
  if (!ok) failed++;
}
process.exit(failed ? 1 : 0);
