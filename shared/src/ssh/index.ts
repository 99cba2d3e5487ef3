// SSH: connections with pinned host keys, streamed exec (text lines, or raw bytes into a Writable with every
// pipeline stage checked), fan-out (bounded, or rolling), remote process control, quoting, validation.
export type { HostTarget, SshAuth, SshOptions, SshConnectParams, SshSettings, ExecOptions, ExecResult, StreamExecOptions, StreamExecResult, PipelineStage } from './types.js';
export { HostKeyMismatchError, SshConnectError, RemoteCommandError, PipelineStageError, SshConnectionLostError, SshProbeError, describeTarget } from './errors.js';
export type { SshFailurePhase } from './errors.js';
export { parseHostSpec } from './host-spec.js';
export type { HostSpecDefaults } from './host-spec.js';
export {
  HostKeyPolicy,
  HOST_KEY_TYPES,
  fingerprintOf,
  keyTypeOf,
  normalizeFingerprint,
  parseFingerprints,
  parseKnownHosts,
  knownHostsName
} from './host-key.js';
export type { PinnedKey, HostKeyCheck } from './host-key.js';
export { SshSession } from './session.js';
export { assertSucceeded, wrapCommand, killGroupCommand, commandLabel } from './exec.js';
export type { RawExecResult } from './exec.js';
export { pipelineCommand, extractStageStatuses, blamedStage, STREAM_STDERR_TAIL_BYTES } from './exec-stream.js';
export type { StreamCommand } from './exec-stream.js';
export { TailBuffer, LineSplitter, DEFAULT_TAIL_BYTES, MAX_LINE_CHARS } from './stream.js';
export { SshPool, HostLog, runOnHosts, runOnHostsRolling } from './pool.js';
export { openTunnel } from './tunnel.js';
export type { SshTunnel } from './tunnel.js';
export type { HostOutcome, RollingHostOutcome, SkippedHostOutcome, RollingOptions } from './pool.js';
export { shellQuote, shellJoin } from './quote.js';
export { assertServiceName, assertImageTag, assertVersion, assertRemotePath, assertDatabaseName } from './validate.js';
export { probeShell, PROBE_COMMAND } from './probe.js';
export { logRemoteOutput, stopCommandsToken } from './remote-output.js';
export { readSshInputs, readSshConnectParams, resolveHostEntry, assertPrivateKey, DEFAULT_SSH_USER, CONNECT_RETRIES, CONNECT_RETRY_DELAY_MS } from './inputs.js';
export { UndoSessions } from './undo-session.js';
