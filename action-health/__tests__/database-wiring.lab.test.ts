// The health action wired to the database checks, against the lab's real PostgreSQL 15: the database
// rows appear beside the others, and the password in the URL appears nowhere.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readLabPart } from '../../test-support/lab.js';
import { run } from '../src/main.js';
import { cleanupRuns, reportOf, runInProcess } from './support/run-in-process.js';

afterAll(() => cleanupRuns());

describe('database wiring', () => {
  it('runs the database checks from database-url and keeps the password out of every output', async () => {
    const pg = readLabPart<{ url: string; password: string }>('postgres');
    const web = readLabPart<{ url: string }>('http');
    const r = await runInProcess(run, { 'database-url': pg.url, urls: `${web.url}/healthy`, 'fail-on': 'never' });
    const checks = reportOf(r).checks;
    expect(checks[0].kind).toBe('http');
    const db = checks.filter((c) => c.kind === 'database');
    expect(db.length).toBeGreaterThan(1);
    expect(db.every((c) => c.status !== 'fail')).toBe(true);
    expect(r.summary).toContain('### Database');
    for (const text of [r.outputs.report, r.summary, r.log.replace(/::add-mask::.*\n/g, '')]) expect(text.includes(pg.password)).toBe(false);
  });

  it('reports a database that refuses connections as one failed check, without failing the others', async () => {
    const web = readLabPart<{ url: string }>('http');
    const r = await runInProcess(run, { 'database-url': 'postgresql://a2a_user:not-the-password@127.0.0.1:9/a2a_world', urls: `${web.url}/healthy`, 'fail-on': 'never' });
    const checks = reportOf(r).checks;
    expect(checks.map((c) => [c.kind, c.status])).toEqual([
      ['http', 'ok'],
      ['database', 'fail']
    ]);
    expect(r.outputs.report).not.toContain('not-the-password');
  });
});
