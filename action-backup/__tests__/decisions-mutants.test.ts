// action-backup's decisions at their edges (issue 14, mutation testing): each part of the guard that keeps
// a restore drill out of the live database, with its refusal word for word.
import { describe, expect, it } from '@jest/globals';
import { BackupError } from '../../shared/src/index.js';
import { assertNotLiveDatabase } from '../src/operations/verify.js';

describe('assertNotLiveDatabase, each part of the live-database match', () => {
  const live = { url: 'postgresql://u@db:5432/a2a_world', target: 'db:5432/a2a_world', host: 'db', port: 5432, database: 'a2a_world', user: 'u', source: '' };
  const server = (over: Partial<typeof live>) => ({ ...live, database: 'postgres', ...over });
  it.each([
    ['the backup’s own database name', 'a2a_world', 'a2a_world', undefined, undefined, "the scratch database 'a2a_world' is the backup's own database: a restore drill never restores into the live database."],
    ['the live database on the same server', 'a2a_world', 'other_name', live, server({}), "the scratch database 'a2a_world' is the live database of 'database-url': refused."],
    ['the live name on another port of that host', 'a2a_world', 'other_name', live, server({ port: 5433 }), undefined],
    ['the live name on another host', 'a2a_world', 'other_name', live, server({ host: 'scratch-db' }), undefined],
    ['another name on the live server', 'a2a_backup_verify_x', 'a2a_world', live, server({}), undefined],
    ['no live URL given (compose mode)', 'a2a_world', 'other_name', undefined, server({}), undefined]
  ])('%s', (_name, scratch, source, liveUrl, scratchServer, refusal) => {
    const check = (): void => assertNotLiveDatabase(scratch, source, liveUrl, scratchServer);
    if (refusal) {
      expect(check).toThrow(BackupError);
      expect(check).toThrow(refusal);
    } else expect(check).not.toThrow();
  });
});
