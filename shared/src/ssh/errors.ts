// Error types of the SSH core. Each says which host, what happened and, where it can, what to do.
import type { HostTarget, PipelineStage } from './types.js';

/** Where a connection attempt failed: only `connect` (TCP, handshake timeout) is ever retried. */
export type SshFailurePhase = 'connect' | 'handshake' | 'auth' | 'host-key' | 'jump';

/** The host presented a key that is not pinned. Raised during the handshake, before any authentication. */
export class HostKeyMismatchError extends Error {
  override name = 'HostKeyMismatchError';
  constructor(
    readonly host: string,
    /** Pinned `SHA256:` fingerprints for this host. */
    readonly expected: readonly string[],
    /** `SHA256:` fingerprint of the key the host presented. */
    readonly presented: string,
    readonly presentedType: string
  ) {
    super(
      `Host key of ${host} does not match the pinned key: expected ${expected.join(' or ')}, ` +
        `presented ${presented} (${presentedType}). The connection was aborted during the handshake, before ` +
        `authentication. If the key was rotated on purpose, update 'ssh-fingerprint' or 'ssh-known-hosts'; ` +
        `otherwise treat this as a possible man-in-the-middle.`
    );
  }
}

/** A connection could not be opened (refused, unreachable, timed out, authentication refused). */
export class SshConnectError extends Error {
  override name = 'SshConnectError';
  constructor(
    readonly host: string,
    readonly phase: SshFailurePhase,
    message: string,
    /** How many attempts were made before giving up. */
    readonly attempts: number,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }
}

/** A remote command failed: non-zero exit, killed, timed out, or its outcome is unknown (`code === null`). */
export class RemoteCommandError extends Error {
  override name = 'RemoteCommandError';
  constructor(
    readonly host: string,
    readonly label: string,
    readonly code: number | null,
    /** The last part of the command's stderr (already scrubbed of secrets). */
    readonly stderrTail: string,
    readonly detail: string
  ) {
    super(`${label} on ${host} ${detail}${stderrTail ? `; stderr ends with:\n${stderrTail}` : ''}`);
  }
}

/** A stage of a remote pipeline (`execToStream` with stages) failed: which one, with which exit code. */
export class PipelineStageError extends RemoteCommandError {
  override name = 'PipelineStageError';
  constructor(
    host: string,
    label: string,
    /** The stage the failure is blamed on (see `execToStream`), 1-based. */
    readonly stage: number,
    /** Its command text. */
    readonly stageCommand: string,
    /** Every stage with its exit status. */
    readonly stages: readonly PipelineStage[],
    stderrTail: string,
    detail: string
  ) {
    super(host, label, stages[stage - 1]?.code ?? null, stderrTail, detail);
  }
}

/** The connection to a host broke (keepalive timeout, reset) while it was in use. */
export class SshConnectionLostError extends Error {
  override name = 'SshConnectionLostError';
  constructor(readonly host: string, readonly reason: string) {
    super(`connection to ${host} was lost: ${reason}`);
  }
}

/** `name (address:port)` as reports and errors show a target. */
export function describeTarget(t: Pick<HostTarget, 'name' | 'address' | 'port'>): string {
  const addr = t.address.includes(':') ? `[${t.address}]:${t.port}` : `${t.address}:${t.port}`;
  return t.name && t.name !== t.address ? `${t.name} (${addr})` : addr;
}

/** The remote login shell is not POSIX, is restricted, or the key runs a forced command. */
export class SshProbeError extends Error {
  override name = 'SshProbeError';
  constructor(readonly host: string, message: string) {
    super(message);
  }
}
