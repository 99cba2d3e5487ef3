// Local backups on a host beyond their retention, decided by the backup core: every `*.meta.json` in the
// backup directory is read over SSH and checked by `parseBackupMetadata`; each kind and label (one
// database, the volumes, the config) gets its own `planRetention`, which never removes the newest
// verified backup. A metadata file that cannot be read is reported and its backup never touched.
import {
  METADATA_SUFFIX,
  assertSucceeded,
  isVerified,
  parseBackupMetadata,
  planRetention,
  shellQuote,
  type BackupEntry,
  type RetentionPolicy,
  type SshSession
} from '../../../shared/src/index.js';

export interface BackupRemoval {
  path: string;
  metadataPath: string;
  label: string;
  createdAt: Date;
  sizeBytes: number;
}

export interface BackupPlan {
  remove: BackupRemoval[];
  keep: number;
  unreadable: Array<{ path: string; reason: string }>;
}

const MARK = '--a2a-host-meta ';

/** Lists every metadata file in `dir` with its content, one block per file after a marker line. */
export function listMetadataCommand(dir: string): string {
  const d = shellQuote(dir.replace(/\/+$/, ''));
  return `[ -d ${d} ] || { echo "no such directory" >&2; exit 3; }; for f in ${d}/*${METADATA_SUFFIX}; do [ -f "$f" ] || continue; case "$(basename -- "$f")" in .*) continue;; esac; printf '\\n${MARK}%s\\n' "$f"; cat -- "$f"; done; exit 0`;
}

/** Parses the listing and plans retention per kind and label (pure). */
export function planBackupCleanup(listing: string, dir: string, policy: RetentionPolicy, now: Date): BackupPlan {
  const groups = new Map<string, Array<BackupEntry & { metadataPath: string; label: string }>>();
  const unreadable: BackupPlan['unreadable'] = [];
  for (const block of listing.split(`\n${MARK}`).slice(1)) {
    const nl = block.indexOf('\n');
    const metadataPath = (nl < 0 ? block : block.slice(0, nl)).trim();
    try {
      const metadata = parseBackupMetadata(JSON.parse(nl < 0 ? '' : block.slice(nl + 1)) as unknown, metadataPath);
      const key = `${metadata.kind}:${metadata.label}`;
      const entry = { path: `${dir.replace(/\/+$/, '')}/${metadata.file}`, createdAt: new Date(metadata.createdAt), verified: isVerified(metadata), sizeBytes: metadata.sizeBytes, metadataPath, label: key };
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    } catch (e) {
      unreadable.push({ path: metadataPath, reason: (e as Error).message.slice(0, 200) });
    }
  }
  const remove: BackupRemoval[] = [];
  let keep = 0;
  for (const entries of groups.values()) {
    const plan = planRetention(entries, policy, now);
    keep += plan.keep.length;
    for (const e of plan.remove) {
      const full = entries.find((x) => x.path === e.path) as (typeof entries)[number];
      remove.push({ path: e.path, metadataPath: full.metadataPath, label: full.label, createdAt: e.createdAt, sizeBytes: e.sizeBytes });
    }
  }
  return { remove, keep, unreadable };
}

export async function readBackupPlan(session: SshSession, dir: string, policy: RetentionPolicy, now: Date): Promise<BackupPlan> {
  const r = await session.exec(listMetadataCommand(dir), { label: 'list the local backups', timeoutMs: 60_000, tailBytes: 16 * 1024 * 1024 });
  if (r.code === 3) throw new Error(`${session.label}: the backup directory ${dir} does not exist`);
  return planBackupCleanup(assertSucceeded(session.label, 'list the local backups', r).stdout, dir, policy, now);
}
