// Retention: the policy text, and the keep/remove decision with its boundaries (UTC day, ISO week,
// month edges; the newest verified backup and everything newer than it are never removed).
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, parseRetention, planRetention, type BackupEntry } from '../src/index.js';

describe('parseRetention', () => {
  it.each([
    { text: 'last=3,daily=7,weekly=4,monthly=6', want: { keepLast: 3, daily: 7, weekly: 4, monthly: 6 } },
    { text: 'daily=7', want: { keepLast: 0, daily: 7, weekly: 0, monthly: 0 } },
    { text: ' last = 2 ; monthly=12 ', want: { keepLast: 2, daily: 0, weekly: 0, monthly: 12 } },
    { text: 'keep-last=1\nweekly=0', want: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } },
    { text: 'LAST=5', want: { keepLast: 5, daily: 0, weekly: 0, monthly: 0 } }
  ])('reads "$text"', ({ text, want }) => {
    expect(parseRetention(text, 'retention')).toEqual(want);
  });

  it.each([
    { text: '', error: "Input 'retention' is empty: give a retention policy such as 'last=3,daily=7,weekly=4,monthly=6'." },
    { text: 'hourly=3', error: "Input 'retention': unknown key 'hourly'; the keys are last, daily, weekly and monthly" },
    { text: 'daily=seven', error: "Input 'retention': daily must be a whole number from 0 to 3650, got 'seven'." },
    { text: 'daily=-1', error: "Input 'retention': daily must be a whole number from 0 to 3650, got '-1'." },
    { text: 'daily=1.5', error: "Input 'retention': daily must be a whole number from 0 to 3650, got '1.5'." },
    { text: 'daily=99999', error: "Input 'retention': daily must be a whole number from 0 to 3650, got '99999'." },
    { text: 'daily=3,daily=4', error: "Input 'retention': 'daily' is given twice; give each key once." },
    { text: 'daily', error: "Input 'retention': 'daily' is not key=count" },
    { text: 'last=0,daily=0', error: "Input 'retention' keeps no backup at all (every count is 0): give at least one, e.g. 'last=3'." }
  ])('refuses "$text" naming the input and the fix', ({ text, error }) => {
    expect(() => parseRetention(text, 'retention')).toThrow(ConfigurationError);
    expect(() => parseRetention(text, 'retention')).toThrow(error);
  });
});

const at = (iso: string, verified = true): BackupEntry => ({ path: `/b/${iso}${verified ? '' : '-unverified'}`, createdAt: new Date(iso), verified, sizeBytes: 100 });
const names = (list: BackupEntry[]): string[] => list.map((e) => e.path.slice(3));
const policy = (p: Partial<{ keepLast: number; daily: number; weekly: number; monthly: number }>) => ({ keepLast: 0, daily: 0, weekly: 0, monthly: 0, ...p });

describe('planRetention', () => {
  // Tuesday 2026-12-01 12:00 UTC.
  const now = new Date('2026-12-01T12:00:00Z');

  it.each([
    {
      name: 'keep-last keeps the newest N verified backups',
      entries: [at('2026-12-01T03:00:00Z'), at('2026-11-30T03:00:00Z'), at('2026-11-29T03:00:00Z'), at('2026-11-28T03:00:00Z')],
      p: policy({ keepLast: 2 }),
      keep: ['2026-12-01T03:00:00Z', '2026-11-30T03:00:00Z'],
      remove: ['2026-11-29T03:00:00Z', '2026-11-28T03:00:00Z']
    },
    {
      name: 'daily=2 keeps the newest of today and of yesterday (UTC days), not two of today',
      entries: [at('2026-12-01T10:00:00Z'), at('2026-12-01T03:00:00Z'), at('2026-11-30T23:59:59Z'), at('2026-11-30T00:00:00Z'), at('2026-11-29T23:59:59Z')],
      p: policy({ daily: 2 }),
      keep: ['2026-12-01T10:00:00Z', '2026-11-30T23:59:59Z'],
      remove: ['2026-12-01T03:00:00Z', '2026-11-30T00:00:00Z', '2026-11-29T23:59:59Z']
    },
    {
      name: 'a day without a backup still counts as one of the daily days (windows count back from now)',
      entries: [at('2026-12-01T01:00:00Z'), at('2026-11-29T01:00:00Z')],
      p: policy({ daily: 2 }),
      keep: ['2026-12-01T01:00:00Z'],
      remove: ['2026-11-29T01:00:00Z']
    },
    {
      name: 'weekly=2 keeps the newest of this ISO week (from Monday 00:00) and of the one before',
      // Monday 2026-11-30 starts this week; Sunday 2026-11-29 23:59 is last week's.
      entries: [at('2026-12-01T01:00:00Z'), at('2026-11-30T00:00:00Z'), at('2026-11-29T23:59:00Z'), at('2026-11-23T00:00:00Z'), at('2026-11-22T23:00:00Z')],
      p: policy({ weekly: 2 }),
      keep: ['2026-12-01T01:00:00Z', '2026-11-29T23:59:00Z'],
      remove: ['2026-11-30T00:00:00Z', '2026-11-23T00:00:00Z', '2026-11-22T23:00:00Z']
    },
    {
      name: 'monthly=3 keeps the newest of December, November and October',
      entries: [at('2026-12-01T01:00:00Z'), at('2026-11-30T23:00:00Z'), at('2026-11-01T00:00:00Z'), at('2026-10-31T23:59:59Z'), at('2026-09-30T23:59:59Z')],
      p: policy({ monthly: 3 }),
      keep: ['2026-12-01T01:00:00Z', '2026-11-30T23:00:00Z', '2026-10-31T23:59:59Z'],
      remove: ['2026-11-01T00:00:00Z', '2026-09-30T23:59:59Z']
    },
    {
      name: 'policies add up: a backup kept by any rule stays',
      entries: [at('2026-12-01T01:00:00Z'), at('2026-11-30T01:00:00Z'), at('2026-11-15T01:00:00Z'), at('2026-10-15T01:00:00Z')],
      p: policy({ keepLast: 1, daily: 2, monthly: 2 }),
      keep: ['2026-12-01T01:00:00Z', '2026-11-30T01:00:00Z'],
      remove: ['2026-11-15T01:00:00Z', '2026-10-15T01:00:00Z']
    },
    {
      name: 'the newest verified backup is kept even when every rule would drop it (all old)',
      entries: [at('2025-01-01T00:00:00Z'), at('2024-12-01T00:00:00Z')],
      p: policy({ daily: 1 }),
      keep: ['2025-01-01T00:00:00Z'],
      remove: ['2024-12-01T00:00:00Z']
    },
    {
      name: 'unverified backups newer than the newest verified one are kept; older unverified ones go',
      entries: [at('2026-12-01T05:00:00Z', false), at('2026-12-01T04:00:00Z', false), at('2026-11-30T03:00:00Z'), at('2026-11-29T03:00:00Z', false), at('2026-11-28T03:00:00Z')],
      p: policy({ keepLast: 5 }),
      keep: ['2026-12-01T05:00:00Z-unverified', '2026-12-01T04:00:00Z-unverified', '2026-11-30T03:00:00Z', '2026-11-28T03:00:00Z'],
      remove: ['2026-11-29T03:00:00Z-unverified']
    },
    {
      name: 'with no verified backup at all nothing is removed',
      entries: [at('2026-12-01T05:00:00Z', false), at('2026-10-01T05:00:00Z', false)],
      p: policy({ keepLast: 1 }),
      keep: ['2026-12-01T05:00:00Z-unverified', '2026-10-01T05:00:00Z-unverified'],
      remove: []
    },
    {
      name: 'unverified backups never count towards keep-last (they cannot crowd out good ones)',
      entries: [at('2026-12-01T05:00:00Z'), at('2026-11-30T05:00:00Z', false), at('2026-11-29T05:00:00Z')],
      p: policy({ keepLast: 2 }),
      keep: ['2026-12-01T05:00:00Z', '2026-11-29T05:00:00Z'],
      remove: ['2026-11-30T05:00:00Z-unverified']
    },
    { name: 'an empty directory plans nothing', entries: [], p: policy({ keepLast: 1 }), keep: [], remove: [] }
  ])('$name', ({ entries, p, keep, remove }) => {
    // The input order must not matter.
    const plan = planRetention([...entries].reverse(), p, now);
    expect(names(plan.keep)).toEqual(keep);
    expect(names(plan.remove)).toEqual(remove);
    expect(plan.keep.length + plan.remove.length).toBe(entries.length);
  });

  it('never removes the newest verified entry, whatever the policy and the mix (randomised)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const entries = Array.from({ length: 1 + Math.floor(rand() * 12) }, (_, i) => ({
        path: `/b/${i}`,
        createdAt: new Date(now.getTime() - Math.floor(rand() * 200 * 86_400_000)),
        verified: rand() > 0.4,
        sizeBytes: 1
      }));
      const p = { keepLast: Math.floor(rand() * 3), daily: Math.floor(rand() * 3), weekly: Math.floor(rand() * 3), monthly: Math.floor(rand() * 3) };
      const plan = planRetention(entries, p, now);
      const newest = [...entries].filter((e) => e.verified).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
      if (newest) {
        expect(plan.keep).toContain(newest);
        for (const e of entries) if (e.createdAt > newest.createdAt) expect(plan.keep).toContain(e);
      } else expect(plan.remove).toEqual([]);
    }
  });
});
