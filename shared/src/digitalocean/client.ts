// A small DigitalOcean API v2 client on global fetch: bearer token registered as a secret, pagination
// through `links.pages.next`, bounded retries on 429/5xx, and errors that name the endpoint, never the token.
import { withRetries } from '../concurrency/backoff.js';
import { ConfigurationError } from '../errors.js';
import { registerSecret, scrubSecrets } from '../secrets.js';
import type {
  DoAccount,
  DoBalance,
  DoBillingEntry,
  DoDatabase,
  DoDatabaseBackup,
  DoDroplet,
  DoInvoice,
  DoInvoiceList,
  DoImage,
  DoLoadBalancer,
  DoRateLimit,
  DoRegistry,
  DoRegistryManifest,
  DoRegistryRepository,
  DoSize,
  DoSnapshot,
  DoVolume
} from './types.js';

export interface DigitalOceanClientOptions {
  token: string;
  baseUrl?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Attempts per request, including the first (default 4). */
  maxAttempts?: number;
  /** Total time all retries of one request may wait (default 30 s). */
  maxRetryWaitMs?: number;
  /** Pages followed at most per list (default 50): a loop guard, not a limit real accounts reach. */
  maxPages?: number;
  /** `per_page` asked for on lists that document it (default 200, DO's maximum). */
  pageSize?: number;
  /** How the token is named in a refusal (default `the DigitalOcean token`), e.g. `input 'do-token'`. */
  tokenName?: string;
}

/** A DigitalOcean API failure: the endpoint, the status and DO's own `id` and `message`. */
export class DigitalOceanApiError extends Error {
  override name = 'DigitalOceanApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly endpoint: string,
    readonly doId?: string
  ) {
    super(message);
  }
}

export interface DigitalOceanClient {
  getAccount(): Promise<DoAccount>;
  getBalance(): Promise<DoBalance>;
  listBillingHistory(): Promise<DoBillingEntry[]>;
  listInvoices(): Promise<DoInvoiceList>;
  listDroplets(opts?: { tag?: string }): Promise<DoDroplet[]>;
  listDatabases(): Promise<DoDatabase[]>;
  /** A managed cluster's backups, newest first (the runbook's `doctl databases backup list <id>`). */
  listDatabaseBackups(databaseId: string): Promise<DoDatabaseBackup[]>;
  listVolumes(): Promise<DoVolume[]>;
  listSnapshots(opts?: { resourceType?: 'droplet' | 'volume' }): Promise<DoSnapshot[]>;
  listLoadBalancers(): Promise<DoLoadBalancer[]>;
  addDropletsToLoadBalancer(lbId: string, dropletIds: number[]): Promise<void>;
  removeDropletsFromLoadBalancer(lbId: string, dropletIds: number[]): Promise<void>;
  /** Droplet sizes with their prices (every page). */
  listSizes(): Promise<DoSize[]>;
  /** Images; `private: true` lists the account's own (snapshots, backups, custom images). */
  listImages(opts?: { private?: boolean; type?: 'distribution' | 'application' }): Promise<DoImage[]>;
  /** The account's container registry with its subscription tier, or undefined when it has none (404). */
  getRegistry(): Promise<DoRegistry | undefined>;
  listRegistryRepositories(registry: string): Promise<DoRegistryRepository[]>;
  listRegistryManifests(registry: string, repository: string): Promise<DoRegistryManifest[]>;
  /** The `ratelimit-*` headers of the latest answer, and how long the client has waited for the limit. */
  rateLimit(): DoRateLimit;
}

type Json = Record<string, unknown>;

/**
 * The read scope each endpoint needs, as DigitalOcean's OpenAPI description declares it (its `security`
 * block; a test checks this table against that file), so a refusal can say which scope is missing.
 */
const SCOPES: ReadonlyArray<[RegExp, string]> = [
  [/^\/v2\/account$/, 'account:read'],
  [/^\/v2\/customers\/my\//, 'billing:read'],
  [/^\/v2\/droplets/, 'droplet:read'],
  [/^\/v2\/databases/, 'database:read'],
  [/^\/v2\/volumes/, 'block_storage:read'],
  [/^\/v2\/snapshots/, 'snapshot:read'],
  [/^\/v2\/load_balancers\/[^/]+\/droplets$/, 'load_balancer:update'],
  [/^\/v2\/load_balancers/, 'load_balancer:read'],
  [/^\/v2\/sizes/, 'sizes:read'],
  [/^\/v2\/images/, 'image:read'],
  [/^\/v2\/registry/, 'registry:read']
];

/** The scope DigitalOcean requires for a path, when this client knows it. */
export function scopeForPath(path: string): string | undefined {
  return SCOPES.find(([re]) => re.test(path))?.[1];
}

/** A registry or repository name as DO allows it, so it can go into a path unescaped. */
const REGISTRY_NAME = /^[a-z0-9-]{1,63}$/;

const LB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Creates a client. The token is registered as a secret before any request. Throws ConfigurationError
 * for a missing token or a base URL that is not http(s).
 */
export function createDigitalOceanClient(opts: DigitalOceanClientOptions): DigitalOceanClient {
  const token = opts.token?.trim();
  if (!token) {
    throw new ConfigurationError('A DigitalOcean API token is required: pass a read-scoped token from a secret, e.g. `${{ secrets.DIGITALOCEAN_TOKEN }}`.');
  }
  registerSecret(token);
  let base: URL;
  try {
    base = new URL(opts.baseUrl ?? 'https://api.digitalocean.com');
  } catch {
    throw new ConfigurationError(`The DigitalOcean API base URL must be an http(s) URL such as https://api.digitalocean.com.`);
  }
  if (!/^https?:$/.test(base.protocol)) {
    throw new ConfigurationError(`The DigitalOcean API base URL must be an http(s) URL such as https://api.digitalocean.com.`);
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxRetryWaitMs = opts.maxRetryWaitMs ?? 30_000;
  const maxPages = opts.maxPages ?? 50;
  const pageSize = Math.min(200, Math.max(1, Math.floor(opts.pageSize ?? 200)));
  const tokenName = opts.tokenName ?? 'the DigitalOcean token';
  const limits: DoRateLimit = { waitedMs: 0 };

  /** Remembers DO's `ratelimit-*` headers (sent on every answer). */
  const noteLimits = (res: Response): void => {
    const n = (h: string): number | undefined => {
      const v = res.headers.get(h);
      return v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    };
    const limit = n('ratelimit-limit');
    const remaining = n('ratelimit-remaining');
    const reset = n('ratelimit-reset');
    if (limit !== undefined) limits.limit = limit;
    if (remaining !== undefined) limits.remaining = remaining;
    if (reset !== undefined) limits.resetAt = new Date(reset * 1000).toISOString();
  };

  /**
   * When the last answer said no request is left until the reset, wait for it (within the retry budget)
   * rather than spend a request on a certain 429.
   */
  const paceForLimit = async (): Promise<void> => {
    if (limits.remaining !== 0 || !limits.resetAt) return;
    const waitMs = Date.parse(limits.resetAt) - Date.now();
    if (waitMs <= 0) return;
    const wait = Math.min(waitMs, Math.max(0, maxRetryWaitMs - limits.waitedMs));
    limits.waitedMs += wait;
    limits.remaining = undefined;
    await new Promise((resolve) => setTimeout(resolve, wait));
  };

  /** Resolves a path (or a `links.pages.next` URL) against the base URL: the token never goes to another host. */
  const urlFor = (pathOrUrl: string): URL => {
    const u = new URL(pathOrUrl, base);
    return new URL(`${u.pathname}${u.search}`, base);
  };

  const request = async (method: string, pathOrUrl: string, body?: unknown): Promise<Json | undefined> => {
    const url = urlFor(pathOrUrl);
    const endpoint = `${method} ${url.pathname}`;
    // One attempt; a retryable failure carries the wait DigitalOcean asked for (or none: backoff).
    const attempt = async (n: number): Promise<Json | undefined> => {
      await paceForLimit();
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs)
        });
      } catch (error) {
        // A network failure is retried like a 5xx: the request may not have reached DO.
        const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
        throw new RetryableFailure(new DigitalOceanApiError(scrubSecrets(`DigitalOcean ${endpoint} failed: ${reason}`), undefined, endpoint));
      }
      noteLimits(res);
      const text = await res.text();
      if (res.ok) {
        if (!text) return undefined;
        try {
          return JSON.parse(text) as Json;
        } catch {
          throw new DigitalOceanApiError(`DigitalOcean ${endpoint} answered ${res.status} with a body that is not JSON`, res.status, endpoint);
        }
      }
      const retryable = res.status === 429 || res.status >= 500;
      // A 429's own wait (retry-after) covers the limit: do not wait for the reset a second time.
      if (res.status === 429) limits.remaining = undefined;
      const error = apiError(endpoint, res.status, text, retryable ? n : 0, tokenName, scopeForPath(url.pathname));
      throw retryable ? new RetryableFailure(error, retryWait(res)) : error;
    };
    try {
      return await withRetries(attempt, {
        attempts: maxAttempts,
        baseMs: 1000,
        maxMs: 8000,
        jitter: 0,
        maxTotalWaitMs: maxRetryWaitMs,
        classify: (e) => {
          if (!(e instanceof RetryableFailure)) return { retry: false };
          if (e.waitMs !== undefined) limits.waitedMs += e.waitMs;
          return { retry: true, waitMs: e.waitMs };
        }
      });
    } catch (e) {
      throw e instanceof RetryableFailure ? e.error : e;
    }
  };

  const list = async <T>(path: string, key: string, map: (raw: Json) => T, paged = true): Promise<T[]> => {
    const out: T[] = [];
    let next: string | undefined = paged ? `${path}${path.includes('?') ? '&' : '?'}per_page=${pageSize}` : path;
    for (let pages = 0; next; pages++) {
      if (pages >= maxPages) throw new DigitalOceanApiError(`DigitalOcean GET ${path}: more than ${maxPages} pages; stopped following links.pages.next`, undefined, `GET ${path}`);
      const page = (await request('GET', next)) ?? {};
      const items = page[key];
      if (!Array.isArray(items)) throw new DigitalOceanApiError(`DigitalOcean GET ${path} answered without a '${key}' list`, 200, `GET ${path}`);
      for (const item of items) out.push(map(item as Json));
      const links = page.links as { pages?: { next?: unknown } } | undefined;
      next = typeof links?.pages?.next === 'string' ? links.pages.next : undefined;
    }
    return out;
  };

  const lbChange = async (method: 'POST' | 'DELETE', lbId: string, dropletIds: number[]): Promise<void> => {
    if (!LB_ID.test(lbId)) throw new ConfigurationError(`Load balancer id '${lbId.slice(0, 40)}' is not a DigitalOcean load balancer UUID (see 'doctl compute load-balancer list').`);
    if (!dropletIds.length || !dropletIds.every((id) => Number.isSafeInteger(id) && id > 0)) {
      throw new ConfigurationError(`Droplet ids for load balancer ${lbId} must be a non-empty list of positive whole numbers, got ${JSON.stringify(dropletIds).slice(0, 80)}.`);
    }
    await request(method, `/v2/load_balancers/${lbId}/droplets`, { droplet_ids: dropletIds });
  };

  return {
    async getAccount() {
      const a = ((await request('GET', '/v2/account')) ?? {}).account as Json;
      const team = a.team as Json | undefined;
      return {
        email: str(a.email),
        uuid: str(a.uuid),
        status: str(a.status),
        statusMessage: str(a.status_message),
        dropletLimit: num(a.droplet_limit),
        ...(team && typeof team.name === 'string' ? { teamName: team.name } : {})
      };
    },
    async getBalance() {
      const b = (await request('GET', '/v2/customers/my/balance')) ?? {};
      return {
        monthToDateBalance: money(b.month_to_date_balance),
        accountBalance: money(b.account_balance),
        monthToDateUsage: money(b.month_to_date_usage),
        generatedAt: str(b.generated_at)
      };
    },
    // Billing history documents no page parameters: ask without them, still follow any next link.
    listBillingHistory: () =>
      list(
        '/v2/customers/my/billing_history',
        'billing_history',
        (e) => ({
          description: str(e.description),
          amount: money(e.amount),
          date: str(e.date),
          type: str(e.type),
          ...(typeof e.invoice_id === 'string' && e.invoice_id ? { invoiceId: e.invoice_id } : {}),
          ...(typeof e.invoice_uuid === 'string' && e.invoice_uuid ? { invoiceUuid: e.invoice_uuid } : {})
        }),
        false
      ),
    async listInvoices() {
      let preview: DoInvoice | undefined;
      const invoices: DoInvoice[] = [];
      let next: string | undefined = `/v2/customers/my/invoices?per_page=${pageSize}`;
      for (let pages = 0; next && pages < maxPages; pages++) {
        const page: Json = (await request('GET', next)) ?? {};
        for (const raw of (page.invoices as Json[] | undefined) ?? []) invoices.push(invoice(raw));
        if (page.invoice_preview && typeof page.invoice_preview === 'object') preview = invoice(page.invoice_preview as Json);
        const links = page.links as { pages?: { next?: unknown } } | undefined;
        next = typeof links?.pages?.next === 'string' ? links.pages.next : undefined;
      }
      return preview ? { invoices, preview } : { invoices };
    },
    listDroplets: (o = {}) => list(`/v2/droplets${o.tag ? `?tag_name=${encodeURIComponent(o.tag)}` : ''}`, 'droplets', droplet),
    // The cluster list documents no page parameters either.
    listDatabases: () => list('/v2/databases', 'databases', database, false),
    listDatabaseBackups: async (databaseId) => {
      const backups = await list(`/v2/databases/${encodeURIComponent(databaseId)}/backups`, 'backups', (b) => ({ createdAt: str(b.created_at), sizeGigabytes: num(b.size_gigabytes) }), false);
      return backups.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },
    listVolumes: () =>
      list('/v2/volumes', 'volumes', (v) => ({
        id: str(v.id),
        name: str(v.name),
        sizeGigabytes: num(v.size_gigabytes),
        ...(regionSlug(v.region) ? { region: regionSlug(v.region) } : {}),
        dropletIds: Array.isArray(v.droplet_ids) ? (v.droplet_ids as number[]) : [],
        ...(typeof v.created_at === 'string' ? { createdAt: v.created_at } : {})
      })),
    listSnapshots: (o = {}) =>
      list(`/v2/snapshots${o.resourceType ? `?resource_type=${o.resourceType}` : ''}`, 'snapshots', (s) => ({
        id: str(s.id),
        name: str(s.name),
        createdAt: str(s.created_at),
        sizeGigabytes: num(s.size_gigabytes),
        minDiskSize: num(s.min_disk_size),
        resourceId: str(s.resource_id),
        resourceType: str(s.resource_type),
        regions: Array.isArray(s.regions) ? (s.regions as string[]) : []
      })),
    listLoadBalancers: () => list('/v2/load_balancers', 'load_balancers', loadBalancer),
    addDropletsToLoadBalancer: (lbId, ids) => lbChange('POST', lbId, ids),
    removeDropletsFromLoadBalancer: (lbId, ids) => lbChange('DELETE', lbId, ids),
    listSizes: () =>
      list('/v2/sizes', 'sizes', (z) => ({
        slug: str(z.slug),
        vcpus: num(z.vcpus),
        memoryMb: num(z.memory),
        diskGb: num(z.disk),
        priceMonthly: num(z.price_monthly),
        priceHourly: num(z.price_hourly),
        regions: Array.isArray(z.regions) ? (z.regions as string[]) : [],
        available: z.available === true,
        description: str(z.description)
      })),
    listImages: (o = {}) => {
      const q = [o.private ? 'private=true' : '', o.type ? `type=${o.type}` : ''].filter(Boolean).join('&');
      return list(`/v2/images${q ? `?${q}` : ''}`, 'images', (i) => ({
        id: num(i.id),
        name: str(i.name),
        type: str(i.type),
        createdAt: str(i.created_at),
        sizeGigabytes: typeof i.size_gigabytes === 'number' ? i.size_gigabytes : 0,
        regions: Array.isArray(i.regions) ? (i.regions as string[]) : [],
        ...(typeof i.status === 'string' ? { status: i.status } : {})
      }));
    },
    async getRegistry() {
      let raw: Json;
      try {
        raw = (((await request('GET', '/v2/registry')) ?? {}).registry ?? {}) as Json;
      } catch (e) {
        if (e instanceof DigitalOceanApiError && e.status === 404) return undefined;
        throw e;
      }
      const sub = (((await request('GET', '/v2/registry/subscription')) ?? {}).subscription ?? {}) as Json;
      const tier = (sub.tier ?? {}) as Json;
      return {
        name: str(raw.name),
        ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
        storageUsageBytes: num(raw.storage_usage_bytes ?? 0),
        tier: {
          slug: str(tier.slug),
          name: str(tier.name),
          monthlyPriceCents: num(tier.monthly_price_in_cents ?? 0),
          includedStorageBytes: num(tier.included_storage_bytes ?? 0),
          storageOveragePriceCents: num(tier.storage_overage_price_in_cents ?? 0),
          allowStorageOverage: tier.allow_storage_overage === true
        }
      };
    },
    listRegistryRepositories: (registry) =>
      list(`/v2/registry/${registryName(registry)}/repositoriesV2`, 'repositories', (r) => ({
        name: str(r.name),
        tagCount: num(r.tag_count ?? 0),
        manifestCount: num(r.manifest_count ?? 0)
      })),
    listRegistryManifests: (registry, repository) =>
      list(`/v2/registry/${registryName(registry)}/repositories/${encodeURIComponent(repository)}/digests`, 'manifests', (m) => ({
        digest: str(m.digest),
        tags: Array.isArray(m.tags) ? (m.tags as string[]) : [],
        compressedSizeBytes: num(m.compressed_size_bytes ?? 0),
        sizeBytes: num(m.size_bytes ?? 0),
        updatedAt: str(m.updated_at)
      })),
    rateLimit: () => ({ ...limits })
  };
}

/** A failure worth another attempt, with the wait DigitalOcean asked for when it said. */
class RetryableFailure extends Error {
  constructor(
    readonly error: Error,
    readonly waitMs?: number
  ) {
    super(error.message);
  }
}

/** DO sends `retry-after` (seconds) on 429 and `ratelimit-reset` (epoch seconds) on every answer. */
function retryWait(res: Response): number | undefined {
  const retryAfter = Number(res.headers.get('retry-after'));
  if (res.headers.has('retry-after') && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(res.headers.get('ratelimit-reset'));
  if (res.status === 429 && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - Date.now());
  return undefined;
}

function registryName(name: string): string {
  if (!REGISTRY_NAME.test(name)) throw new ConfigurationError(`'${name.slice(0, 70)}' is not a DigitalOcean registry name (lower-case letters, digits and dashes).`);
  return name;
}

function apiError(endpoint: string, status: number, text: string, attempts: number, tokenName: string, scope: string | undefined): Error {
  let id: string | undefined;
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { id?: unknown; message?: unknown };
    if (typeof body.id === 'string') id = body.id;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON (a proxy's HTML page): the start of the text is the best we have.
  }
  const detail = `${status}${id ? ` ${id}` : ''}: ${message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`;
  const needs = scope ? `the scope '${scope}'` : 'the scope this action needs';
  if (status === 401) {
    return new ConfigurationError(
      scrubSecrets(
        `DigitalOcean refused ${endpoint} (${detail}): it rejected ${tokenName} as wrong, expired or revoked. ` +
          `Put a current personal access token in the secret; this call needs ${needs} (a custom-scoped token with read scopes, or a read-only token, is enough).`
      )
    );
  }
  if (status === 403) {
    return new ConfigurationError(
      scrubSecrets(`DigitalOcean refused ${endpoint} (${detail}): ${tokenName} is valid but lacks ${needs}. Add that scope to the token, or use a read-only token.`)
    );
  }
  return new DigitalOceanApiError(scrubSecrets(`DigitalOcean ${endpoint} failed: ${detail}`), status, endpoint, id);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/** DO sends money as decimal strings ("61.30"). */
function money(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

function regionSlug(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Json).slug === 'string') return (v as Json).slug as string;
  return undefined;
}

function invoice(raw: Json): DoInvoice {
  return {
    invoiceUuid: str(raw.invoice_uuid),
    ...(typeof raw.invoice_id === 'string' && raw.invoice_id ? { invoiceId: raw.invoice_id } : {}),
    amount: money(raw.amount),
    period: str(raw.invoice_period),
    ...(typeof raw.updated_at === 'string' ? { updatedAt: raw.updated_at } : {})
  };
}

function droplet(d: Json): DoDroplet {
  const size = (d.size ?? {}) as Json;
  const v4 = (((d.networks ?? {}) as Json).v4 ?? []) as Json[];
  const ip = (type: string): string | undefined => v4.find((n) => n.type === type)?.ip_address as string | undefined;
  const pub = ip('public');
  const priv = ip('private');
  return {
    id: num(d.id),
    name: str(d.name),
    status: str(d.status),
    sizeSlug: str(d.size_slug ?? size.slug),
    vcpus: num(d.vcpus),
    memoryMb: num(d.memory),
    diskGb: num(d.disk),
    priceMonthly: num(size.price_monthly),
    priceHourly: num(size.price_hourly),
    region: regionSlug(d.region) ?? '',
    tags: Array.isArray(d.tags) ? (d.tags as string[]) : [],
    createdAt: str(d.created_at),
    ...(pub ? { publicIpv4: pub } : {}),
    ...(priv ? { privateIpv4: priv } : {}),
    volumeIds: Array.isArray(d.volume_ids) ? (d.volume_ids as string[]) : [],
    ...(Array.isArray(d.features) && d.features.includes('backups') ? { backupsEnabled: true } : {})
  };
}

function database(d: Json): DoDatabase {
  return {
    id: str(d.id),
    name: str(d.name),
    engine: str(d.engine),
    ...(typeof d.version === 'string' ? { version: d.version } : {}),
    sizeSlug: str(d.size),
    numNodes: num(d.num_nodes),
    region: str(d.region),
    ...(typeof d.status === 'string' ? { status: d.status } : {}),
    ...(typeof d.storage_size_mib === 'number' ? { storageSizeMib: d.storage_size_mib } : {}),
    tags: Array.isArray(d.tags) ? (d.tags as string[]) : []
  };
}

function loadBalancer(lb: Json): DoLoadBalancer {
  return {
    id: str(lb.id),
    name: str(lb.name),
    ...(typeof lb.status === 'string' ? { status: lb.status } : {}),
    ...(typeof lb.ip === 'string' && lb.ip ? { ip: lb.ip } : {}),
    ...(typeof lb.size === 'string' ? { size: lb.size } : {}),
    ...(typeof lb.size_unit === 'number' ? { sizeUnit: lb.size_unit } : {}),
    ...(regionSlug(lb.region) ? { region: regionSlug(lb.region) } : {}),
    dropletIds: Array.isArray(lb.droplet_ids) ? (lb.droplet_ids as number[]) : [],
    ...(typeof lb.tag === 'string' && lb.tag ? { tag: lb.tag } : {})
  };
}
