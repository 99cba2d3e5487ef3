// The DigitalOcean client against the honest stand-in: typed results, pagination, retries, LB membership.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startDigitalOceanStandin, a2aWorldFixtures, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/standin.js';
import { createDigitalOceanClient, DigitalOceanApiError } from '../src/digitalocean/index.js';
import { ConfigurationError } from '../src/errors.js';
import { clearSecretsForTest, scrubSecrets } from '../src/secrets.js';

const LB = '4de7ac8b-495b-4884-9a69-1050c6793cd6';
let s: DigitalOceanStandin | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  clearSecretsForTest();
});

async function standin(opts: Parameters<typeof startDigitalOceanStandin>[0] = {}) {
  s = await startDigitalOceanStandin(opts);
  return s;
}

describe('createDigitalOceanClient', () => {
  it('reads the account, balance, billing history and invoices as typed numbers', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    const [account, balance, history, invoices] = await Promise.all([client.getAccount(), client.getBalance(), client.listBillingHistory(), client.listInvoices()]);
    expect(account).toMatchObject({ email: 'ops@a2aworld.ai', status: 'active', dropletLimit: 25, teamName: 'A2A World' });
    expect(balance).toMatchObject({ monthToDateUsage: 61.3, accountBalance: 0, monthToDateBalance: 61.3 });
    expect(history.filter((e) => e.type === 'Invoice').map((e) => e.amount)).toEqual([104.2, 101.75, 96.4]);
    expect(history.filter((e) => e.type === 'Payment').every((e) => e.amount < 0)).toBe(true);
    expect(invoices.invoices).toHaveLength(3);
    expect(invoices.preview?.amount).toBe(61.3);
    expect(d.violations).toEqual([]);
  });

  it('lists the inventory: droplets with prices and IPs, the database without its password, volumes, snapshots, the load balancer', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    const droplets = await client.listDroplets();
    expect(droplets.map((x) => [x.name, x.sizeSlug, x.priceMonthly, x.publicIpv4])).toEqual([
      ['app-1', 's-2vcpu-4gb', 24, '164.90.161.11'],
      ['app-2', 's-2vcpu-4gb', 24, '164.90.161.12'],
      ['monitoring', 's-1vcpu-2gb', 12, '164.90.161.13']
    ]);
    const dbs = await client.listDatabases();
    expect(dbs).toEqual([expect.objectContaining({ name: 'a2a-db', engine: 'pg', version: '15', sizeSlug: 'db-s-1vcpu-2gb' })]);
    expect(JSON.stringify(dbs)).not.toContain('standin-not-a-secret');
    expect((await client.listVolumes()).map((v) => [v.name, v.dropletIds])).toEqual([['a2a-backups', [3164444]], ['old-data', []]]);
    expect(await client.listSnapshots({ resourceType: 'volume' })).toEqual([expect.objectContaining({ name: 'old-data final', sizeGigabytes: 21.5 })]);
    expect(await client.listLoadBalancers()).toEqual([expect.objectContaining({ id: LB, name: 'a2a-lb', dropletIds: [3164444, 3164445] })]);
    expect(d.violations).toEqual([]);
  });

  it('follows links.pages.next across pages until the last one', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url, pageSize: 1 });
    const droplets = await client.listDroplets();
    expect(droplets.map((x) => x.name)).toEqual(['app-1', 'app-2', 'monitoring']);
    expect(d.requests.filter((r) => r.path === '/v2/droplets')).toHaveLength(3);
    expect((await client.listSnapshots()).map((x) => x.id)).toHaveLength(4);
    expect(d.violations).toEqual([]);
  });

  it('follows a next link only on its own base URL, so the token never goes to another host', async () => {
    const d = await standin();
    const fixtures = d.data;
    // A page whose next link points elsewhere: the client must ask the stand-in, not that host.
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url, pageSize: 2 });
    const original = fetch;
    const seen: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      seen.push(new URL(url).origin);
      const res = await original(input, init);
      if (!url.includes('page=2')) {
        const body = (await res.json()) as { links: { pages: { next?: string } } };
        body.links.pages.next = body.links.pages.next?.replace(d.url, 'https://evil.example');
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return res;
    }) as typeof fetch;
    try {
      expect(await client.listDroplets()).toHaveLength(fixtures.droplets.length);
    } finally {
      globalThis.fetch = original;
    }
    expect(new Set(seen)).toEqual(new Set([d.url]));
  });

  it.each<[string, { rateLimitRequests?: number; serverErrorRequests?: number }, number]>([
    ['a 429 with retry-after', { rateLimitRequests: 1 }, 429],
    ['a 500', { serverErrorRequests: 1 }, 500]
  ])('retries %s after waiting and then succeeds', async (_name, opts, firstStatus) => {
    const d = await standin(opts);
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    const started = Date.now();
    expect((await client.getBalance()).monthToDateUsage).toBe(61.3);
    expect(d.requests.map((r) => r.status)).toEqual([firstStatus, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(d.violations).toEqual([]);
  });

  it('gives up after its attempts with an error naming the endpoint and DO\'s id, never the token', async () => {
    const d = await standin({ rateLimitRequests: 10 });
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url, maxAttempts: 2 });
    const error = await client.listDroplets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigitalOceanApiError);
    expect((error as Error).message).toMatch(/GET \/v2\/droplets failed: 429 too_many_requests: API Rate limit exceeded\. \(after 2 attempts\)/);
    expect((error as Error).message).not.toContain(d.token);
    expect(d.requests).toHaveLength(2);
  });

  it('turns a rejected token into a ConfigurationError without the token in it, and registers the token as a secret', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: 'dop_v1_wrong_token_123', baseUrl: d.url });
    const error = await client.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/GET \/v2\/account \(401 Unauthorized: Unable to authenticate you\)/);
    expect((error as Error).message).not.toContain('dop_v1_wrong_token_123');
    expect(scrubSecrets('token=dop_v1_wrong_token_123')).toBe('token=***');
  });

  it('adds and removes droplets on the load balancer, and the change is visible in the next listing', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    await client.removeDropletsFromLoadBalancer(LB, [3164445]);
    expect((await client.listLoadBalancers())[0].dropletIds).toEqual([3164444]);
    await client.addDropletsToLoadBalancer(LB, [3164445, 3164446]);
    expect((await client.listLoadBalancers())[0].dropletIds).toEqual([3164444, 3164445, 3164446]);
    expect(d.data.loadBalancers[0].droplet_ids).toEqual([3164444, 3164445, 3164446]);
    expect(d.violations).toEqual([]);
  });

  it('reports an unknown droplet as DO does (422) and leaves the load balancer as it was', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    await expect(client.addDropletsToLoadBalancer(LB, [999])).rejects.toThrow(/POST \/v2\/load_balancers\/4de7ac8b-495b-4884-9a69-1050c6793cd6\/droplets failed: 422 unprocessable_entity/);
    expect(d.data.loadBalancers[0].droplet_ids).toEqual([3164444, 3164445]);
  });

  it.each([
    ['an empty token', { token: ' ' }, /token is required/],
    ['a non-http base URL', { token: 't0ken', baseUrl: 'ftp://api.example' }, /base URL/]
  ])('rejects %s with a ConfigurationError', (_name, opts, message) => {
    expect(() => createDigitalOceanClient(opts)).toThrow(ConfigurationError);
    expect(() => createDigitalOceanClient(opts)).toThrow(message);
  });

  it.each([
    ['a load balancer id that is not a UUID', 'lb-1; rm -rf /', [3164445]],
    ['no droplet ids', LB, []],
    ['a negative droplet id', LB, [-1]]
  ])('rejects %s before sending anything', async (_name, lbId, ids) => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    await expect(client.addDropletsToLoadBalancer(lbId as string, ids as number[])).rejects.toThrow(ConfigurationError);
    expect(d.requests).toEqual([]);
  });

  it('uses a fresh fixture set per stand-in, so tests cannot leak state into each other', () => {
    expect(a2aWorldFixtures().loadBalancers[0].droplet_ids).toEqual([3164444, 3164445]);
  });
});
