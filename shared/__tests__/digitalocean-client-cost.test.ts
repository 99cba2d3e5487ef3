// The DigitalOcean client's cost-report calls against the honest stand-in: sizes, private images, the
// registry with its tier and manifests, every list across pages, the ratelimit-* headers, refusals
// naming the token and the scope DO's own description declares.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startDigitalOceanStandin, type DigitalOceanStandin } from '../../test-support/digitalocean-standin/standin.js';
import { createDigitalOceanClient, scopeForPath } from '../src/digitalocean/index.js';
import { ConfigurationError } from '../src/errors.js';
import { clearSecretsForTest } from '../src/secrets.js';

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

describe('DigitalOcean client: cost calls', () => {
  it('lists sizes with prices, the account\'s own images, and the registry with its tier and untagged manifests', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    const sizes = await client.listSizes();
    expect(sizes.find((z) => z.slug === 's-2vcpu-2gb')).toMatchObject({ vcpus: 2, memoryMb: 2048, priceMonthly: 18, available: true });
    expect((await client.listImages({ private: true })).map((i) => [i.name, i.type])).toEqual([
      ['a2a-base 2025-05', 'custom'],
      ['app-1 before-upgrade 2025-04', 'snapshot']
    ]);
    const registry = await client.getRegistry();
    expect(registry).toMatchObject({ name: 'a2a-world', storageUsageBytes: 6_500_000_000, tier: { slug: 'basic', monthlyPriceCents: 500, storageOveragePriceCents: 2, allowStorageOverage: true } });
    const repos = await client.listRegistryRepositories('a2a-world');
    expect(repos.map((r) => [r.name, r.manifestCount])).toEqual([
      ['a2a-api', 4],
      ['a2a-frontend', 2]
    ]);
    const manifests = await client.listRegistryManifests('a2a-world', 'a2a-api');
    expect(manifests.filter((m) => m.tags.length === 0)).toHaveLength(2);
    expect(d.violations).toEqual([]);
  });

  it('answers no registry (404) as undefined rather than an error', async () => {
    const d = await standin();
    delete d.data.registry;
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    expect(await client.getRegistry()).toBeUndefined();
    expect(d.violations).toEqual([]);
  });

  it('reads every paged list across all its pages when the server caps the page size', async () => {
    const d = await standin({ maxPerPage: 1 });
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    const counts = {
      droplets: (await client.listDroplets()).length,
      volumes: (await client.listVolumes()).length,
      snapshots: (await client.listSnapshots()).length,
      loadBalancers: (await client.listLoadBalancers()).length,
      sizes: (await client.listSizes()).length,
      images: (await client.listImages({ private: true })).length,
      invoices: (await client.listInvoices()).invoices.length,
      repositories: (await client.listRegistryRepositories('a2a-world')).length,
      manifests: (await client.listRegistryManifests('a2a-world', 'a2a-api')).length
    };
    expect(counts).toEqual({ droplets: 3, volumes: 2, snapshots: 4, loadBalancers: 1, sizes: 6, images: 2, invoices: 3, repositories: 2, manifests: 4 });
    const pages = (path: string) => d.requests.filter((r) => r.path === path).length;
    expect([pages('/v2/droplets'), pages('/v2/sizes'), pages('/v2/registry/a2a-world/repositories/a2a-api/digests')]).toEqual([3, 6, 4]);
    expect(d.violations).toEqual([]);
  });

  it('remembers the ratelimit-* headers and waits for the reset when none is left, instead of spending a request on a 429', async () => {
    const d = await standin({ rateLimitRemaining: 0 });
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    await client.getAccount();
    expect(client.rateLimit()).toMatchObject({ limit: 5000, remaining: 0 });
    const started = Date.now();
    await client.getBalance();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1);
    expect(client.rateLimit().waitedMs).toBeGreaterThan(0);
    expect(d.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('waits as retry-after says on a 429 and then succeeds', async () => {
    const d = await standin({ rateLimitRequests: 1 });
    const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url });
    const started = Date.now();
    expect((await client.listDroplets()).length).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(d.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(client.rateLimit().waitedMs).toBe(1000);
  });

  it('says a 401 is the named token being rejected and which scope the call needs, without the token', async () => {
    const d = await standin();
    const client = createDigitalOceanClient({ token: 'dop_v1_revoked_0123456789', baseUrl: d.url, tokenName: "the token in input 'do-token'" });
    const error = (await client.getBalance().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/DigitalOcean refused GET \/v2\/customers\/my\/balance \(401 Unauthorized: Unable to authenticate you\): it rejected the token in input 'do-token' as wrong, expired or revoked/);
    expect(error.message).toMatch(/needs the scope 'billing:read'/);
    expect(error.message).not.toContain('dop_v1_revoked_0123456789');
  });

  it('says a 403 is a valid token lacking the named scope', async () => {
    const d = await standin();
    const original = globalThis.fetch;
    // DO answers 403 to a custom-scoped token without the scope; the stand-in has no scoped tokens.
    globalThis.fetch = (async () => new Response(JSON.stringify({ id: 'Forbidden', message: 'You are not authorized to perform this operation' }), { status: 403 })) as typeof fetch;
    try {
      const client = createDigitalOceanClient({ token: d.token, baseUrl: d.url, tokenName: "the token in input 'do-token'" });
      const error = (await client.listVolumes().catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.message).toBe(
        "DigitalOcean refused GET /v2/volumes (403 Forbidden: You are not authorized to perform this operation): the token in input 'do-token' is valid but lacks the scope 'block_storage:read'. Add that scope to the token, or use a read-only token."
      );
    } finally {
      globalThis.fetch = original;
    }
  });

  it('knows the scope of every endpoint it calls exactly as DigitalOcean\'s description declares it', () => {
    const doc = JSON.parse(readFileSync(new URL('../../test-support/digitalocean-standin/openapi.json', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
    };
    const called: Array<[string, string, string]> = [
      ['get', '/v2/account', '/v2/account'],
      ['get', '/v2/customers/my/balance', '/v2/customers/my/balance'],
      ['get', '/v2/customers/my/billing_history', '/v2/customers/my/billing_history'],
      ['get', '/v2/customers/my/invoices', '/v2/customers/my/invoices'],
      ['get', '/v2/droplets', '/v2/droplets'],
      ['get', '/v2/databases', '/v2/databases'],
      ['get', '/v2/volumes', '/v2/volumes'],
      ['get', '/v2/snapshots', '/v2/snapshots'],
      ['get', '/v2/load_balancers', '/v2/load_balancers'],
      ['post', '/v2/load_balancers/{lb_id}/droplets', '/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6/droplets'],
      ['get', '/v2/sizes', '/v2/sizes'],
      ['get', '/v2/images', '/v2/images'],
      ['get', '/v2/registry', '/v2/registry'],
      ['get', '/v2/registry/subscription', '/v2/registry/subscription'],
      ['get', '/v2/registry/{registry_name}/repositoriesV2', '/v2/registry/a2a-world/repositoriesV2'],
      ['get', '/v2/registry/{registry_name}/repositories/{repository_name}/digests', '/v2/registry/a2a-world/repositories/a2a-api/digests']
    ];
    for (const [method, template, path] of called) {
      const declared = doc.paths[template][method].security?.flatMap((x) => x.bearer_auth ?? []) ?? [];
      expect({ path, scope: declared.includes(scopeForPath(path) as string) }).toEqual({ path, scope: true });
    }
  });
});
