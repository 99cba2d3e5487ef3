// certbot over SSH, without a host: the command line the action builds and how it reads certbot's output.
import { describe, expect, it } from '@jest/globals';
import type { ExecResult } from '../../shared/src/ssh/types.js';
import type { EndpointResult } from '../src/check-endpoints.js';
import type { TlsTarget } from '../src/targets.js';
import { awaitReload, certbotArgs, parseCertbotOutput } from '../src/renew.js';

function result(code: number | null, stdout: string, stderr = ''): ExecResult {
  return { code, stdout, stderr, truncated: false, durationMs: 10, timedOut: false };
}

describe('the certbot command', () => {
  it.each([
    [{ renewal: 'dry-run' as const }, 'sudo -n certbot renew --non-interactive --no-random-sleep-on-renew --dry-run'],
    [{ renewal: 'force' as const, certName: 'a2aworld.ai' }, 'sudo -n certbot renew --non-interactive --no-random-sleep-on-renew --force-renewal --cert-name a2aworld.ai'],
    [
      { renewal: 'dry-run' as const, acmeServer: 'https://127.0.0.1:14000/dir', certbotConfigDir: '/srv/le' },
      'sudo -n certbot renew --non-interactive --no-random-sleep-on-renew --dry-run --server https://127.0.0.1:14000/dir --config-dir /srv/le --work-dir /srv/le/work --logs-dir /srv/le/logs'
    ]
  ])('for %j is `%s`', (renew, expected) => {
    expect(certbotArgs(renew).join(' ')).toBe(expected);
  });
});

describe("reading certbot's output", () => {
  it('counts simulated renewals of a successful dry run', () => {
    const o = parseCertbotOutput(result(0, 'Congratulations, all simulated renewals succeeded: \n  /etc/letsencrypt/live/a2aworld.ai/fullchain.pem (success)\n'), 'dry-run');
    expect(o).toMatchObject({ ok: true, renewed: ['/etc/letsencrypt/live/a2aworld.ai/fullchain.pem'], message: 'renewal dry run succeeded for 1 certificate' });
  });

  it('surfaces the error line of a failed renewal in the message', () => {
    const out =
      'Failed to renew certificate broken.test with error: Requesting 127.0.0.1/dir: Connection refused\nAll renewals failed. The following certificates could not be renewed:\n  /x/live/broken.test/fullchain.pem (failure)\n1 renew failure(s), 0 parse failure(s)\n';
    const o = parseCertbotOutput(result(1, '', out), 'force');
    expect(o.ok).toBe(false);
    expect(o.message).toMatch(/^forced renewal failed \(exit 1\): .*Failed to renew certificate broken\.test with error: Requesting 127\.0\.0\.1\/dir: Connection refused/);
  });

  it('says when sudo wants a password instead of hanging', () => {
    const o = parseCertbotOutput(result(1, '', 'sudo: a password is required\n'), 'dry-run');
    expect(o.message).toBe('renewal dry run failed (exit 1): sudo: a password is required');
  });

  it('treats a missing exit status as an unknown outcome, never success', () => {
    const o = parseCertbotOutput({ ...result(null, 'Congratulations, all renewals succeeded'), connectionError: 'keepalive timeout' }, 'force');
    expect(o.ok).toBe(false);
    expect(o.message).toBe('forced renewal ended without an exit status (keepalive timeout): the outcome is unknown');
  });
});

/** An endpoint serving the certificate with this fingerprint (only what awaitReload reads). */
function serving(host: string, fingerprint256: string): EndpointResult {
  const target: TlsTarget = { host, port: 443, label: host };
  const probe = { address: '10.0.0.1', elapsedMs: 5, chain: [{ fingerprint256, notAfter: `until-${fingerprint256}` }] };
  return { target, status: 'ok', verdicts: [{ address: '10.0.0.1', status: 'ok', problems: [], message: 'valid', probe }] } as unknown as EndpointResult;
}

describe('waiting for the web server to reload after a forced renewal', () => {
  it.each([
    // [what, fingerprints b serves on each probe (the first is the re-check right after certbot), grace,
    //  expected for b, fewest and most probes of b (polls are 500 ms apart)]
    ['a graceful reload that lands on the third probe', ['old', 'old', 'new'], 5000, 'new', 3, 3],
    ['a server never reloaded: gives up at the grace', [], 1200, 'old', 3, 4],
    ['already changed: no waiting', ['new'], 5000, 'new', 1, 1]
  ])('%s', async (_what, served, graceMs, expected, fewest, most) => {
    const before = [serving('a.example', 'a1'), serving('b.example', 'old')];
    const queue = [...served];
    const first = [serving('a.example', 'a2'), serving('b.example', queue.shift() ?? 'old')];
    const asked: string[][] = [];
    const result = await awaitReload(before, first, async (targets) => {
      asked.push(targets.map((t) => t.host));
      return targets.map((t) => serving(t.host, queue.shift() ?? 'old'));
    }, graceMs);
    expect(result.map((r) => r.verdicts[0].probe.chain[0].fingerprint256)).toEqual(['a2', expected]);
    expect(asked.length + 1).toBeGreaterThanOrEqual(fewest);
    expect(asked.length + 1).toBeLessThanOrEqual(most);
    expect(asked.flat().every((h) => h === 'b.example')).toBe(true);
  });
});
