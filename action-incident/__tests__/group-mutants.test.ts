// The edges of grouping error lines into patterns (issue 14's mutation testing of group.ts): which
// line is a pattern's example, first/last seen with ties and lines out of order or without a time, the
// order of patterns with equal counts.
import { describe, expect, it } from '@jest/globals';
import { groupErrorPatterns, type ContainerLog } from '../src/error-patterns/group.js';

const log = (host: string, service: string, lines: string[]): ContainerLog => ({ host, service, container: `${host}_${service}_1`, text: lines.join('\n') });
const at = (minute: number): string => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('groupErrorPatterns: one pattern from several lines', () => {
  it.each<[string, string[], { count: number; firstSeen?: string; lastSeen?: string; example: string }]>([
    ['lines out of order: first and last seen are the extremes, the example the latest', [`${at(5)} ERROR x 5`, `${at(1)} ERROR x 1`, `${at(9)} ERROR x 9`, `${at(3)} ERROR x 3`], { count: 4, firstSeen: at(1), lastSeen: at(9), example: 'ERROR x 9' }],
    ['two lines at the same time: the one read last is the example', [`${at(2)} ERROR x 1`, `${at(2)} ERROR x 2`], { count: 2, firstSeen: at(2), lastSeen: at(2), example: 'ERROR x 2' }],
    ['lines without a receive time: no first/last seen, the last line read is the example', ['ERROR x 1', 'ERROR x 2'], { count: 2, example: 'ERROR x 2' }],
    ['a timed line, then an untimed one: the timed line stays the example', [`${at(2)} ERROR x 1`, 'ERROR x 2'], { count: 2, firstSeen: at(2), lastSeen: at(2), example: 'ERROR x 1' }],
    ['an untimed line, then a timed one: the timed line is the example', ['ERROR x 1', `${at(2)} ERROR x 2`], { count: 2, firstSeen: at(2), lastSeen: at(2), example: 'ERROR x 2' }],
    ['blank and non-error lines are not counted', ['', '   ', `${at(1)} INFO x 1`, `${at(2)} ERROR x 2`, `${at(3)} INFO x 3`], { count: 1, firstSeen: at(2), lastSeen: at(2), example: 'ERROR x 2' }],
    ['the example is flattened to one line', [`${at(1)} ERROR x 1\t\u0007again`], { count: 1, firstSeen: at(1), lastSeen: at(1), example: 'ERROR x 1 again' }]
  ])('%s', (_name, lines, want) => {
    const patterns = groupErrorPatterns([log('app1', 'api', lines)]);
    expect(patterns).toHaveLength(1);
    const { service, signature, hosts, ...rest } = patterns[0];
    expect([service, signature, hosts]).toEqual(['api', expect.stringMatching(/^ERROR x <n>/), ['app1']]);
    expect(rest).toStrictEqual(want);
  });
});

describe('groupErrorPatterns: the order of patterns', () => {
  it.each<[string, ContainerLog[], string[]]>([
    ['the most frequent first', [log('app1', 'api', ['ERROR b', 'ERROR a', 'ERROR a'])], ['api ERROR a 2', 'api ERROR b 1']],
    ['equal counts: the most recently seen first', [log('app1', 'api', [`${at(9)} ERROR a`, `${at(1)} ERROR b`])], ['api ERROR a 1', 'api ERROR b 1']],
    ['equal counts: the most recently seen first, whatever the reading order', [log('app1', 'api', [`${at(1)} ERROR a`, `${at(9)} ERROR b`])], ['api ERROR b 1', 'api ERROR a 1']],
    ['equal counts, one never timed: the timed one first', [log('app1', 'api', ['ERROR a', `${at(1)} ERROR b`])], ['api ERROR b 1', 'api ERROR a 1']],
    ['equal counts and times: by signature', [log('app1', 'api', [`${at(1)} ERROR b`, `${at(1)} ERROR a`])], ['api ERROR a 1', 'api ERROR b 1']],
    ['equal counts, no times: by signature', [log('app1', 'api', ['ERROR c', 'ERROR a', 'ERROR b'])], ['api ERROR a 1', 'api ERROR b 1', 'api ERROR c 1']],
    [
      'one signature in two services is two patterns; one service on two hosts is one',
      [log('app1', 'api', ['ERROR a']), log('app2', 'api', ['ERROR a']), log('app1', 'worker', ['ERROR a'])],
      ['api ERROR a 2 app1,app2', 'worker ERROR a 1']
    ]
  ])('%s', (_name, logs, want) => {
    expect(groupErrorPatterns(logs).map((p) => `${p.service} ${p.signature} ${p.count}${p.hosts.length > 1 ? ` ${p.hosts.join(',')}` : ''}`)).toEqual(want);
  });
});
