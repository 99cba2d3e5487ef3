// The OpenAPI validator on both real descriptions: routes, parameters, bodies and responses.
import { describe, expect, it } from '@jest/globals';
import { getGitHubValidator } from '../github-standin/standin.js';
import { getDigitalOceanValidator } from '../digitalocean-standin/standin.js';
import type { MatchedOperation, OpenApiValidator } from '../openapi/openapi-validator.js';

function op(v: OpenApiValidator, method: string, path: string): MatchedOperation {
  const m = v.matchOperation(method, path);
  if ('reason' in m) throw new Error(`${method} ${path} did not match: ${m.reason}`);
  return m;
}

const none = { query: new URLSearchParams(), body: undefined, hasBody: false };

describe('OpenApiValidator on GitHub', () => {
  const gh = getGitHubValidator();

  it.each([
    ['GET', '/repos/o/r/issues', 'issues/list-for-repo'],
    ['PATCH', '/repos/o/r/issues/comments/77', 'issues/update-comment'],
    ['PATCH', '/repos/o/r/issues/12', 'issues/update'],
    ['POST', '/repos/o/r/deployments/5/statuses', 'repos/create-deployment-status'],
    ['GET', '/repos/o/r/labels/needs%20triage', 'issues/get-label']
  ])('routes %s %s to %s', (method, path, operationId) => {
    expect(op(gh, method, path).operationId).toBe(operationId);
  });

  it('decodes path parameters', () => {
    expect(op(gh, 'GET', '/repos/o/r/labels/needs%20triage').pathParams).toEqual({ owner: 'o', repo: 'r', name: 'needs triage' });
  });

  it.each([
    ['an unknown path', 'GET', '/repos/o/r/incidents', { reason: 'no-path' }],
    ['a verb the path does not have', 'PUT', '/repos/o/r/issues', { reason: 'no-method', allowed: ['GET', 'POST'] }]
  ])('reports %s', (_name, method, path, expected) => {
    expect(gh.matchOperation(method, path)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, RegExp | null]>([
    ['a good body', { title: 'Down', labels: ['a2a-ops'] }, null],
    ['a body without the required title', { body: 'x' }, /required property 'title'/],
    ['labels of the wrong type', { title: 't', labels: 'a2a-ops' }, /\/labels must be array/],
    ['a state_reason GitHub does not know', { title: 't', assignees: [1] }, /\/assignees\/0 must be string/]
  ])('checks a create-issue request with %s', (_name, body, problem) => {
    const problems = gh.validateRequest(op(gh, 'POST', '/repos/o/r/issues'), { query: new URLSearchParams(), body, hasBody: true });
    if (problem) expect(problems.join('\n')).toMatch(problem);
    else expect(problems).toEqual([]);
  });

  it.each<[string, string, RegExp | null]>([
    ['documented parameters', 'state=open&labels=a2a-ops&per_page=100&page=2', null],
    ['an unknown parameter', 'label=a2a-ops', /query parameter 'label' is not documented/],
    ['a state outside the enum', 'state=opened', /'state' must be equal to one of the allowed values/],
    ['a non-numeric page size', 'per_page=lots', /'per_page' must be integer/]
  ])('checks list-issues queries with %s', (_name, query, problem) => {
    const problems = gh.validateRequest(op(gh, 'GET', '/repos/o/r/issues'), { ...none, query: new URLSearchParams(query) });
    if (problem) expect(problems.join('\n')).toMatch(problem);
    else expect(problems).toEqual([]);
  });

  it('accepts null where GitHub marks a field nullable, including a nullable enum', () => {
    const problems = gh.validateRequest(op(gh, 'PATCH', '/repos/o/r/issues/1'), { query: new URLSearchParams(), body: { state_reason: null, milestone: null }, hasBody: true });
    expect(problems).toEqual([]);
  });

  it.each([
    ['an undocumented status', 418, { message: 'x' }, /status 418 is not documented/],
    ['an incomplete issue', 201, { id: 1 }, /required property/]
  ])('rejects a response with %s', (_name, status, body, problem) => {
    expect(gh.validateResponse(op(gh, 'POST', '/repos/o/r/issues'), status, body).join('\n')).toMatch(problem);
  });
});

describe('OpenApiValidator on DigitalOcean', () => {
  const doV = getDigitalOceanValidator();

  it('follows the description\'s references into other paths to find a 204 without a body', () => {
    const add = op(doV, 'POST', '/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6/droplets');
    expect(doV.validateResponse(add, 204, undefined)).toEqual([]);
    expect(doV.validateResponse(add, 204, { ok: true }).join()).toMatch(/no documented body/);
  });

  it.each<[string, unknown, RegExp | null]>([
    ['integer ids', { droplet_ids: [1, 2] }, null],
    ['string ids', { droplet_ids: ['1'] }, /\/droplet_ids\/0 must be integer/],
    ['no ids', {}, /required property 'droplet_ids'/]
  ])('checks a load-balancer membership body with %s', (_name, body, problem) => {
    const problems = doV.validateRequest(op(doV, 'DELETE', '/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6/droplets'), { query: new URLSearchParams(), body, hasBody: true });
    if (problem) expect(problems.join('\n')).toMatch(problem);
    else expect(problems).toEqual([]);
  });

  it('rejects money sent as a number where DO sends a decimal string', () => {
    const balance = op(doV, 'GET', '/v2/customers/my/balance');
    expect(doV.validateResponse(balance, 200, { month_to_date_usage: 61.3 }).join()).toMatch(/must be string/);
    expect(doV.validateResponse(balance, 200, { month_to_date_usage: '61.30' })).toEqual([]);
  });
});
