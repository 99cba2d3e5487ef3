// The apt commands of an upgrade, as they run on a host: `apt-get update` and `apt-get upgrade -y` as root,
// non-interactive (DEBIAN_FRONTEND=noninteractive, the current config files kept), waiting a bounded time
// for a dpkg lock another apt holds (unattended-upgrades); `apt-get -s upgrade` (no root needed) for the
// plan; and `/var/run/reboot-required` with the packages that asked for it.
import { assertSucceeded, type ExecResult, type SshSession } from '../../../shared/src/index.js';
import { asRoot, explainSudo } from '../hosts/open-hosts.js';
import { parseSimulatedUpgrade, type UpgradePlan } from './upgradable.js';

export interface AptBounds {
  dpkgLockTimeoutMs: number;
  aptTimeoutMs: number;
}

const NONINTERACTIVE = { DEBIAN_FRONTEND: 'noninteractive' };

function lockOption(b: AptBounds): string[] {
  return ['-o', `DPkg::Lock::Timeout=${Math.round(b.dpkgLockTimeoutMs / 1000)}`];
}

async function runApt(session: SshSession, command: string, label: string, timeoutMs: number, onLine?: (line: string) => void): Promise<ExecResult> {
  const r = await session.exec(command, { label, timeoutMs, onStdout: onLine, onStderr: onLine });
  if (r.code !== 0) {
    const sudo = explainSudo(r.stderr, label);
    if (sudo) throw new Error(`${session.label}: ${sudo}`);
    if (/Could not get lock|dpkg frontend lock|is another process using it/i.test(r.stderr)) {
      throw new Error(`${session.label}: ${label}: the dpkg lock stayed held by another process past dpkg-lock-timeout: ${lastLine(r.stderr)}`);
    }
  }
  return assertSucceeded(session.label, label, r);
}

/** `apt-get update` as root. */
export async function aptUpdate(session: SshSession, b: AptBounds, onLine?: (line: string) => void): Promise<void> {
  await runApt(session, asRoot(['apt-get', '-q', ...lockOption(b), 'update'], NONINTERACTIVE), 'apt-get update', b.aptTimeoutMs, onLine);
}

/** What `apt-get upgrade` would do now (a simulation as the SSH user: it reads the lists, locks nothing). */
export async function simulateUpgrade(session: SshSession, b: AptBounds): Promise<UpgradePlan> {
  const r = await runApt(session, 'LC_ALL=C apt-get -s -o Debug::NoLocking=1 upgrade', 'apt-get -s upgrade', Math.min(b.aptTimeoutMs, 5 * 60_000));
  return parseSimulatedUpgrade(r.stdout);
}

/** `apt-get upgrade -y` as root, keeping the installed config files when a package ships a new one. */
export async function aptUpgrade(session: SshSession, b: AptBounds, onLine?: (line: string) => void): Promise<void> {
  const args = ['apt-get', '-q', '-y', ...lockOption(b), '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'upgrade'];
  await runApt(session, asRoot(args, NONINTERACTIVE), 'apt-get upgrade', b.aptTimeoutMs, onLine);
}

/** Whether the host asks for a reboot, and the packages that asked (Debian/Ubuntu's convention). */
export interface RebootRequired {
  required: boolean;
  packages: string[];
}

export const REBOOT_REQUIRED_COMMAND =
  'if [ -e /var/run/reboot-required ]; then echo required; cat /var/run/reboot-required.pkgs 2>/dev/null; else echo none; fi; exit 0';

export function parseRebootRequired(stdout: string): RebootRequired {
  const [first = '', ...rest] = stdout.split(/\r?\n/).map((l) => l.trim());
  return { required: first === 'required', packages: first === 'required' ? [...new Set(rest.filter(Boolean))] : [] };
}

export async function readRebootRequired(session: SshSession): Promise<RebootRequired> {
  const r = await session.exec(REBOOT_REQUIRED_COMMAND, { label: 'read reboot-required', timeoutMs: 30_000 });
  return parseRebootRequired(assertSucceeded(session.label, 'read reboot-required', r).stdout);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}
