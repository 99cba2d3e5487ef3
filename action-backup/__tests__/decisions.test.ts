// The pure decisions of action-backup's operations: freshness, which backups retention may count as
// proven, grouping, the never-the-live-database guard, scratch names and the trend chart.
import { describe, expect, it } from '@jest/globals';
import { BackupError, type BackupMetadata, type ListedBackup } from '../../shared/src/index.js';
import { judgeFreshness } from '../src/operations/freshness.js';
import { groupBackups, provenGood } from '../src/operations/prune.js';
import { trendChart } from '../src/operations/trend.js';
import { assertNotLiveDatabase, scratchDatabaseName, urlOfDatabase } from '../src/operations/verify.js';
import { configPaths } from '../src/targets/config.js';

const H = 3_600_000;

describe('judgeFreshness', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it.each([
    { name: 'a backup 25 h old under 26 h is fresh', newest: new Date(now.getTime() - 25 * H), status: 'ok' },
    { name: 'exactly at the limit is still fresh', newest: new Date(now.getTime() - 26 * H), status: 'ok' },
    { name: 'one ms past the limit is stale', newest: new Date(now.getTime() - 26 * H - 1), status: 'fail' },
    { name: 'no good backup at all fails', newest: undefined, status: 'fail' }
  ])('$name', ({ newest, status }) => {
    expect(judgeFreshness(newest, now, 26 * H).status).toBe(status);
  });
});

function listed(kind: BackupMetadata['kind'], label: string, status: 'checked' | 'restored' | 'failed', createdAt = '2026-12-01T03:00:00Z'): ListedBackup {
  const metadata = { kind, label, file: `${label}-${createdAt}`, createdAt, durationMs: 1000, verification: { status, at: createdAt, detail: '' } } as unknown as BackupMetadata;
  return { path: `/b/${metadata.file}`, createdAt: new Date(createdAt), verified: status !== 'failed', sizeBytes: 5e6, metadata, metadataPath: `/b/${metadata.file}.meta.json` };
}

describe('retention inputs', () => {
  it.each([
    { kind: 'database' as const, status: 'checked' as const, proven: false },
    { kind: 'database' as const, status: 'restored' as const, proven: true },
    { kind: 'database' as const, status: 'failed' as const, proven: false },
    { kind: 'volumes' as const, status: 'checked' as const, proven: true },
    { kind: 'config' as const, status: 'failed' as const, proven: false }
  ])('a $kind backup that is $status counts as proven: $proven', ({ kind, status, proven }) => {
    expect(provenGood(listed(kind, 'x', status))).toBe(proven);
  });

  it('groups by kind and label, so one host never prunes another host’s backups', () => {
    const groups = groupBackups([listed('database', 'a2a_world', 'restored'), listed('volumes', 'volumes-app1', 'checked'), listed('volumes', 'volumes-app2', 'checked'), listed('database', 'a2a_world', 'checked')]);
    expect([...groups.keys()]).toEqual(['database a2a_world', 'volumes volumes-app1', 'volumes volumes-app2']);
    expect(groups.get('database a2a_world')).toHaveLength(2);
  });
});

describe('the scratch database of a drill', () => {
  it('is never the backup’s own database nor the live one', () => {
    expect(() => assertNotLiveDatabase('a2a_world', 'a2a_world')).toThrow(BackupError);
    const live = { url: 'postgresql://u@db:5432/scratchy', target: '', host: 'db', port: 5432, database: 'scratchy', user: 'u', source: '' };
    expect(() => assertNotLiveDatabase('scratchy', 'a2a_world', live, { ...live, database: 'postgres' })).toThrow("is the live database of 'database-url'");
    expect(() => assertNotLiveDatabase('scratchy', 'a2a_world', live, { ...live, host: 'other', database: 'postgres' })).not.toThrow();
  });
  it('has a name no real database has, and keeps the server URL’s credentials and options', () => {
    expect(scratchDatabaseName(new Date('2026-12-01T03:00:00Z'), 'abc123')).toBe('a2a_backup_verify_20261201_abc123');
    const server = { url: 'postgresql://u:p%40ss@db:5432/postgres?sslmode=require', target: '', host: 'db', port: 5432, database: 'postgres', user: 'u', source: '' };
    expect(urlOfDatabase(server, 'a2a_backup_verify_x')).toBe('postgresql://u:p%40ss@db:5432/a2a_backup_verify_x?sslmode=require');
  });
});

describe('trendChart', () => {
  it('needs two backups, and draws size (MB) and duration (s) oldest to newest', () => {
    expect(trendChart('t', [listed('database', 'a', 'checked')])).toBeUndefined();
    const chart = trendChart('Backups of a2a_world', [listed('database', 'a', 'checked', '2026-12-02T03:00:00Z'), listed('database', 'a', 'checked', '2026-12-01T03:00:00Z')])!;
    expect(chart).toContain('xychart-beta');
    expect(chart).toContain('x-axis ["12-01 03:00", "12-02 03:00"]');
    expect(chart).toContain('line [5.0, 5.0]');
    expect(chart).toContain('line [1.0, 1.0]');
  });
});

describe('configPaths', () => {
  it('takes the compose files, the env file and infrastructure/, relative to the project directory only', () => {
    expect(configPaths({ cli: 'docker-compose', dir: '/opt/a2a-world', name: 'a2a-world', file: 'docker-compose.production.yml', envFile: '/etc/secret.env' })).toEqual([
      'docker-compose.production.yml',
      'docker-compose.yml',
      '.env.production',
      'infrastructure'
    ]);
  });
});
