// The runbook's "Backup application volumes" (`sudo tar czf app_data.tar.gz /opt/a2a-world/data`), as
// `tar -cf - data | zstd -T2 -1` on the host with every stage's exit checked (GNU tar's "file changed
// as we read it" fails the backup: a copy of a moving target is not trusted), streamed to the runner,
// listed with `tar -t` before it is renamed into place.
import { mkdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import {
  BackupError,
  LineSplitter,
  MeteredFile,
  backupStamp,
  publishBackup,
  readBackupMetadata,
  runLocalPipeline,
  scrubSecrets,
  shellQuote,
  temporaryPathFor,
  type RunContext,
  type SshSession
} from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';
import { discardHostCopy, prepareHostCopy, publishHostCopy } from './host-copy.js';
import { progressLog, type BackupOutcome } from './types.js';

const TAR_TIMEOUT_MS = 6 * 3600_000;

/** Lists a tar stream (`zstd -dc FILE | tar -tf -`, or `tar -tf -` fed by `stdin`) and counts its entries; throws BackupError when unreadable or empty. */
export async function countTarEntries(stages: Parameters<typeof runLocalPipeline>[0], what: string, opts: Parameters<typeof runLocalPipeline>[2] = {}): Promise<number> {
  let entries = 0;
  const lines = new LineSplitter(() => entries++);
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk);
      done();
    },
    final(done) {
      lines.end();
      done();
    }
  });
  try {
    await runLocalPipeline([...stages, { file: 'tar', args: ['-tf', '-'], name: 'tar -t' }], sink, opts);
  } catch (err) {
    throw new BackupError(`${what} is not a readable tar archive: ${(err as Error).message}`);
  }
  if (entries === 0) throw new BackupError(`${what} holds no files.`);
  return entries;
}

export async function backUpVolumes(inputs: BackupInputs, ctx: RunContext, session: SshSession): Promise<BackupOutcome> {
  const host = session.target.name;
  const log = progressLog(ctx, host);
  const createdAt = new Date();
  const started = performance.now();
  const label = `volumes-${host}`;
  await mkdir(inputs.destination, { recursive: true });
  const finalPath = join(inputs.destination, `${label}-${backupStamp(createdAt)}.tar.zst`);
  const tempPath = temporaryPathFor(finalPath);
  const tar = `tar -C ${shellQuote(dirname(inputs.dataDir))} -cf - ${shellQuote(basename(inputs.dataDir))}`;
  log(`tar of ${inputs.dataDir} | zstd on ${host} → ${inputs.destination}`);
  const hostCopy = await prepareHostCopy(session, inputs.hostDestination, basename(finalPath), ctx);
  const sink = new MeteredFile(tempPath, 'volumes transfer', log);
  try {
    try {
      await session.execToStream([tar, 'zstd -q -c -T2 -1', ...(hostCopy ? [hostCopy.stage] : [])], sink, { timeoutMs: TAR_TIMEOUT_MS, label: `tar ${inputs.dataDir} | zstd`, onStderr: (l) => log(scrubSecrets(l)) });
    } catch (err) {
      throw new BackupError(`the volumes backup of ${inputs.dataDir} on ${host} failed: ${scrubSecrets((err as Error).message)}. No backup was written.`);
    }
    const sha256 = sink.digest();
    const entries = await countTarEntries([{ file: 'zstd', args: ['-dc', '-q', '--', tempPath], name: 'zstd' }], finalPath, { signal: ctx.signal });
    const published = await publishBackup(tempPath, finalPath, {
      kind: 'volumes',
      label,
      createdAt: createdAt.toISOString(),
      sizeBytes: sink.bytes,
      sha256,
      durationMs: Math.round(performance.now() - started),
      content: 'tar',
      compression: 'zstd',
      encryption: 'none',
      restoreCommand: `zstd -dc FILE | sudo tar -x -C ${dirname(inputs.dataDir)}`,
      source: `${host}:${inputs.dataDir}`,
      verification: { status: 'checked', at: new Date().toISOString(), detail: `every stage exited 0; tar -t listed ${entries} entries` }
    });
    if (hostCopy) await publishHostCopy(session, hostCopy, published.metadata);
    return { target: 'volumes', host, path: finalPath, metadataPath: published.metadataPath, metadata: await readBackupMetadata(published.metadataPath) };
  } catch (err) {
    sink.destroy();
    await unlink(tempPath).catch(() => undefined);
    if (hostCopy) await discardHostCopy(session, hostCopy);
    throw err;
  }
}
