// The copy of a backup kept on the host itself (the runbook's habit, input `host-destination`), written
// by a `tee` stage of the same remote pipeline, so the dump runs once for both destinations: under a
// hidden temporary name, compared by SHA-256 with what the runner received, then renamed, its metadata
// beside it. A failure (or a cancelled run) removes the temporary file.
import { basename } from 'node:path';
import { BackupError, scrubSecrets, shellQuote, type BackupMetadata, type RunContext, type SshSession } from '../../../shared/src/index.js';

export interface HostCopy {
  /** The pipeline stage that writes the copy and passes the bytes on. */
  stage: string;
  tempPath: string;
  finalPath: string;
}

/** Creates the directory and names the temporary file; undefined when no host destination was asked for. */
export async function prepareHostCopy(session: SshSession, dir: string | undefined, fileName: string, ctx: RunContext): Promise<HostCopy | undefined> {
  if (!dir) return undefined;
  const finalPath = `${dir.replace(/\/+$/, '')}/${fileName}`;
  const tempPath = `${dir.replace(/\/+$/, '')}/.${fileName}.partial-${process.pid}-${Date.now()}`;
  const mk = await session.exec(`mkdir -p -- ${shellQuote(dir)} && [ -w ${shellQuote(dir)} ]`, { timeoutMs: 15_000 });
  if (mk.code !== 0) throw new BackupError(`the host destination ${dir} on ${session.target.name} cannot be created or written: ${scrubSecrets(mk.stderr.trim()) || `exit ${mk.code}`}`);
  const copy = { stage: `tee -- ${shellQuote(tempPath)}`, tempPath, finalPath };
  ctx.cleanups.add(`remove ${basename(tempPath)} on ${session.target.name} if left`, () => discardHostCopy(session, copy));
  return copy;
}

/** Checks the host's copy against the runner's SHA-256, renames it and writes the metadata beside it. */
export async function publishHostCopy(session: SshSession, copy: HostCopy, metadata: BackupMetadata): Promise<void> {
  const sum = await session.exec(`sha256sum -- ${shellQuote(copy.tempPath)}`, { timeoutMs: 30 * 60_000 });
  const hostSha = sum.stdout.trim().split(/\s+/)[0];
  if (sum.code !== 0 || hostSha !== metadata.sha256) {
    await discardHostCopy(session, copy);
    throw new BackupError(`the copy on ${session.target.name} (${copy.finalPath}) differs from the runner's (sha256 ${hostSha || 'unreadable'} vs ${metadata.sha256}): removed`);
  }
  const meta = `${copy.finalPath}.meta.json`;
  const script = [
    `ln -- ${shellQuote(copy.tempPath)} ${shellQuote(copy.finalPath)}`,
    `rm -f -- ${shellQuote(copy.tempPath)}`,
    `cat > ${shellQuote(`${meta}.partial`)}`,
    `mv -f -- ${shellQuote(`${meta}.partial`)} ${shellQuote(meta)}`
  ].join(' && ');
  const done = await session.exec(script, { stdin: `${JSON.stringify(metadata, null, 2)}\n`, timeoutMs: 60_000 });
  if (done.code !== 0) {
    await discardHostCopy(session, copy);
    throw new BackupError(`the copy on ${session.target.name} could not be put in place: ${scrubSecrets(done.stderr.trim()) || `exit ${done.code}`}`);
  }
}

/** Removes the temporary copy (never the final one). */
export async function discardHostCopy(session: SshSession, copy: HostCopy): Promise<void> {
  if (session.lostReason) return;
  await session.exec(`rm -f -- ${shellQuote(copy.tempPath)}`, { timeoutMs: 15_000 }).catch(() => undefined);
}
