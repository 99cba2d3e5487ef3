// What `apt-get -s upgrade` says it would do: the packages it would upgrade (from which version to
// which, from which archive), which of them are security updates, and what it keeps back.

/** One package `apt-get upgrade` would upgrade. */
export interface UpgradablePackage {
  name: string;
  /** Installed version ('' for a package upgrade would newly install, which `upgrade` never does). */
  from: string;
  to: string;
  /** The archives offering `to`, as apt prints them: `Debian-Security:12/stable-security`. */
  origins: string[];
  arch: string;
  /** Offered by a security archive (its suite ends in `-security`, or its label says Security). */
  security: boolean;
}

/** The simulation's result. */
export interface UpgradePlan {
  packages: UpgradablePackage[];
  /** Packages `upgrade` holds back (they need new packages or removals: `full-upgrade` territory). */
  keptBack: string[];
  /** apt's own count line, when printed: `2 upgraded, 0 newly installed, 0 to remove and 1 not upgraded.` */
  summary?: { upgraded: number; newlyInstalled: number; remove: number; notUpgraded: number };
}

// `Inst name [from] (to origin1, origin2 [arch])`, optionally followed by ` []` or dependency notes.
const INST = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+) (.*?) \[([^\]]+)\]\)/;
const SUMMARY = /^(\d+) upgraded, (\d+) newly installed, (\d+) to remove and (\d+) not upgraded\./;

/**
 * True for an archive that carries security updates: Debian's `Debian-Security:12/stable-security`
 * and `bookworm-security`, Ubuntu's `Ubuntu:22.04/jammy-security`, or any label naming Security.
 */
export function isSecurityOrigin(origin: string): boolean {
  const [label, suite = ''] = origin.split('/');
  return /-security$/i.test(suite) || /(^|[-_ ])security(:|$|[-_ ])/i.test(label);
}

/** Parses the output of `apt-get -s upgrade` (any locale-independent `Inst` lines; the rest is ignored). */
export function parseSimulatedUpgrade(text: string): UpgradePlan {
  const packages: UpgradablePackage[] = [];
  const keptBack: string[] = [];
  let summary: UpgradePlan['summary'];
  let inKeptBack = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^The following packages have been kept back:/.test(line)) {
      inKeptBack = true;
      continue;
    }
    if (inKeptBack) {
      if (/^\s+\S/.test(line)) {
        keptBack.push(...line.trim().split(/\s+/));
        continue;
      }
      inKeptBack = false;
    }
    const s = SUMMARY.exec(line);
    if (s) summary = { upgraded: Number(s[1]), newlyInstalled: Number(s[2]), remove: Number(s[3]), notUpgraded: Number(s[4]) };
    const m = INST.exec(line);
    if (!m) continue;
    const origins = m[4]
      .split(/,\s*/)
      .map((o) => o.trim())
      .filter(Boolean);
    packages.push({ name: m[1], from: m[2] ?? '', to: m[3], origins, arch: m[5], security: origins.some(isSecurityOrigin) });
  }
  return { packages, keptBack, summary };
}
