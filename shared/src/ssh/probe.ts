// Login-shell probe: proves the remote user's shell is POSIX and not restricted or a forced command. Fails closed.
import { SshProbeError } from './errors.js';
import type { SshSession } from './session.js';

/** What the probe sends, unwrapped: arithmetic expansion, `/` in a command name, and `setsid` present. */
export const PROBE_COMMAND = "echo a2a-probe:$((6*7)) && /bin/sh -c 'echo a2a-sh:$((6*6))' && command -v setsid >/dev/null && echo a2a-setsid:yes";
const EXPECTED = 'a2a-probe:42\na2a-sh:36\na2a-setsid:yes\n';

/**
 * Runs a tiny POSIX-only expression through the user's login shell and throws SshProbeError unless
 * the answer is exact. Catches fish (no `$((…))`), rbash (no `/` in command names), a forced command
 * in authorized_keys (prints something else), and a host without `setsid` (needed to kill timed-out commands).
 */
export async function probeShell(session: SshSession, timeoutMs = 15_000): Promise<void> {
  const result = await session.execRaw(PROBE_COMMAND, timeoutMs);
  if (result.code === 0 && result.stdout === EXPECTED) return;
  const seen = JSON.stringify(result.stdout.slice(0, 120));
  const why = result.code === null ? 'gave no exit status' : `exited ${result.code}`;
  throw new SshProbeError(
    session.label,
    `the login shell of '${session.target.user}' on ${session.label} did not answer the POSIX probe (it ${why} and printed ${seen}). ` +
      `The user needs a POSIX login shell (sh/bash/dash, not fish or rbash), no forced command on the key, and 'setsid' (util-linux) installed.`
  );
}
