// Pure parser of the batched metrics script's output (see metrics-script.ts) into typed host metrics.
import type { DockerInfo } from './collect-containers.js';

/** One CPU/memory sample: CPU % since the previous read of /proc/stat, memory in use at the read. */
export interface HostSample {
  /** Index of the read (0 = first); CPU is absent for read 0 (a percentage needs two reads). */
  index: number;
  cpuPercent?: number;
  memoryPercent: number;
}

export interface DiskUsage {
  filesystem: string;
  mount: string;
  sizeKb: number;
  usedKb: number;
  availableKb: number;
  /** Used share of the space a user can fill, as df computes it: used / (used + available). */
  usedPercent: number;
}

export interface HostMetrics {
  samples: HostSample[];
  memoryTotalKb: number;
  memoryAvailableKb: number;
  load: [number, number, number];
  cpus: number;
  uptimeSeconds: number;
  disks: DiskUsage[];
  /** The compose project's containers, read beside the script (collect-containers.ts). */
  docker: DockerInfo;
}

/** What the script itself reports: everything but the containers. */
export type ProcMetrics = Omit<HostMetrics, 'docker'>;

/** Filesystems that are not disks: memory-backed, kernel views, container layers. */
const PSEUDO_FS = new Set(['tmpfs', 'devtmpfs', 'overlay', 'shm', 'udev', 'none', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'nsfs']);
const PSEUDO_MOUNT = /^\/(proc|sys|dev|run)(\/|$)|^\/var\/lib\/docker\/|^\/snap\//;

/**
 * Parses the script output. `marker` is the per-run section marker given to the script.
 * `mounts`: when non-empty, only these mount points are reported (in that order) whatever their type.
 * Throws when a section the script always prints is missing: the remote side is not what we think it is.
 */
export function parseMetrics(output: string, marker: string, mounts: string[] = []): ProcMetrics {
  const sections = splitSections(output, marker);
  const samples = parseSamples(sections);
  const lastMem = lastMemory(sections);
  const loadavg = required(sections, 'loadavg').trim().split(/\s+/).slice(0, 3).map(Number);
  const uptime = Number(required(sections, 'uptime').trim().split(/\s+/)[0]);
  const cpus = Number(required(sections, 'nproc').trim()) || 1;
  if (loadavg.length !== 3 || loadavg.some((n) => !Number.isFinite(n))) throw new Error('metrics: /proc/loadavg could not be read');
  return {
    samples,
    memoryTotalKb: lastMem.total,
    memoryAvailableKb: lastMem.available,
    load: loadavg as [number, number, number],
    cpus,
    uptimeSeconds: uptime,
    disks: parseDf(required(sections, 'df'), mounts)
  };
}

type Sections = Map<string, string>;

function splitSections(output: string, marker: string): Sections {
  const sections: Sections = new Map();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (name !== undefined) sections.set(name, lines.join('\n'));
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(`${marker} `)) {
      flush();
      name = line.slice(marker.length + 1).trim();
      lines = [];
    } else if (name !== undefined) lines.push(line);
  }
  flush();
  return sections;
}

function required(sections: Sections, name: string): string {
  const s = sections.get(name);
  if (s === undefined) throw new Error(`metrics: the remote output has no '${name}' section (is /proc readable and sh POSIX?)`);
  return s;
}

/** CPU % between two /proc/stat `cpu` lines: busy share of all jiffies (idle + iowait count as idle). */
export function cpuPercentBetween(a: string, b: string): number {
  const parse = (line: string): { total: number; idle: number } => {
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((s, n) => s + (Number.isFinite(n) ? n : 0), 0);
    return { total, idle: (f[3] ?? 0) + (f[4] ?? 0) };
  };
  const x = parse(a);
  const y = parse(b);
  const dt = y.total - x.total;
  if (dt <= 0) return 0;
  return round1(((dt - (y.idle - x.idle)) / dt) * 100);
}

function parseSamples(sections: Sections): HostSample[] {
  const out: HostSample[] = [];
  let prevCpu: string | undefined;
  for (let k = 0; sections.has(`sample ${k}`); k++) {
    const text = sections.get(`sample ${k}`) ?? '';
    const cpuLine = text.split('\n').find((l) => /^cpu\s/.test(l));
    const mem = memoryOf(text);
    out.push({
      index: k,
      cpuPercent: prevCpu && cpuLine ? cpuPercentBetween(prevCpu, cpuLine) : undefined,
      memoryPercent: mem.total ? round1(((mem.total - mem.available) / mem.total) * 100) : 0
    });
    prevCpu = cpuLine;
  }
  if (out.length === 0) throw new Error("metrics: the remote output has no 'sample' section");
  return out;
}

function memoryOf(text: string): { total: number; available: number } {
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { total: kb('MemTotal'), available: kb('MemAvailable') };
}

function lastMemory(sections: Sections): { total: number; available: number } {
  let k = 0;
  while (sections.has(`sample ${k + 1}`)) k++;
  return memoryOf(sections.get(`sample ${k}`) ?? '');
}

/** Parses `df -P -k`. Mount points may contain spaces, so the mount is everything after the 5th field. */
export function parseDf(text: string, mounts: string[] = []): DiskUsage[] {
  const all: DiskUsage[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const [, filesystem, size, used, avail, mount] = m;
    const usedKb = Number(used);
    const availableKb = Number(avail);
    const usable = usedKb + availableKb;
    all.push({ filesystem, mount, sizeKb: Number(size), usedKb, availableKb, usedPercent: usable ? round1((usedKb / usable) * 100) : 0 });
  }
  if (mounts.length) return mounts.flatMap((mp) => all.filter((d) => d.mount === mp).slice(-1));
  const seen = new Set<string>();
  return all.filter((d) => {
    // Under 1 MiB is a placeholder mount, not a disk (a named `disk-mounts` entry is still reported).
    if (PSEUDO_FS.has(d.filesystem) || PSEUDO_MOUNT.test(d.mount) || d.sizeKb < 1024) return false;
    // The same device bind-mounted twice is one disk: report it once, at its first mount point.
    if (seen.has(d.filesystem)) return false;
    seen.add(d.filesystem);
    return true;
  });
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
