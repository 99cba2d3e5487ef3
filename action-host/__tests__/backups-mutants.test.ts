// The local backups' clean-up plan at its edges (issue 14's mutation testing): each kind and label planned on
// its own, every field of a removal, the directory's trailing slashes, text before the first marker, a marker
// without a path or without content, and an unreadable file's reason cut at 200 characters.
import { describe, expect, it } from '@jest/globals';
import { planBackupCleanup } from '../src/cleanup/backups.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const KEEP_ONE = { keepLast: 1, daily: 0, weekly: 0, monthly: 0 };
const meta = (file: string, o: { kind?: string; label?: string; createdAt?: string; sizeBytes?: number; status?: string } = {}): string =>
  JSON.stringify({
    format: 'a2a-ops-backup/1',
    kind: o.kind ?? 'database',
    file,
    label: o.label ?? 'db',
    createdAt: o.createdAt ?? '2026-11-01T00:00:00Z',
    sizeBytes: o.sizeBytes ?? 1000,
    sha256: 'c'.repeat(64),
    durationMs: 1,
    content: 'pg_dump-custom',
    compression: 'zstd',
    encryption: 'none',
    restoreCommand: 'x',
    source: 'y',
    verification: { status: o.status ?? 'checked', at: o.createdAt ?? '2026-11-01T00:00:00Z', detail: 'd' }
  });
const block = (path: string, text: string): string => `\n--a2a-host-meta ${path}\n${text}`;

describe('planBackupCleanup at its edges', () => {
  it('plans each kind and label on its own and gives every field of each removal', () => {
    const listing = [
      block('/b/d1.meta.json', meta('d1', { createdAt: '2026-11-01T00:00:00Z', sizeBytes: 11 })),
      block('/b/v1.meta.json', meta('v1', { kind: 'volumes', createdAt: '2026-11-02T00:00:00Z', sizeBytes: 21 })),
      block('/b/d2.meta.json', meta('d2', { createdAt: '2026-11-03T00:00:00Z', sizeBytes: 12 })),
      block('/b/v2.meta.json', meta('v2', { kind: 'volumes', createdAt: '2026-11-04T00:00:00Z', sizeBytes: 22 })),
      block('/b/d3.meta.json', meta('d3', { createdAt: '2026-11-05T00:00:00Z', sizeBytes: 13 }))
    ].join('');
    expect(planBackupCleanup(listing, '/b//', KEEP_ONE, NOW)).toEqual({
      remove: [
        { path: '/b/d2', metadataPath: '/b/d2.meta.json', label: 'database:db', createdAt: new Date('2026-11-03T00:00:00Z'), sizeBytes: 12 },
        { path: '/b/d1', metadataPath: '/b/d1.meta.json', label: 'database:db', createdAt: new Date('2026-11-01T00:00:00Z'), sizeBytes: 11 },
        { path: '/b/v1', metadataPath: '/b/v1.meta.json', label: 'volumes:db', createdAt: new Date('2026-11-02T00:00:00Z'), sizeBytes: 21 }
      ],
      keep: 2,
      unreadable: []
    });
  });

  it('keeps an unverified backup newer than the newest verified one, and removes an older unverified one', () => {
    const listing = [
      block('/b/a.meta.json', meta('a', { createdAt: '2026-11-01T00:00:00Z', status: 'failed' })),
      block('/b/b.meta.json', meta('b', { createdAt: '2026-11-02T00:00:00Z', status: 'restored' })),
      block('/b/c.meta.json', meta('c', { createdAt: '2026-11-03T00:00:00Z', status: 'failed' }))
    ].join('');
    const p = planBackupCleanup(listing, '/b', KEEP_ONE, NOW);
    expect([p.remove.map((r) => r.path), p.keep]).toEqual([['/b/a'], 2]);
  });

  it('ignores what comes before the first marker', () => {
    const listing = `${meta('x')}\n${block('/b/y.meta.json', meta('y'))}`;
    expect(planBackupCleanup(listing, '/b', KEEP_ONE, NOW)).toEqual({ remove: [], keep: 1, unreadable: [] });
  });

  it('reads a marker without a path', () => {
    const p = planBackupCleanup(`\n--a2a-host-meta \n${meta('y')}${block('/b/z.meta.json', meta('z', { createdAt: '2026-11-02T00:00:00Z' }))}`, '/b', KEEP_ONE, NOW);
    expect([p.remove.map((r) => [r.path, r.metadataPath]), p.unreadable]).toEqual([[['/b/y', '']], []]);
  });

  it.each([
    { name: 'a marker with no content after it', listing: '\n--a2a-host-meta  /b/a.meta.json ', path: '/b/a.meta.json', reason: 'Unexpected end of JSON input' },
    { name: 'a marker with no content and no line end after it', listing: '\n--a2a-host-meta /b/a.meta.json', path: '/b/a.meta.json', reason: 'Unexpected end of JSON input' },
    { name: 'content that is not JSON', listing: block('/b/a.meta.json', 'not json'), path: '/b/a.meta.json', reason: expect.stringContaining('JSON') },
    { name: 'metadata of another format', listing: block('/b/a.meta.json', '{"format":"x"}'), path: '/b/a.meta.json', reason: `/b/a.meta.json: format is "x", expected 'a2a-ops-backup/1'` },
    { name: 'a path long enough to cut the reason', listing: block(`/${'p'.repeat(300)}`, '{}'), path: `/${'p'.repeat(300)}`, reason: `/${'p'.repeat(199)}` }
  ])('reports $name as unreadable and never removes it', ({ listing, path, reason }) => {
    expect(planBackupCleanup(listing, '/b', KEEP_ONE, NOW)).toEqual({ remove: [], keep: 0, unreadable: [{ path, reason }] });
  });
});
