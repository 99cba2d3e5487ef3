// What a host has to clean, read over SSH: disk use of Docker's file system (`df -P -B1`), Docker's disk
// inventory (`docker system df -v`) with every container inspected, and the systemd journal's size
// (where systemd runs: a host without it has no journal to vacuum, and the report says so).
import { assertSucceeded, parseDockerInspect, type ServiceContainer, type SshSession } from '../../../shared/src/index.js';
import { parseSystemDf, type DockerDisk } from './plan-docker.js';

export interface DiskUse {
  path: string;
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
  /** Used share in percent, as df computes it (used / (used + available)). */
  percent: number;
}

/** Parses `df -P -B1 PATH` (the POSIX format: one header line, one line per file system). */
export function parseDf(stdout: string, path: string): DiskUse {
  const line = stdout.trim().split('\n').slice(1).at(-1) ?? '';
  const f = line.trim().split(/\s+/);
  const [size, used, avail] = [Number(f[1]), Number(f[2]), Number(f[3])];
  if (![size, used, avail].every(Number.isFinite)) throw new Error(`could not read df's output for ${path}: '${line.slice(0, 120)}'`);
  return { path, sizeBytes: size, usedBytes: used, availableBytes: avail, percent: used + avail > 0 ? Math.ceil((used * 100) / (used + avail)) : 0 };
}

export async function readDiskUse(session: SshSession, path: string): Promise<DiskUse> {
  const r = await session.exec(`df -P -B1 -- '${path.replace(/'/g, `'\\''`)}'`, { label: 'df', timeoutMs: 30_000 });
  return parseDf(assertSucceeded(session.label, 'df', r).stdout, path);
}

/** Docker's data directory (`/var/lib/docker` by default), or undefined when Docker does not answer. */
export async function readDockerRoot(session: SshSession): Promise<string | undefined> {
  const r = await session.exec("docker info --format '{{.DockerRootDir}}'", { label: 'docker info', timeoutMs: 60_000 });
  return r.code === 0 && r.stdout.trim().startsWith('/') ? r.stdout.trim() : undefined;
}

export interface DockerInventory {
  disk: DockerDisk;
  containers: ServiceContainer[];
}

export async function readDockerInventory(session: SshSession): Promise<DockerInventory> {
  const df = assertSucceeded(session.label, 'docker system df -v', await session.exec("docker system df -v --format '{{json .}}'", { label: 'docker system df -v', timeoutMs: 5 * 60_000, tailBytes: 32 * 1024 * 1024 }));
  const inspect = assertSucceeded(
    session.label,
    'docker inspect',
    await session.exec('ids=$(docker ps -aq --no-trunc) || exit 1; [ -z "$ids" ] && echo "[]" || docker inspect $ids', { label: 'docker inspect', timeoutMs: 2 * 60_000, tailBytes: 32 * 1024 * 1024 })
  );
  return { disk: parseSystemDf(df.stdout), containers: parseDockerInspect(inspect.stdout) };
}

/** The journal: `systemd` false when the host does not run systemd (no /run/systemd/system). */
export interface JournalUse {
  systemd: boolean;
  bytes?: number;
}

export const JOURNAL_COMMAND = 'if [ -d /run/systemd/system ]; then echo systemd; journalctl --disk-usage 2>&1; else echo none; fi; exit 0';

const UNIT: Record<string, number> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Parses `journalctl --disk-usage` ("Archived and active journals take up 1.2G in the file system."). */
export function parseJournalUse(stdout: string): JournalUse {
  const lines = stdout.trim().split('\n');
  if (lines[0]?.trim() !== 'systemd') return { systemd: false };
  const m = /take up (\d+(?:\.\d+)?)([BKMGT])/.exec(lines.slice(1).join(' '));
  return { systemd: true, bytes: m ? Math.round(Number(m[1]) * UNIT[m[2]]) : undefined };
}

export async function readJournalUse(session: SshSession): Promise<JournalUse> {
  const r = await session.exec(JOURNAL_COMMAND, { label: 'journalctl --disk-usage', timeoutMs: 60_000 });
  return parseJournalUse(assertSucceeded(session.label, 'journalctl --disk-usage', r).stdout);
}
