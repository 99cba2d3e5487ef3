// Fault injection for lab tests against the `hosts` part: host key change, killed sshd sessions, a
// network blackhole. Every fault returns its undo; call it in `finally`. Processes are found by PID
// (PID file, parent PID), never by a broad name.
import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LAB_DIR, readLabPart } from './lab.js';

/** One host of `$A2A_LAB_DIR/hosts.json`. */
export interface LabHost {
  name: string;
  namespace: string;
  address: string;
  port: number;
  fingerprint: string;
  hostKeyPath: string;
  sshdPidFile: string;
  sshdConfig: string;
  sshdLog: string;
  composeDir: string;
}

/** What `lab/parts/hosts.sh up` wrote. */
export interface HostsLab {
  user: string;
  privateKeyPath: string;
  publicKeyPath: string;
  hosts: LabHost[];
}

/** Reads hosts.json (fails loudly when the part is down). */
export function readHostsLab(): HostsLab {
  return readLabPart<HostsLab>('hosts');
}

/** The lab host called `name`. */
export function labHost(name: string): LabHost {
  const host = readHostsLab().hosts.find((h) => h.name === name);
  if (!host) throw new Error(`lab host '${name}' is not in hosts.json`);
  return host;
}

function run(cmd: string, args: string[], timeoutMs = 10_000): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** PID of the host's listening sshd, from its PID file. */
export function sshdPid(host: LabHost): number {
  return Number(readFileSync(host.sshdPidFile, 'utf8').trim());
}

/** Direct children of a process (from /proc), without matching on names. */
export function childPids(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent PID; the command name (field 2) may contain spaces, so split after ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Waits until `address:22` answers with an SSH banner (bounded). */
async function waitForBanner(host: LabHost, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const banner = run('timeout', ['1', 'bash', '-c', `exec 3<>/dev/tcp/${host.address}/${host.port} && head -c 4 <&3`], 3000);
      if (banner.startsWith('SSH-')) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`sshd of lab host ${host.name} did not answer within ${timeoutMs} ms`);
}

/**
 * Restarts the host's listening sshd, with `config` (default: the lab's own) — existing sessions live
 * on, as with a real restart.
 */
export async function restartSshd(host: LabHost, config = host.sshdConfig): Promise<void> {
  // Under the hosts part's lock (see lab/parts/hosts.sh), so a concurrent `lab.sh up` never sees the gap.
  const script = [
    'set -e',
    'pidf=$1 cfg=$2 ns=$3 log=$4',
    'if [ -f "$pidf" ]; then',
    '  pid=$(cat "$pidf"); kill -TERM "$pid" 2>/dev/null || true',
    '  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done',
    '  kill -KILL "$pid" 2>/dev/null || true; rm -f "$pidf"',
    'fi',
    'ip netns exec "$ns" /usr/sbin/sshd -f "$cfg" -E "$log"',
    'for _ in $(seq 1 50); do [ -s "$pidf" ] && break; sleep 0.1; done'
  ].join('\n');
  run('flock', ['-w', '30', join(LAB_DIR, 'hosts.lock'), 'bash', '-c', script, 'restart-sshd', host.sshdPidFile, config, host.namespace, host.sshdLog], 45_000);
  await waitForBanner(host);
}

/**
 * Restarts the host's sshd with a NEW host key. The lab's own key files and config stay untouched (a
 * concurrent `lab.sh up` keeps describing the real key): the new key and a copy of the config pointing
 * at it live next to them. Returns the new fingerprint and the undo (restart with the lab's config).
 */
export async function changeHostKey(host: LabHost): Promise<{ newFingerprint: string; undo: () => Promise<void> }> {
  const dir = dirname(host.sshdConfig);
  const key = join(dir, `rotated_host_ed25519_key_${process.pid}_${Date.now()}`);
  const config = `${host.sshdConfig}.rotated`;
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `a2a-lab-${host.name}-rotated`, '-f', key]);
  const original = readFileSync(host.sshdConfig, 'utf8');
  writeFileSync(config, original.replace(/^HostKey .*$/m, `HostKey ${key}`));
  const cleanup = (): void => {
    for (const f of [key, `${key}.pub`, config]) rmSync(f, { force: true });
  };
  try {
    await restartSshd(host, config);
  } catch (err) {
    await restartSshd(host).finally(cleanup);
    throw err;
  }
  const newFingerprint = run('ssh-keygen', ['-lf', `${key}.pub`]).split(' ')[1];
  return {
    newFingerprint,
    undo: async () => {
      try {
        await restartSshd(host);
      } finally {
        cleanup();
      }
    }
  };
}

/** True when the process runs the sshd binary (a session's monitor or its user-side child). */
function isSshd(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`) === '/usr/sbin/sshd';
  } catch {
    return false;
  }
}

/**
 * Kills (SIGKILL) every per-connection sshd process of the host — the listener's children (the
 * privileged monitors) and their sshd children (the user-side processes holding the connection) — as
 * an OOM kill would. Commands those sessions started keep running (orphans), as in reality. Returns
 * the PIDs killed. Nothing to undo: the listener keeps accepting.
 */
export function killSshSessions(host: LabHost): number[] {
  const monitors = childPids(sshdPid(host));
  const pids = [...monitors, ...monitors.flatMap((m) => childPids(m).filter(isSshd))];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}

/** Drops every packet into and out of the host's namespace (iptables inside the namespace). Returns the undo. */
export function blackhole(host: LabHost): () => void {
  const ipt = (args: string[]): string => run('ip', ['netns', 'exec', host.namespace, 'iptables', '-w', '5', ...args]);
  ipt(['-I', 'INPUT', '1', '-j', 'DROP']);
  ipt(['-I', 'OUTPUT', '1', '-j', 'DROP']);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    ipt(['-D', 'INPUT', '-j', 'DROP']);
    ipt(['-D', 'OUTPUT', '-j', 'DROP']);
  };
}

/** PIDs whose command line contains `marker` (exact substring, read from /proc; for orphan checks). */
export function pidsWithMarker(marker: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(marker)) out.push(Number(entry));
    } catch {
      // Gone.
    }
  }
  return out;
}
