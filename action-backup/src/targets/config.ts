// The runbook's "Backup configuration" (`tar czf config_backup.tar.gz infrastructure/ .env.production`),
// taken from the compose project directory on the host, where those files really live, and encrypted
// with age on the runner before a byte reaches the disk: it holds secrets. Decrypts with the standard
// `age` CLI (`age -d -i key.txt FILE | tar -x`), no need for this action.
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  BackupError,
  MeteredFile,
  backupStamp,
  publishBackup,
  readBackupMetadata,
  scrubSecrets,
  shellQuote,
  temporaryPathFor,
  type ComposeProject,
  type RunContext,
  type SshSession
} from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';
import { countTarEntries } from './volumes.js';
import { progressLog, type BackupOutcome } from './types.js';

/** What the config backup takes from the project directory, when present. */
export function configPaths(project: ComposeProject): string[] {
  const wanted = [project.file ?? 'docker-compose.yml', 'docker-compose.yml', 'docker-compose.production.yml', project.envFile ?? '.env.production', '.env.production', 'infrastructure'];
  return [...new Set(wanted.map((p) => p.replace(/^\.\//, '')).filter((p) => !p.startsWith('/')))];
}

/** The age library, loaded only when a config backup is taken or checked. */
async function loadAge(): Promise<typeof import('age-encryption')> {
  return import('age-encryption');
}

/** A Node stream of `input` encrypted for the recipient of `identity` (age v1 format, X25519). */
export async function encryptStream(input: Readable, identity: string): Promise<Readable> {
  const age = await loadAge();
  const encrypter = new age.Encrypter();
  encrypter.addRecipient(await age.identityToRecipient(identity));
  const web = await encrypter.encrypt(Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>);
}

/** A Node stream of the decrypted content of `input` (throws while reading when the key is wrong). */
export async function decryptStream(input: Readable, identity: string): Promise<Readable> {
  const age = await loadAge();
  const decrypter = new age.Decrypter();
  decrypter.addIdentity(identity);
  const web = await decrypter.decrypt(Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>);
}

export async function backUpConfig(inputs: BackupInputs, ctx: RunContext, session: SshSession, project: ComposeProject): Promise<BackupOutcome> {
  const host = session.target.name;
  const log = progressLog(ctx, host);
  const createdAt = new Date();
  const started = performance.now();
  const label = `config-${host}`;
  await mkdir(inputs.destination, { recursive: true });
  const finalPath = join(inputs.destination, `${label}-${backupStamp(createdAt)}.tar.age`);
  const tempPath = temporaryPathFor(finalPath);
  const paths = configPaths(project);
  // Only the paths that exist; none at all is a failure, not an empty backup.
  const script = [
    `cd -- ${shellQuote(project.dir)} || exit 2`,
    'set --',
    `for f in ${paths.map(shellQuote).join(' ')}; do [ -e "$f" ] && set -- "$@" "$f"; done`,
    `[ $# -gt 0 ] || { echo "none of ${paths.join(', ')} exists in ${project.dir}" >&2; exit 3; }`,
    'tar -cf - "$@"'
  ].join('\n');
  log(`tar of ${paths.join(', ')} in ${project.dir} on ${host}, encrypted with age on the runner → ${inputs.destination}`);
  const plain = new PassThrough();
  const sink = new MeteredFile(tempPath, 'config transfer', log);
  try {
    const encrypted = await encryptStream(plain, inputs.encryptionKey!);
    const writing = pipeline(encrypted, sink);
    try {
      await Promise.all([session.execToStream([script], plain, { timeoutMs: 10 * 60_000, label: `tar config in ${project.dir}` }), writing]);
    } catch (err) {
      plain.destroy();
      await writing.catch(() => undefined);
      throw new BackupError(`the config backup on ${host} failed: ${scrubSecrets((err as Error).message)}. No backup was written.`);
    }
    const sha256 = sink.digest();
    const { createReadStream } = await import('node:fs');
    const entries = await countTarEntries([], finalPath, { signal: ctx.signal, stdin: await decryptStream(createReadStream(tempPath), inputs.encryptionKey!) });
    const published = await publishBackup(tempPath, finalPath, {
      kind: 'config',
      label,
      createdAt: createdAt.toISOString(),
      sizeBytes: sink.bytes,
      sha256,
      durationMs: Math.round(performance.now() - started),
      content: 'tar',
      compression: 'none',
      encryption: 'age',
      restoreCommand: 'age -d -i KEY_FILE FILE | tar -x -C DIRECTORY',
      source: `${host}:${project.dir}`,
      verification: { status: 'checked', at: new Date().toISOString(), detail: `encrypted with age; decrypted with the key and tar -t listed ${entries} entries` }
    });
    return { target: 'config', host, path: finalPath, metadataPath: published.metadataPath, metadata: await readBackupMetadata(published.metadataPath) };
  } catch (err) {
    sink.destroy();
    await unlink(tempPath).catch(() => undefined);
    throw err;
  }
}
