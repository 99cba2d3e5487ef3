// The edges of the Docker daemon's log (issue 14's mutation testing of daemon-log.ts): the line count
// clamped and floored, the whole script, the mode line with CRLF or alone, and trailing blank lines.
import { describe, expect, it } from '@jest/globals';
import { daemonLogScript, noSystemdNote, parseDaemonLog, type DaemonLog } from '../src/hosts/daemon-log.js';

describe('daemonLogScript', () => {
  it('asks journalctl for the docker unit where systemd runs, as the deploy user or through sudo -n', () => {
    expect(daemonLogScript(50)).toBe(
      [
        'if [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then',
        '  echo @@journal',
        '  journalctl -u docker --no-pager -n 50 2>&1 || sudo -n journalctl -u docker --no-pager -n 50 2>&1',
        'else echo @@no-systemd; fi'
      ].join('\n')
    );
  });

  it.each([
    [0, 1],
    [-5, 1],
    [1, 1],
    [7.9, 7],
    [500, 500],
    [501, 500]
  ])('%d lines asks for %d', (lines, n) => {
    expect(daemonLogScript(lines).match(/-n (\d+)/g)).toEqual([`-n ${n}`, `-n ${n}`]);
  });
});

describe('parseDaemonLog', () => {
  it.each<[string, string, DaemonLog]>([
    ['the journal, trailing blank lines dropped', '@@journal\nline 1\n\nline 2\n\n\n', { kind: 'journal', text: 'line 1\n\nline 2' }],
    ['the journal over CRLF', '@@journal \r\nline 1', { kind: 'journal', text: 'line 1' }],
    ['the mode line alone', '@@journal', { kind: 'journal', text: '' }],
    ['the mode line and an empty journal', '@@journal\n', { kind: 'journal', text: '' }],
    ['a blank first line is not the mode line', '\n@@journal\nline 1', { kind: 'no-systemd' }],
    ['a blank first line before the mode line alone', '\n@@journal\n', { kind: 'no-systemd' }],
    ['no systemd', '@@no-systemd\n', { kind: 'no-systemd' }],
    ['anything else', 'sh: journalctl: not found\n@@journal\n', { kind: 'no-systemd' }]
  ])('%s', (_name, stdout, want) => {
    expect(parseDaemonLog(stdout)).toStrictEqual(want);
  });
});

describe('noSystemdNote', () => {
  it('says where the daemon log is not, and why', () => {
    expect(noSystemdNote('app1')).toBe(
      "app1: systemd is not running (no /run/systemd/system), so there is no `journalctl -u docker`; the Docker daemon's log is wherever the host's init starts dockerd writing it."
    );
  });
});
