// The DigitalOcean stand-in answers like DigitalOcean: bearer auth, DO error bodies, honest violations.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startDigitalOceanStandin, type DigitalOceanStandin } from '../digitalocean-standin/standin.js';

let s: DigitalOceanStandin | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const LB = '4de7ac8b-495b-4884-9a69-1050c6793cd6';

async function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${s!.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? s!.token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('startDigitalOceanStandin', () => {
  it('answers 401 with DO\'s error shape for a wrong token', async () => {
    s = await startDigitalOceanStandin();
    const res = await call('/v2/account', { token: 'dop_v1_wrong' });
    expect(res).toMatchObject({ status: 401, body: { id: 'Unauthorized', message: 'Unable to authenticate you' } });
    expect(s.violations).toEqual([]);
  });

  it('pages droplets with links.pages and meta.total', async () => {
    s = await startDigitalOceanStandin();
    const first = await call('/v2/droplets?per_page=2');
    expect(first.body).toMatchObject({ meta: { total: 3 }, links: { pages: { next: `${s.url}/v2/droplets?per_page=2&page=2` } } });
    const second = await call('/v2/droplets?per_page=2&page=2');
    expect((second.body!.droplets as Array<{ name: string }>).map((d) => d.name)).toEqual(['monitoring']);
    expect(second.body).toMatchObject({ links: { pages: { prev: `${s.url}/v2/droplets?per_page=2&page=1` } } });
    expect(s.violations).toEqual([]);
  });

  it('changes the load balancer\'s droplet_ids on add and remove', async () => {
    s = await startDigitalOceanStandin();
    expect((await call(`/v2/load_balancers/${LB}/droplets`, { method: 'DELETE', body: { droplet_ids: [3164444] } })).status).toBe(204);
    expect(s.data.loadBalancers[0].droplet_ids).toEqual([3164445]);
    expect((await call(`/v2/load_balancers/${LB}/droplets`, { method: 'POST', body: { droplet_ids: [3164444] } })).status).toBe(204);
    expect(s.data.loadBalancers[0].droplet_ids).toEqual([3164445, 3164444]);
    expect((await call('/v2/load_balancers/00000000-0000-4000-8000-000000000000/droplets', { method: 'POST', body: { droplet_ids: [1] } })).status).toBe(404);
    expect(s.violations).toEqual([]);
  });

  it.each([
    ['a made-up path', '/v2/costs', 'GET', undefined, 'unknown-route', 404],
    ['an undocumented query parameter', '/v2/droplets?sort=name', 'GET', undefined, 'request', 422],
    ['droplet ids as strings', `/v2/load_balancers/${LB}/droplets`, 'POST', { droplet_ids: ['3164444'] }, 'request', 422],
    ['a verb the path does not have', '/v2/customers/my/balance', 'DELETE', undefined, 'unknown-route', 404]
  ])('records %s as a violation', async (_name, path, method, body, kind, status) => {
    s = await startDigitalOceanStandin();
    expect((await call(path, { method, body })).status).toBe(status);
    expect(s.violations).toEqual([expect.objectContaining({ kind })]);
    expect(s.data.loadBalancers[0].droplet_ids).toEqual([3164444, 3164445]);
  });
});
