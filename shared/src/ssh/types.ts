// Plain data types of the SSH core: targets, credentials, connection options, exec options and results.
import type { HostKeyPolicy } from './host-key.js';

/** One host to reach: `name` is what reports show, `address` what the socket dials. */
export interface HostTarget {
  name: string;
  address: string;
  port: number;
  user: string;
}

/** Client credentials. Both fields are secrets and are registered before anything is logged. */
export interface SshAuth {
  /** OpenSSH or PEM private key text. */
  privateKey: string;
  passphrase?: string;
}

/** Connection behaviour. Every wait is bounded: nothing here can hang until the job timeout. */
export interface SshOptions {
  /** TCP connect + handshake + auth must finish within this (ssh2 `readyTimeout`). */
  connectTimeoutMs: number;
  /** Default per-command timeout for `exec` (0 = none; callers should always set one). */
  commandTimeoutMs: number;
  /** A keepalive every interval; `countMax` unanswered ones drop the connection. */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Extra attempts of the connect phase only (refused, reset, timeout); auth and host-key failures never retry. */
  connectRetries: number;
  /** Base delay between connect attempts; the real delay (the core's `backoffDelay`) is jittered in [base/2, base*1.5), doubles per attempt and stays under 30 s. */
  connectRetryDelayMs: number;
  /** How many hosts `runOnHosts` works on at once (rolling changes choose their own `maxParallel`). */
  parallel: number;
  /** Optional bastion; the target connection is tunnelled through it with `forwardOut`. */
  jumpHost?: HostTarget;
}

/** Everything needed to open a session to any of the targets. */
export interface SshConnectParams {
  auth: SshAuth;
  hostKeys: HostKeyPolicy;
  options: SshOptions;
}

/** The parsed SSH inputs of an action run (see `readSshInputs`). */
export interface SshSettings extends SshConnectParams {
  targets: HostTarget[];
}

/** Options of one remote command. */
export interface ExecOptions {
  /** Directory to run in; a missing directory fails the command (it never runs in `$HOME`). */
  cwd?: string;
  /** Bytes sent to the command's stdin, then EOF. Without it stdin is closed at once. */
  stdin?: string | Buffer;
  /** Kill the remote process group after this long; defaults to the session's `commandTimeoutMs`. */
  timeoutMs?: number;
  /** Whole decoded lines of stdout as they arrive (no trailing newline). */
  onStdout?: (line: string) => void;
  /** Whole decoded lines of stderr as they arrive (no trailing newline). */
  onStderr?: (line: string) => void;
  /** How many trailing bytes of each stream to keep in the result; default 1 MiB. */
  tailBytes?: number;
  /** Short name of the command for errors and logs (defaults to the command text, shortened). */
  label?: string;
}

/** What a remote command did. `code === null` means the outcome is unknown and must be treated as failure. */
export interface ExecResult {
  /** Exit status; `null` when none arrived (killed by a signal, session killed, connection lost, timeout). */
  code: number | null;
  /** Signal name when the remote process died of a signal. */
  signal?: string;
  /** Last `tailBytes` of stdout / stderr, decoded as UTF-8. */
  stdout: string;
  stderr: string;
  /** True when either stream produced more than `tailBytes` (the start was dropped). */
  truncated: boolean;
  durationMs: number;
  /** True when the local timeout fired and the remote process group was killed. */
  timedOut: boolean;
  /** Why the connection or channel ended without an exit status (keepalive timeout, reset, ...). */
  connectionError?: string;
}

/** Options of a command whose stdout goes to a Writable as raw bytes (`SshSession.execToStream`). */
export interface StreamExecOptions {
  /** Directory to run in; a missing directory fails the command (it never runs in `$HOME`). */
  cwd?: string;
  /** Bytes sent to the (first stage's) stdin, then EOF. Without it stdin is closed at once. */
  stdin?: string | Buffer;
  /** Kill the remote process group after this long; defaults to the session's `commandTimeoutMs`. */
  timeoutMs?: number;
  /** Whole decoded lines of stderr as they arrive (no trailing newline). */
  onStderr?: (line: string) => void;
  /** How many trailing bytes of stderr to keep; default 64 KiB. */
  tailBytes?: number;
  /** Short name of the command for errors and logs (defaults to the stages joined with ` | `, shortened). */
  label?: string;
}

/** One stage of a remote pipeline and its exit status (`null`: it reported none, e.g. it was killed). */
export interface PipelineStage {
  /** 1 for the first stage. */
  index: number;
  command: string;
  code: number | null;
}

/** What a successful `execToStream` did. Failures throw instead (see `SshSession.execToStream`). */
export interface StreamExecResult {
  /** Bytes of stdout written to the destination, which has been ended and has finished. */
  bytes: number;
  /** Last `tailBytes` of stderr, decoded as UTF-8, without the stage-status line. */
  stderr: string;
  /** True when stderr produced more than `tailBytes`. */
  truncated: boolean;
  durationMs: number;
  /** Every stage with exit code 0, when the command was given as stages. */
  stages?: PipelineStage[];
}
