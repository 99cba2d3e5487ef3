// The version a rollback goes back to, read from the host's audit log (rollout/audit.ts): the `from`
// of the last successful change that brought the service to the version it runs now.
import { describe, expect, it } from '@jest/globals';
import { auditLogPath, previousVersion, type AuditEntry } from '../src/rollout/audit.js';

let minute = 0;
/** One audit line: a successful api rollout unless the fields say otherwise. */
function entry(fields: Partial<AuditEntry>): AuditEntry {
  minute++;
  return {
    at: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
    actor: 'octocat',
    runUrl: 'https://github.com/a2a-world/a2a-ops/actions/runs/1',
    operation: 'rollout',
    service: 'api',
    result: 'success',
    message: '',
    ...fields
  };
}

describe('previousVersion', () => {
  it.each([
    {
      name: 'the version before the last successful change to the current one',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ from: 'v2', to: 'v3' })],
      current: 'v3',
      want: 'v2'
    },
    {
      name: 'the version before the current one, skipping a later failed attempt at another',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ from: 'v2', to: 'v3', result: 'failure' })],
      current: 'v2',
      want: 'v1'
    },
    {
      name: 'the earlier successful change when the last change to the current version failed',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ from: 'v0', to: 'v2', result: 'failure' })],
      current: 'v2',
      want: 'v1'
    },
    {
      name: 'the earlier successful change when the last change to the current version was rolled back',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ from: 'v9', to: 'v2', result: 'rolled-back' })],
      current: 'v2',
      want: 'v1'
    },
    {
      name: "the api's own history when other services changed since",
      log: [entry({ from: 'v1', to: 'v2' }), entry({ service: 'frontend', from: 'v7', to: 'v2' }), entry({ service: 'worker', from: 'v5', to: 'v6' })],
      current: 'v2',
      want: 'v1'
    },
    {
      name: 'the version before a restart and a scale, which change no version',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ operation: 'restart' }), entry({ operation: 'scale' })],
      current: 'v2',
      want: 'v1'
    },
    {
      name: 'the version a rollback came from: a rollback is a successful change too',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ operation: 'rollback', from: 'v2', to: 'v1' })],
      current: 'v1',
      want: 'v2'
    },
    {
      name: 'the latest of several changes to the same version',
      log: [entry({ from: 'v1', to: 'v2' }), entry({ from: 'v2', to: 'v3' }), entry({ from: 'v3', to: 'v2' })],
      current: 'v2',
      want: 'v3'
    }
  ])('is $name', ({ log, current, want }) => {
    expect(previousVersion(log, 'api', current)).toBe(want);
  });

  it.each([
    { name: 'the log is empty', log: [], current: 'v2' },
    { name: 'only failures led to the current version', log: [entry({ from: 'v1', to: 'v2', result: 'failure' })], current: 'v2' },
    { name: 'only a rolled-back change led to it', log: [entry({ from: 'v1', to: 'v2', result: 'rolled-back' })], current: 'v2' },
    { name: 'only another service reached that version', log: [entry({ service: 'frontend', from: 'v1', to: 'v2' })], current: 'v2' },
    { name: 'the first deploy had nothing before it', log: [entry({ to: 'v1' })], current: 'v1' },
    { name: 'a change was recorded from the version to itself', log: [entry({ from: 'v2', to: 'v2' })], current: 'v2' },
    { name: 'the current version is not known', log: [entry({ from: 'v1', to: 'v2' }), entry({ operation: 'restart' })], current: undefined },
    { name: 'the service runs a version no logged change led to', log: [entry({ from: 'v1', to: 'v2' })], current: 'v5' }
  ])('is undefined when $name', ({ log, current }) => {
    expect(previousVersion(log, 'api', current)).toBeUndefined();
  });
});

describe('auditLogPath', () => {
  it.each([
    ['/opt/a2a-world', '/opt/a2a-world/.a2a-ops/audit.log'],
    ['/opt/a2a-world/', '/opt/a2a-world/.a2a-ops/audit.log']
  ])('keeps the log of %s in its .a2a-ops folder', (dir, want) => {
    expect(auditLogPath(dir)).toBe(want);
  });
});
