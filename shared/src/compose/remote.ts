// What the compose module needs from an SSH session, and the one way it words a failed remote command.
import { scrubSecrets } from '../secrets.js';
import type { SshSession } from '../ssh/session.js';
import type { ExecResult } from '../ssh/types.js';

/**
 * The part of an SshSession the compose module uses: run a command, name the host. An SshSession is
 * one; detection results are cached per such object.
 */
export type ComposeSession = Pick<SshSession, 'exec' | 'target'>;

/** Default bound on one docker/compose command of this module. */
export const DOCKER_COMMAND_TIMEOUT_MS = 30_000;

/** The shell's "command not found" status: the CLI is not installed (or not on the login PATH). */
export const COMMAND_NOT_FOUND = 127;

/** First lines of a failed command's stderr, scrubbed: what the host said, short enough for a report. */
export function remoteWords(result: ExecResult, lines = 3): string {
  return scrubSecrets(
    result.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, lines)
      .join(' | ')
  ).slice(0, 500);
}

/** Why a command did not succeed, in a few words: timed out, lost connection, its stderr, or its code. */
export function whyFailed(result: ExecResult, timeoutMs: number): string {
  if (result.timedOut) return `timed out after ${timeoutMs} ms`;
  if (result.code === null) return `ended without an exit status (${scrubSecrets(result.connectionError ?? 'connection lost')})`;
  return remoteWords(result) || `exit code ${result.code}`;
}
