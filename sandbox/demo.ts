// `npm run demo`: starts the sandbox A2A World and runs the main job against it through the local runner —
// the morning health check, the TLS certificate check and the migration status — then stops everything.
// `npm run demo -- --lab` runs the same against the real lab (`npm run lab up` first).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startSandbox } from './platform.js';
import { labTargets } from './lab-targets.js';

const ROOT = join(import.meta.dirname, '..');

interface Step {
  action: string;
  what: string;
  inputs: Record<string, string>;
}

/** Runs one action through bin/a2a-ops.mjs in a child process, streaming its log; resolves to its exit code. */
function runLocal(step: Step, env: Record<string, string>): Promise<number> {
  const args = [join(ROOT, 'bin', 'a2a-ops.mjs'), step.action, '--summary', join(ROOT, '.a2a-ops', `demo-${step.action}.md`)];
  for (const [k, v] of Object.entries(step.inputs)) args.push('--input', `${k}=${v}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const started = Date.now();
const lab = process.argv.includes('--lab');
console.log(lab ? 'Using the lab (real sshd, PostgreSQL, Docker, nginx, TLS servers)…' : 'Starting a sandbox A2A World in this process (no servers needed)…');
const target = lab ? await labTargets() : await startSandbox();
const results: Array<{ step: Step; code: number }> = [];
try {
  const env = { ...target.githubEnv, NODE_EXTRA_CA_CERTS: target.caFile, GITHUB_EVENT_NAME: 'schedule' };
  const steps: Step[] = [
    {
      action: 'health',
      what: 'Morning health check (runbook: Morning Health Checks, Key Metrics, Database Issues)',
      inputs: { urls: [target.apiHealthUrl, target.frontendUrl].join('\n'), 'database-url': target.databaseUrl, retries: '1', ...target.healthInputs }
    },
    {
      action: 'ssl',
      what: 'TLS certificates (runbook: SSL Certificate Management, "< 30 days" alert)',
      inputs: { hosts: target.tlsHost, 'ca-file': target.caFile }
    },
    {
      action: 'migrate',
      what: 'Migration status (runbook: Database Migrations → verify)',
      inputs: { operation: 'status', 'database-url': target.databaseUrl, 'migrations-dir': target.migrationsDir, 'fail-on': 'fail' }
    }
  ];
  for (const step of steps) {
    console.log(`\n━━━ ${step.what}\n`);
    results.push({ step, code: await runLocal(step, env) });
  }
  console.log('\n━━━ Incident issues filed on the GitHub stand-in\n');
  const issues = target.issues();
  if (issues.length === 0) console.log('  none');
  for (const i of issues) console.log(`  #${i.number} [${i.state}] ${i.title}`);
} finally {
  await target.close();
}

console.log('\n━━━ Demo finished in', `${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const { step, code } of results) console.log(`  ${code === 0 ? 'passed' : 'failed'}  a2a-ops ${step.action}  → .a2a-ops/demo-${step.action}.md`);
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
