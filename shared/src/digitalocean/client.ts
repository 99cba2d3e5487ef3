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
  DoDroplet,
  DoInvoice,
  DoInvoiceList,
  DoLoadBalancer,
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
  listVolumes(): Promise<DoVolume[]>;
  listSnapshots(opts?: { resourceType?: 'droplet' | 'volume' }): Promise<DoSnapshot[]>;
  listLoadBalancers(): Promise<DoLoadBalancer[]>;
  addDropletsToLoadBalancer(lbId: string, dropletIds: number[]): Promise<void>;
  removeDropletsFromLoadBalancer(lbId: string, dropletIds: number[]): Promise<void>;
}

type Json = Record<string, unknown>;

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
      const error = apiError(endpoint, res.status, text, retryable ? n : 0);
      throw retryable ? new RetryableFailure(error, retryWait(res)) : error;
    };
    try {
      return await withRetries(attempt, {
        attempts: maxAttempts,
        baseMs: 1000,
        maxMs: 8000,
        jitter: 0,
        maxTotalWaitMs: maxRetryWaitMs,
        classify: (e) => (e instanceof RetryableFailure ? { retry: true, waitMs: e.waitMs } : { retry: false })
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
    removeDropletsFromLoadBalancer: (lbId, ids) => lbChange('DELETE', lbId, ids)
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

function apiError(endpoint: string, status: number, text: string, attempts: number): Error {
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
  if (status === 401 || status === 403) {
    return new ConfigurationError(
      scrubSecrets(`DigitalOcean refused ${endpoint} (${detail}). Check that the DigitalOcean token secret is current and has the scope this action needs.`)
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
    volumeIds: Array.isArray(d.volume_ids) ? (d.volume_ids as string[]) : []
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
    ...(regionSlug(lb.region) ? { region: regionSlug(lb.region) } : {}),
    dropletIds: Array.isArray(lb.droplet_ids) ? (lb.droplet_ids as number[]) : [],
    ...(typeof lb.tag === 'string' && lb.tag ? { tag: lb.tag } : {})
  };
}
