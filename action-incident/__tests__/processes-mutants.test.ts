// The edges of reading ps output (issue 14's mutation testing of processes.ts): the mode line where it
// is not first or missing, CRLF and blank lines, a header with RSS anywhere (or nowhere), and every
// RSS spelling BusyBox prints.
import { describe, expect, it } from '@jest/globals';
import { parsePsOutput, parseRss, type TopProcesses } from '../src/hosts/processes.js';

const RSS_NOTE = "this container's ps (BusyBox) has no --sort: sorted by RSS from `ps -o pid,user,rss,vsz,args`";
const PLAIN_NOTE = "this container's ps shows no memory column: processes in ps's own order";

describe('parsePsOutput', () => {
  it.each<[string, string, number, TopProcesses]>([
    ['sorted, CRLF, blank lines dropped', '@@sorted\r\nUSER PID RSS\r\n\r\napp 7 900\r\n   \r\napp 1 50\r\napp 2 10\r\n', 2, { mode: 'sorted', lines: ['USER PID RSS', 'app 7 900', 'app 1 50'] }],
    ['a login banner before the mode line', 'Welcome!\n@@sorted\nUSER PID RSS\napp 7 900', 5, { mode: 'sorted', lines: ['USER PID RSS', 'app 7 900'] }],
    ['the mode line with trailing blanks', '@@sorted  \nUSER PID RSS\napp 7 900', 5, { mode: 'sorted', lines: ['USER PID RSS', 'app 7 900'] }],
    ['no mode line: plain, every line kept', 'PID USER TIME COMMAND\n1 root 0:00 sh\n2 root 0:00 top', 1, { mode: 'plain', lines: ['PID USER TIME COMMAND', '1 root 0:00 sh'], note: PLAIN_NOTE }],
    ['plain, cut to the limit', '@@plain\nPID USER TIME COMMAND\n1 root 0:00 sh\n2 root 0:00 top\n3 root 0:00 ps', 2, { mode: 'plain', lines: ['PID USER TIME COMMAND', '1 root 0:00 sh', '2 root 0:00 top'], note: PLAIN_NOTE }],
    ['an empty table', '@@sorted\n', 5, { mode: 'sorted', lines: [''] }],
    ['an unknown mode line is plain', '@@weird\nPID COMMAND\n1 sh', 5, { mode: 'plain', lines: ['PID COMMAND', '1 sh'], note: PLAIN_NOTE }],
    [
      'rss: sorted by the RSS column, lower-case header, units',
      '@@rss\nPID USER rss VSZ COMMAND\n1 root 900 1 a\n2 root 2m 1 b\n3 root 1g 1 c\n4 root 1500 1 d',
      3,
      { mode: 'rss', lines: ['PID USER rss VSZ COMMAND', '3 root 1g 1 c', '2 root 2m 1 b', '4 root 1500 1 d'], note: RSS_NOTE }
    ],
    ['rss: the RSS column first', '@@rss\nRSS PID COMMAND\n10 1 a\n30 2 b\n20 3 c', 5, { mode: 'rss', lines: ['RSS PID COMMAND', '30 2 b', '20 3 c', '10 1 a'], note: RSS_NOTE }],
    ['rss: leading blanks before the RSS column', '@@rss\n  PID RSS COMMAND\n    1  10 a\n   22  30 b', 5, { mode: 'rss', lines: ['  PID RSS COMMAND', '   22  30 b', '    1  10 a'], note: RSS_NOTE }],
    ['rss: no RSS column, ps order kept', '@@rss\nPID USER COMMAND\n1 root 30\n2 root 10\n3 root 20', 5, { mode: 'rss', lines: ['PID USER COMMAND', '1 root 30', '2 root 10', '3 root 20'], note: RSS_NOTE }],
    ['rss: unreadable values last', '@@rss\nPID RSS COMMAND\n1 ? a\n2 5 b', 5, { mode: 'rss', lines: ['PID RSS COMMAND', '2 5 b', '1 ? a'], note: RSS_NOTE }]
  ])('%s', (_name, stdout, limit, want) => {
    expect(parsePsOutput(stdout, limit)).toStrictEqual(want);
  });
});

describe('parseRss: KiB', () => {
  it.each<[string | undefined, number]>([
    ['7', 7],
    ['1234567', 1234567],
    ['12k', 12],
    ['12K', 12],
    ['3m', 3 * 1024],
    ['3M', 3 * 1024],
    ['1.5m', 1.5 * 1024],
    ['2g', 2 * 1024 * 1024],
    ['2G', 2 * 1024 * 1024],
    ['0.25g', 0.25 * 1024 * 1024],
    [undefined, -1],
    ['', -1],
    ['m', -1],
    ['x12', -1],
    ['12x', -1],
    ['12mb', -1],
    ['1.m', -1],
    ['.5m', -1],
    ['1..5', -1],
    ['1 2', -1]
  ])('%s is %d', (value, kib) => {
    expect(parseRss(value)).toBe(kib);
  });
});
