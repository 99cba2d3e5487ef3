// The managed database's own backups (the runbook's `doctl databases backup list <id>`), read through
// the core DigitalOcean client from the OpenAPI-checked stand-in: newest first, typed, no violations.
import { afterEach, describe, expect, it } from '@jest/globals';
import { a2aWorldFixtures, startDigitalOceanStandin, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/standin.js';
import { DigitalOceanApiError, createDigitalOceanClient } from '../src/index.js';

let s: DigitalOceanStandin | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});
const CLUSTER = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';

describe('listDatabaseBackups', () => {
  it('lists a cluster’s backups newest first, as the OpenAPI description shapes them', async () => {
    const fixtures = a2aWorldFixtures();
    fixtures.databaseBackups = {
      [CLUSTER]: [
        { created_at: '2026-11-29T02:10:00Z', size_gigabytes: 0.41 },
        { created_at: '2026-12-01T02:10:00Z', size_gigabytes: 0.43 },
        { created_at: '2026-11-30T02:10:00Z', size_gigabytes: 0.42 }
      ]
    };
    s = await startDigitalOceanStandin({ fixtures });
    const client = createDigitalOceanClient({ token: s.token, baseUrl: s.url });
    expect(await client.listDatabaseBackups(CLUSTER)).toEqual([
      { createdAt: '2026-12-01T02:10:00Z', sizeGigabytes: 0.43 },
      { createdAt: '2026-11-30T02:10:00Z', sizeGigabytes: 0.42 },
      { createdAt: '2026-11-29T02:10:00Z', sizeGigabytes: 0.41 }
    ]);
    expect(s.violations).toEqual([]);
  });

  it('an unknown cluster is a 404 error, not an empty list', async () => {
    s = await startDigitalOceanStandin();
    const client = createDigitalOceanClient({ token: s.token, baseUrl: s.url });
    await expect(client.listDatabaseBackups('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(DigitalOceanApiError);
  });
});
