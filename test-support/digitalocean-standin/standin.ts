// An honest stand-in for the DigitalOcean API v2 subset the cost and deploy actions use: every request
// and response is checked against DigitalOcean's own OpenAPI description (copied into this folder).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadOpenApiDocument, OpenApiValidator } from '../openapi/openapi-validator.js';
import {
  pageOf,
  startValidatedServer,
  type RecordedRequest,
  type StandinHandler,
  type StandinRequest,
  type StandinResponse,
  type Violation
} from '../openapi/validated-server.js';
import { a2aWorldFixtures, type DigitalOceanFixtures } from './fixtures.js';

export { a2aWorldFixtures, type DigitalOceanFixtures } from './fixtures.js';

export interface DigitalOceanStandinOptions {
  /** The bearer token clients must send; a random `dop_v1_…` one by default. */
  token?: string;
  fixtures?: DigitalOceanFixtures;
  /** The first N requests answer 429 with `retry-after: 1` and `ratelimit-reset`, as DO does. */
  rateLimitRequests?: number;
  /** The first N requests (after any rate-limited ones) answer 500. */
  serverErrorRequests?: number;
  /** Most items per page whatever `per_page` asks (default 200, DO's maximum): small values force several pages. */
  maxPerPage?: number;
  /** `ratelimit-remaining` on the first answer (default 4999 of 5000); it counts down per request, never below 0. */
  rateLimitRemaining?: number;
  port?: number;
}

export interface DigitalOceanStandin {
  url: string;
  token: string;
  /** The live data: LB add/remove changes `loadBalancers[i].droplet_ids` here. */
  data: DigitalOceanFixtures;
  requests: RecordedRequest[];
  violations: Violation[];
  close(): Promise<void>;
}

let doValidator: OpenApiValidator | undefined;

/** The validator for DigitalOcean's API v2, built once per process. */
export function getDigitalOceanValidator(): OpenApiValidator {
  if (!doValidator) {
    const file = fileURLToPath(new URL('./openapi.json', import.meta.url));
    doValidator = new OpenApiValidator(loadOpenApiDocument(file), 'digitalocean');
  }
  return doValidator;
}

function doError(status: number, message: string): Record<string, unknown> {
  const ids: Record<number, string> = {
    400: 'bad_request',
    401: 'Unauthorized',
    404: 'not_found',
    413: 'request_entity_too_large',
    422: 'unprocessable_entity',
    429: 'too_many_requests',
    500: 'server_error',
    501: 'not_implemented'
  };
  return { id: ids[status] ?? 'error', message, request_id: randomBytes(16).toString('hex') };
}

/** Starts the DigitalOcean stand-in on 127.0.0.1 on a free port. */
export async function startDigitalOceanStandin(opts: DigitalOceanStandinOptions = {}): Promise<DigitalOceanStandin> {
  const token = opts.token ?? `dop_v1_${randomBytes(32).toString('hex')}`;
  const data = opts.fixtures ?? a2aWorldFixtures();
  let rateLimited = opts.rateLimitRequests ?? 0;
  let serverErrors = opts.serverErrorRequests ?? 0;
  const maxPerPage = Math.max(1, opts.maxPerPage ?? 200);
  let remaining = opts.rateLimitRemaining ?? 4999;
  /** DO sends its `ratelimit-*` headers on every answer; reset is when the oldest request expires. */
  const limitHeaders = (): Record<string, string> => {
    const h = { 'ratelimit-limit': '5000', 'ratelimit-remaining': String(Math.max(0, remaining)), 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) };
    remaining = Math.max(0, remaining - 1);
    return h;
  };

  /** DO pages with `per_page` (default 20, max 200) and `page`, and links to the other pages. */
  const page = (req: StandinRequest, key: string, items: unknown[]): StandinResponse => {
    const p = pageOf(req, items, Math.min(20, maxPerPage), maxPerPage);
    const pages: Record<string, string> = {};
    if (p.page > 1) Object.assign(pages, { first: p.urlOf(1), prev: p.urlOf(p.page - 1) });
    if (p.page < p.last) Object.assign(pages, { next: p.urlOf(p.page + 1), last: p.urlOf(p.last) });
    return { status: 200, body: { [key]: p.items, links: { pages }, meta: { total: items.length } } };
  };
  const all = (key: string, items: unknown[]): StandinResponse => ({ status: 200, body: { [key]: items, links: {}, meta: { total: items.length } } });
  const findLb = (req: StandinRequest) => data.loadBalancers.find((lb) => lb.id === req.params.lb_id);
  const lbDroplets = (req: StandinRequest, change: (lb: DigitalOceanFixtures['loadBalancers'][number], ids: number[]) => void): StandinResponse => {
    const lb = findLb(req);
    if (!lb) return { status: 404, body: doError(404, 'The resource you were accessing could not be found.') };
    const ids = (req.body as { droplet_ids: number[] }).droplet_ids;
    const unknown = ids.filter((id) => !data.droplets.some((d) => d.id === id));
    if (unknown.length) return { status: 422, body: doError(422, `Droplet(s) ${unknown.join(', ')} not found.`) };
    change(lb, ids);
    return { status: 204 };
  };

  const handlers: Record<string, StandinHandler> = {
    account_get: () => ({ status: 200, body: { account: data.account } }),
    balance_get: () => ({ status: 200, body: data.balance }),
    // Neither billing history nor database clusters document `page`/`per_page`: they come whole.
    billingHistory_list: () => all('billing_history', data.billingHistory),
    invoices_list: (req) => {
      const answer = page(req, 'invoices', data.invoices);
      (answer.body as Record<string, unknown>).invoice_preview = data.invoicePreview;
      return answer;
    },
    droplets_list: (req) => {
      const tag = req.query.get('tag_name');
      return page(req, 'droplets', tag ? data.droplets.filter((d) => (d.tags as string[]).includes(tag)) : data.droplets);
    },
    databases_list_clusters: () => ({ status: 200, body: { databases: data.databases } }),
    databases_list_backups: (req) => {
      if (!data.databases.some((d) => d.id === req.params.database_cluster_uuid)) return { status: 404, body: doError(404, 'The resource you were accessing could not be found.') };
      return { status: 200, body: { backups: data.databaseBackups?.[req.params.database_cluster_uuid] ?? [] } };
    },
    volumes_list: (req) => page(req, 'volumes', data.volumes),
    snapshots_list: (req) => {
      const type = req.query.get('resource_type');
      return page(req, 'snapshots', type ? data.snapshots.filter((s) => s.resource_type === type) : data.snapshots);
    },
    loadBalancers_list: (req) => page(req, 'load_balancers', data.loadBalancers),
    loadBalancers_get: (req) => {
      const lb = findLb(req);
      return lb ? { status: 200, body: { load_balancer: lb } } : { status: 404, body: doError(404, 'The resource you were accessing could not be found.') };
    },
    loadBalancers_add_droplets: (req) =>
      lbDroplets(req, (lb, ids) => {
        lb.droplet_ids = [...new Set([...lb.droplet_ids, ...ids])];
      }),
    loadBalancers_remove_droplets: (req) =>
      lbDroplets(req, (lb, ids) => {
        lb.droplet_ids = lb.droplet_ids.filter((id) => !ids.includes(id));
      }),
    sizes_list: (req) => page(req, 'sizes', data.sizes ?? []),
    images_list: (req) => {
      const priv = req.query.get('private');
      const type = req.query.get('type');
      let images = data.images ?? [];
      if (priv === 'true') images = images.filter((i) => i.public === false);
      if (type) images = images.filter((i) => (type === 'distribution' ? i.type === 'base' && i.public !== false : i.type === type));
      return page(req, 'images', images);
    },
    registry_get: () =>
      data.registry
        ? { status: 200, body: { registry: { ...data.registry, ...(data.registrySubscription ? { subscription: data.registrySubscription } : {}) } } }
        : { status: 404, body: doError(404, 'The resource you were accessing could not be found.') },
    registry_get_subscription: () => ({ status: 200, body: { subscription: data.registrySubscription ?? {} } }),
    registry_list_repositoriesV2: (req) => {
      if (!data.registry || req.params.registry_name !== data.registry.name) return { status: 404, body: doError(404, 'The resource you were accessing could not be found.') };
      return page(req, 'repositories', (data.registryRepositories ?? []).map((r) => r.repository));
    },
    registry_list_repositoryManifests: (req) => {
      const repo = (data.registryRepositories ?? []).find((r) => r.repository.name === req.params.repository_name);
      if (!data.registry || req.params.registry_name !== data.registry.name || !repo) return { status: 404, body: doError(404, 'The resource you were accessing could not be found.') };
      return page(req, 'manifests', repo.manifests);
    }
  };
  // Every answer carries the rate-limit headers, as DO's do.
  for (const [op, handler] of Object.entries(handlers)) {
    handlers[op] = async (req) => {
      const answer = await handler(req);
      return { ...answer, headers: { ...limitHeaders(), ...answer.headers } };
    };
  }

  const gate = (req: StandinRequest): StandinResponse | undefined => {
    if (String(req.headers.authorization ?? '') !== `Bearer ${token}`) {
      return { status: 401, body: doError(401, 'Unable to authenticate you') };
    }
    if (rateLimited > 0) {
      rateLimited--;
      return {
        status: 429,
        headers: { 'retry-after': '1', 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
        body: doError(429, 'API Rate limit exceeded.')
      };
    }
    if (serverErrors > 0) {
      serverErrors--;
      return { status: 500, body: doError(500, 'Server was unable to give you a response.') };
    }
    return undefined;
  };

  const server = await startValidatedServer({ validator: getDigitalOceanValidator(), handlers, gate, errorBody: doError, port: opts.port });
  return { url: server.url, token, data, requests: server.requests, violations: server.violations, close: server.close };
}
