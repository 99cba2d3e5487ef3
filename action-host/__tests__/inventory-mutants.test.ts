// The df and journal readings the clean-up decides by, at their edges (issue 14's mutation testing): the last
// file system df lists, a full or an empty one, output it cannot read (quoted, and cut at 120 characters),
// and journalctl's size with every unit, wrapped or padded.
import { describe, expect, it } from '@jest/globals';
import { parseDf, parseJournalUse } from '../src/cleanup/inventory.js';

const HEADER = 'Filesystem 1-blocks Used Available Capacity Mounted on';

describe('parseDf at its edges', () => {
  it.each([
    { name: 'the last of three file systems', rows: ['/dev/a 10 1 9 10% /', '/dev/b 20 2 18 10% /b', '/dev/c 300 100 200 34% /c'], want: { sizeBytes: 300, usedBytes: 100, availableBytes: 200, percent: 34 } },
    { name: 'a share rounded up', rows: ['/dev/a 3 1 2 34% /'], want: { sizeBytes: 3, usedBytes: 1, availableBytes: 2, percent: 34 } },
    { name: 'a full file system', rows: ['/dev/a 5 5 0 100% /'], want: { sizeBytes: 5, usedBytes: 5, availableBytes: 0, percent: 100 } },
    { name: 'an empty one', rows: ['/dev/a 5 0 5 0% /'], want: { sizeBytes: 5, usedBytes: 0, availableBytes: 5, percent: 0 } },
    { name: 'columns several spaces apart', rows: ['/dev/a   300  100    200  34% /'], want: { sizeBytes: 300, usedBytes: 100, availableBytes: 200, percent: 34 } },
    { name: 'one without any space', rows: ['  tmpfs   0   0   0  -  /x  '], want: { sizeBytes: 0, usedBytes: 0, availableBytes: 0, percent: 0 } }
  ])('reads $name', ({ rows, want }) => {
    expect(parseDf(`${HEADER}\n${rows.join('\n')}\n`, '/p')).toEqual({ path: '/p', ...want });
  });

  it.each([
    { name: 'a header only', out: `${HEADER}\n`, line: '' },
    { name: 'a column that is not a number', out: `${HEADER}\n/dev/a 10 x 9 10% /\n`, line: '/dev/a 10 x 9 10% /' },
    { name: 'no available column', out: `${HEADER}\n/dev/a 10 1\n`, line: '/dev/a 10 1' },
    { name: 'a long line', out: `${HEADER}\n${'y'.repeat(200)}\n`, line: 'y'.repeat(120) }
  ])('refuses $name', ({ out, line }) => {
    expect(() => parseDf(out, '/p')).toThrow(new Error(`could not read df's output for /p: '${line}'`));
  });
});

describe('parseJournalUse at its edges', () => {
  it.each([
    { out: ' systemd \nArchived and active journals take up 512B in the file system.', want: { systemd: true, bytes: 512 } },
    { out: 'systemd\nArchived and active journals take up 1.5K in the file system.', want: { systemd: true, bytes: 1536 } },
    { out: 'systemd\nArchived and active journals take up 2T in the file system.', want: { systemd: true, bytes: 2 * 1024 ** 4 } },
    { out: 'systemd\nArchived and active journals take up 1.0001K in the file system.', want: { systemd: true, bytes: 1024 } },
    { out: 'systemd\nArchived and active journals take up\n3G in the file system.', want: { systemd: true, bytes: 3 * 1024 ** 3 } },
    { out: 'systemd\nArchived and active journals take up 7X in the file system.', want: { systemd: true, bytes: undefined } },
    { out: '\nsystemd\nArchived and active journals take up 1G in the file system.\n', want: { systemd: true, bytes: 1024 ** 3 } },
    { out: 'take up 1G\nsystemd', want: { systemd: false } },
    { out: 'systemdX\ntake up 1G', want: { systemd: false } },
    { out: '', want: { systemd: false } }
  ])('reads $out', ({ out, want }) => {
    expect(parseJournalUse(out)).toEqual(want);
  });
});
