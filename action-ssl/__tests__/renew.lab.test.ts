// Lab: `operation: renew` through the whole action, over real SSH to lab host app1, running Debian's real
// certbot via sudo against a real ACME server (pebble) in that host's namespace (lab parts hosts + acme).
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLabPart } from '../../test-support/lab.js';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';
import { run } from '../src/main.js';
import type { Report } from '../../shared/src/index.js';

interface HostsPart {
  privateKeyPath: string;
  user: string;
  hosts: Array<{ name: string; address: string; port: number; fingerprint: string }>;
}
interface AcmePart {
  namespace: string;
  directoryUrl: string;
  configDir: string;
  certName: string;
  brokenCertName: string;
  servedName: string;
  servedHost: string;
  servedPort: number;
  caFile: string;
}

const hostsPart = readLabPart<HostsPart>('hosts');
const acme = readLabPart<AcmePart>('acme');
const host = hostsPart.hosts.find((h) => /app-?1/.test(h.name)) ?? hostsPart.hosts[0];

/** The certificate nginx serves right now, read with a plain handshake (not through the action). */
function servedCert(): Promise<{ validTo: string; fingerprint256: string }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: acme.servedHost, port: acme.servedPort, servername: acme.servedName, rejectUnauthorized: false }, () => {
      const c = s.getPeerCertificate();
      s.destroy();
      resolve({ validTo: c.valid_to, fingerprint256: c.fingerprint256 });
    });
    s.setTimeout(5000, () => s.destroy(new Error('handshake timeout')));
    s.on('error', reject);
  });
}

/** The served certificate once it differs from `fingerprint` twice in a row, or the last one read at the deadline. */
async function servedCertOnceChanged(fingerprint: string, timeoutMs: number): Promise<{ validTo: string; fingerprint256: string }> {
  const deadline = Date.now() + timeoutMs;
  let changedInARow = 0;
  for (;;) {
    const cert = await servedCert();
    changedInARow = cert.fingerprint256 === fingerprint ? 0 : changedInARow + 1;
    if (changedInARow === 2 || Date.now() > deadline) return cert;
    await sleep(200);
  }
}

function renewInputs(extra: Record<string, string>): Record<string, string> {
  return {
    operation: 'renew',
    hosts: `${hostsPart.user}@${host.address}:${host.port}`,
    'ssh-private-key': readFileSync(hostsPart.privateKeyPath, 'utf8'),
    'ssh-fingerprint': host.fingerprint,
    'certbot-config-dir': acme.configDir,
    'check-endpoints': `${acme.servedName}:${acme.servedPort}=${acme.servedHost}`,
    'ca-file': acme.caFile,
    issue: 'off',
    ...extra
  };
}

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

async function runRenew(extra: Record<string, string>): Promise<{ report: Report; outputs: Record<string, string>; summary: string }> {
  env = setActionEnv(renewInputs(extra));
  await run();
  const outputs = env.outputs();
  return { report: JSON.parse(outputs.report) as Report, outputs, summary: env.summary() };
}

describe('renewing certificates over SSH with the real certbot', () => {
  it('runs a dry run against the ACME server and leaves the served certificate alone', async () => {
    const before = await servedCert();
    const { report, outputs } = await runRenew({ renewal: 'dry-run', 'cert-name': acme.certName, 'acme-server': acme.directoryUrl });
    const renewal = report.checks.find((c) => c.kind === 'renewal');
    expect(renewal?.status).toBe('ok');
    expect(renewal?.message).toBe('renewal dry run succeeded for 1 certificate');
    expect(outputs.renewed).toBe('1');
    expect((await servedCert()).fingerprint256).toBe(before.fingerprint256);
    const tls = report.checks.find((c) => c.kind === 'tls');
    expect(tls?.status).toBe('ok');
    expect(Number(outputs['min-days-left'])).toBeGreaterThan(30);
  });

  it('forces a renewal that changes the served certificate and reports the new expiry', async () => {
    const before = await servedCert();
    const { report, outputs, summary } = await runRenew({ renewal: 'force', 'cert-name': acme.certName });
    expect(report.checks.find((c) => c.kind === 'renewal')?.message).toBe('forced renewal succeeded for 1 certificate');
    // The action saw the new certificate; nginx's old workers may still take a connection or two while they
    // wind down after the deploy hook's SIGHUP, so read what nginx serves once the reload has settled.
    const after = await servedCertOnceChanged(before.fingerprint256, 10_000);
    expect(after.fingerprint256).not.toBe(before.fingerprint256);
    const tls = report.checks.find((c) => c.kind === 'tls');
    expect(tls?.status).toBe('ok');
    expect(tls?.message).toContain(`renewed: expiry ${new Date(before.validTo).toISOString()} → ${new Date(after.validTo).toISOString()}`);
    expect(summary).toContain('Served certificates that changed');
    expect(outputs.status).toBe('ok');
  });

  it('surfaces the error of a renewal that fails and fails the report', async () => {
    const { report, outputs } = await runRenew({ renewal: 'force', 'cert-name': acme.brokenCertName });
    const renewal = report.checks.find((c) => c.kind === 'renewal');
    expect(renewal?.status).toBe('fail');
    expect(renewal?.message).toMatch(/^forced renewal failed \(exit 1\): Failed to renew certificate broken\.test with error: .*Connection refused/);
    expect(outputs.status).toBe('fail');
    expect(outputs.renewed).toBe('0');
  });

  it('refuses a forced renewal on a scheduled run before connecting anywhere', async () => {
    env = setActionEnv(renewInputs({ renewal: 'force', 'cert-name': acme.certName }), { GITHUB_EVENT_NAME: 'schedule' });
    const before = await servedCert();
    await run();
    expect(env.outputs().status).toBe('fail');
    expect(process.exitCode).toBe(1);
    expect((await servedCert()).fingerprint256).toBe(before.fingerprint256);
  });
});
