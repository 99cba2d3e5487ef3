// The recurrence rule as pure functions: which messages count as the same failure, and when to comment.
import { afterEach, describe, expect, it } from '@jest/globals';
import { decideRecurrenceComment, failureFingerprint, normaliseFailureMessage } from '../src/issues/index.js';
import { clearSecretsForTest, registerSecret } from '../src/secrets.js';

afterEach(() => clearSecretsForTest());

describe('normaliseFailureMessage', () => {
  it.each([
    ['latency', 'degraded: 200 in 2300 ms (target 2000 ms)', 'degraded: # in # ms (target # ms)'],
    ['HTTP statuses down to their class', 'down (3 tries): answered 503, expected 200', 'down (# tries): answered 5xx, expected 2xx'],
    ['a status before a colon', 'healthz answered 503: upstream connect error', 'healthz answered 5xx: upstream connect error'],
    ['percent and bytes', 'disk 91 % used, 3.2 GiB free of 40 GiB (/dev/sda1)', 'disk # % used, # GiB free of # GiB (/dev/sda#)'],
    ['sample counts and a decimal', 'above 90% for 5 min (12 samples, now 95.3 %): alert is 90% for 3m', 'above #% for # min (# samples, now # %): alert is #% for #m'],
    ['a 3-digit count before a word is a count, not a status', 'above 90% for 2 h (120 samples, now 91 %)', 'above #% for # h (# samples, now # %)'],
    ['ISO times', 'stale: last backup 2026-03-01T04:00:12Z, 30 h ago', 'stale: last backup <time>, # h ago'],
    ['hex ids and UUIDs', 'container 3f9a2c1b7d8e exited; request 0b1e6f4a-9c2d-4e8f-a1b3-5c6d7e8f9a0b', 'container <id> exited; request <id>'],
    ['addresses and ports', 'connect ECONNREFUSED 10.0.0.5:5432', 'connect ECONNREFUSED #'],
    ['a 3-digit port, which is no status', 'connect ECONNREFUSED 10.0.0.5:443', 'connect ECONNREFUSED #'],
    ['whitespace', '  timed out\n  after   5000 ms ', 'timed out after # ms']
  ])('blanks out %s', (_name, message, normalised) => {
    expect(normaliseFailureMessage(message)).toBe(normalised);
  });

  it('scrubs registered secrets before comparing, so a rotated secret in a message is no change', () => {
    registerSecret('s3cr3t-one-Zq81');
    registerSecret('s3cr3t-two-Xy42');
    expect(normaliseFailureMessage('auth failed for s3cr3t-one-Zq81')).toBe(normaliseFailureMessage('auth failed for s3cr3t-two-Xy42'));
  });
});

describe('failureFingerprint', () => {
  it.each<[string, { status: 'warn' | 'fail'; message: string }, { status: 'warn' | 'fail'; message: string }, boolean]>([
    ['latency alone changes', { status: 'fail', message: 'answered in 2300 ms' }, { status: 'fail', message: 'answered in 2450 ms' }, true],
    ['502 and 503 are one outage', { status: 'fail', message: 'healthz answered 502' }, { status: 'fail', message: 'healthz answered 503' }, true],
    ['404 and 503 are different failures', { status: 'fail', message: 'healthz answered 404' }, { status: 'fail', message: 'healthz answered 503' }, false],
    ['different words are different failures', { status: 'fail', message: 'timed out after 5000 ms' }, { status: 'fail', message: 'connection refused' }, false],
    ['warn and fail differ even with one message', { status: 'warn', message: 'renew soon: 9 days left' }, { status: 'fail', message: 'renew soon: 9 days left' }, false]
  ])('%s → same: %s', (_name, a, b, same) => {
    expect(failureFingerprint(a) === failureFingerprint(b)).toBe(same);
  });

  it('keeps no message text: a fixed-length hash', () => {
    expect(failureFingerprint({ status: 'fail', message: 'password is hunter2' })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('decideRecurrenceComment', () => {
  const T = Date.parse('2026-03-01T10:00:00Z');
  const SIX_H = 6 * 3_600_000;
  const mem = (announced: string[] | undefined, minutesAgo?: number) => ({
    announced,
    lastCommentAt: minutesAgo === undefined ? undefined : new Date(T - minutesAgo * 60_000).toISOString()
  });

  it.each<[string, ReturnType<typeof mem>, number, ReturnType<typeof decideRecurrenceComment>]>([
    ['the same failure 15 min after the last comment', mem(['a'], 15), SIX_H, { comment: false }],
    ['the same failure one minute short of the interval', mem(['a'], 359), SIX_H, { comment: false }],
    ['the same failure once the interval has passed', mem(['a'], 360), SIX_H, { comment: true, reason: 'interval' }],
    ['a failure not announced in this incident', mem(['b'], 1), SIX_H, { comment: true, reason: 'changed' }],
    ['a failure announced earlier in this incident', mem(['a', 'b'], 1), SIX_H, { comment: false }],
    ['no memory of earlier runs', mem(undefined), SIX_H, { comment: true, reason: 'no-memory' }],
    ['interval 0, the same failure a minute later', mem(['a'], 1), 0, { comment: true, reason: 'interval' }]
  ])('%s', (_name, memory, intervalMs, expected) => {
    expect(decideRecurrenceComment(memory, 'a', new Date(T), intervalMs)).toEqual(expected);
  });
});
