// The runbook's `ssh deploy@<app-server> "sudo journalctl -u docker -f"`, bounded: the Docker daemon's
// recent log where systemd runs; where it does not (containers, this lab), said plainly instead.

/** The remote script: first line `@@journal` (then journalctl's output) or `@@no-systemd`. */
export function daemonLogScript(lines: number): string {
  const n = Math.max(1, Math.min(500, Math.floor(lines)));
  return [
    'if [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then',
    '  echo @@journal',
    `  journalctl -u docker --no-pager -n ${n} 2>&1 || sudo -n journalctl -u docker --no-pager -n ${n} 2>&1`,
    'else echo @@no-systemd; fi'
  ].join('\n');
}

/** What the daemon-log script found on one host. */
export type DaemonLog = { kind: 'journal'; text: string } | { kind: 'no-systemd' };

export function parseDaemonLog(stdout: string): DaemonLog {
  const nl = stdout.indexOf('\n');
  const first = (nl < 0 ? stdout : stdout.slice(0, nl)).trim();
  if (first === '@@journal') return { kind: 'journal', text: nl < 0 ? '' : stdout.slice(nl + 1).replace(/\n+$/, '') };
  return { kind: 'no-systemd' };
}

/** The sentence for a host without systemd. */
export function noSystemdNote(host: string): string {
  return `${host}: systemd is not running (no /run/systemd/system), so there is no \`journalctl -u docker\`; the Docker daemon's log is wherever the host's init starts dockerd writing it.`;
}
