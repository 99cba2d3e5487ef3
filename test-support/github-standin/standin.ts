// An honest stand-in for the GitHub REST API subset the actions use (issues, comments, labels,
// deployments): every request and response is checked against GitHub's own OpenAPI description.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
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
import { renderComment, renderDeployment, renderDeploymentStatus, renderIssue, renderLabel, type RepoRef } from './render.js';
import { emptyGitHubState, type GitHubStandinState, type StandinIssue } from './state.js';

export type { GitHubStandinState, StandinIssue, StandinComment, StandinLabel, StandinDeployment, StandinDeploymentStatus } from './state.js';

/** GitHub's limit on issue and comment bodies, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface GitHubStandinOptions {
  /** The one repository served; other repositories answer 404 like a repository the token cannot see. */
  owner?: string;
  repo?: string;
  /** The token clients must send; a random `ghs_…` one by default. */
  token?: string;
  /** `read`: every write answers 403 "Resource not accessible by integration" (no `issues: write`). */
  permissions?: 'read' | 'write';
  /** The first write answers 403 secondary rate limit with `retry-after: 1` (shorthand for one `faults` entry). */
  rateLimitOnce?: boolean;
  /** Failures answered, in order, instead of the next matching requests (writes unless `on: 'any'`). */
  faults?: StandinFault[];
  /** Login of the token's user, the author of everything filed. */
  actor?: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

export interface GitHubStandin {
  /** Base URL to give Octokit (`baseUrl`) or `GITHUB_API_URL`. */
  url: string;
  token: string;
  owner: string;
  repo: string;
  state: GitHubStandinState;
  requests: RecordedRequest[];
  violations: Violation[];
  /** Scripted failures not answered yet, first next; a test may push more between requests. */
  faults: StandinFault[];
  /** Puts an issue (or pull request) in place before a test, as if a person had filed it. */
  seedIssue(init: Partial<StandinIssue> & { title: string }): StandinIssue;
  close(): Promise<void>;
}

/**
 * One scripted failure, answered the way GitHub answers it:
 * - `secondary-rate-limit`: 403 (or 429) "You have exceeded a secondary rate limit", with `retry-after`
 *   when `retryAfter` is given (GitHub sometimes sends none);
 * - `primary-rate-limit`: 403 "API rate limit exceeded" with `x-ratelimit-remaining: 0` and a reset time;
 * - `server-error`: 500, 502 or 503.
 */
export type StandinFault = { on?: 'write' | 'any' } & (
  | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number }
  | { kind: 'primary-rate-limit'; resetInSeconds?: number }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }
);

function faultResponse(fault: StandinFault): StandinResponse {
  switch (fault.kind) {
    case 'secondary-rate-limit':
      return {
        status: fault.status ?? 403,
        headers: { ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }), 'x-ratelimit-remaining': '4999' },
        body: githubError(
          fault.status ?? 403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.'
        )
      };
    case 'primary-rate-limit':
      return {
        status: 403,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-resource': 'core',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + (fault.resetInSeconds ?? 60))
        },
        body: githubError(403, 'API rate limit exceeded for installation ID 4242.')
      };
    case 'server-error':
      return { status: fault.status ?? 502, body: githubError(fault.status ?? 502, 'Server Error') };
  }
}

let githubValidator: OpenApiValidator | undefined;

/** The validator for api.github.com, built once per process (the description is 13 MB). */
export function getGitHubValidator(): OpenApiValidator {
  if (!githubValidator) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    githubValidator = new OpenApiValidator(loadOpenApiDocument(file), 'github');
  }
  return githubValidator;
}

const DOCS = 'https://docs.github.com/rest';

function githubError(status: number, message: string): Record<string, unknown> {
  if (status === 422 && message.startsWith('Validation Failed')) {
    const detail = message.slice('Validation Failed: '.length);
    return { message: 'Validation Failed', errors: [{ resource: 'Request', code: 'invalid', message: detail }], documentation_url: DOCS, status: '422' };
  }
  return { message, documentation_url: DOCS, status: String(status) };
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Starts the GitHub stand-in on 127.0.0.1 on a free port. */
export async function startGitHubStandin(opts: GitHubStandinOptions = {}): Promise<GitHubStandin> {
  const owner = opts.owner ?? 'a2a-world';
  const repo = opts.repo ?? 'a2a-platform';
  const token = opts.token ?? `ghs_${randomBytes(18).toString('hex')}`;
  const actor = opts.actor ?? 'github-actions[bot]';
  const state = emptyGitHubState();
  let nextId = 1000;
  const faults: StandinFault[] = [...(opts.rateLimitOnce ? [{ kind: 'secondary-rate-limit' as const, retryAfter: 1 }] : []), ...(opts.faults ?? [])];
  const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ref = (req: StandinRequest): RepoRef => ({ owner, repo, api: req.origin });
  let origin = '';

  const ensureLabel = (name: string) => {
    let label = state.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (!label) {
      label = { id: nextId++, name, color: 'ededed', description: null };
      state.labels.push(label);
    }
    return label;
  };
  const labelNames = (input: unknown): string[] =>
    Array.isArray(input) ? input.map((l) => (typeof l === 'string' ? l : String((l as { name?: string }).name ?? ''))).filter(Boolean) : [];
  const commentCount = (n: number): number => state.comments.filter((c) => c.issueNumber === n).length;
  const issueJson = (req: StandinRequest, issue: StandinIssue) => renderIssue(ref(req), issue, state.labels, commentCount(issue.number));
  const findIssue = (req: StandinRequest): StandinIssue | undefined => state.issues.find((i) => String(i.number) === req.params.issue_number);
  const notFound = (): StandinResponse => ({ status: 404, body: githubError(404, 'Not Found') });
  const tooLong = (field: string, text: unknown): StandinResponse | undefined =>
    typeof text === 'string' && text.length > GITHUB_BODY_LIMIT
      ? {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ resource: field === 'body' ? 'Issue' : 'IssueComment', code: 'custom', field, message: `${field} is too long (maximum is ${GITHUB_BODY_LIMIT} characters)` }],
            documentation_url: DOCS,
            status: '422'
          }
        }
      : undefined;

  /** Pages a list the way GitHub does: `per_page` (max 100), `page`, and a Link header. */
  const paginate = <T>(req: StandinRequest, items: T[]): { items: T[]; headers: Record<string, string> } => {
    const p = pageOf(req, items, 30, 100);
    const rels: string[] = [];
    if (p.page < p.last) rels.push(`<${p.urlOf(p.page + 1)}>; rel="next"`, `<${p.urlOf(p.last)}>; rel="last"`);
    if (p.page > 1) rels.push(`<${p.urlOf(1)}>; rel="first"`, `<${p.urlOf(p.page - 1)}>; rel="prev"`);
    return { items: p.items, headers: rels.length ? { link: rels.join(', ') } : {} };
  };

  const handlers: Record<string, StandinHandler> = {
    'issues/list-for-repo': (req) => {
      const wanted = req.query.get('state') ?? 'open';
      const labels = (req.query.get('labels') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      const matching = state.issues
        .filter((i) => wanted === 'all' || i.state === wanted)
        .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
        .sort((a, b) => b.number - a.number);
      const page = paginate(req, matching);
      return { status: 200, body: page.items.map((i) => issueJson(req, i)), headers: page.headers };
    },
    'issues/create': (req) => {
      const body = req.body as { title: string | number; body?: string; labels?: unknown[]; assignees?: string[] };
      const invalid = tooLong('body', body.body);
      if (invalid) return invalid;
      const issue = seedIssue({
        title: String(body.title),
        body: body.body ?? null,
        labels: labelNames(body.labels),
        assignees: body.assignees ?? []
      });
      return { status: 201, body: issueJson(req, issue), headers: { location: `${req.origin}/repos/${owner}/${repo}/issues/${issue.number}` } };
    },
    'issues/get': (req) => {
      const issue = findIssue(req);
      return issue ? { status: 200, body: issueJson(req, issue) } : notFound();
    },
    'issues/update': (req) => {
      const issue = findIssue(req);
      if (!issue) return notFound();
      const body = (req.body ?? {}) as { title?: string | number | null; body?: string | null; state?: 'open' | 'closed'; state_reason?: StandinIssue['stateReason']; labels?: unknown[]; assignees?: string[] };
      const invalid = tooLong('body', body.body);
      if (invalid) return invalid;
      if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
      if (body.body !== undefined) issue.body = body.body;
      if (body.labels !== undefined) issue.labels = labelNames(body.labels).map((n) => ensureLabel(n).name);
      if (body.assignees !== undefined) issue.assignees = body.assignees;
      if (body.state && body.state !== issue.state) {
        issue.state = body.state;
        issue.closedAt = body.state === 'closed' ? now() : null;
        // GitHub ignores state_reason unless the state changes; closing without one means "completed".
        issue.stateReason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
      }
      issue.updatedAt = now();
      return { status: 200, body: issueJson(req, issue) };
    },
    'issues/add-labels': (req) => {
      const issue = findIssue(req);
      if (!issue) return notFound();
      const body = req.body as { labels?: unknown[] } | unknown[] | undefined;
      const names = labelNames(Array.isArray(body) ? body : body?.labels);
      for (const n of names) {
        const label = ensureLabel(n);
        if (!issue.labels.includes(label.name)) issue.labels.push(label.name);
      }
      issue.updatedAt = now();
      return { status: 200, body: issue.labels.map((n) => renderLabel(ref(req), ensureLabel(n))) };
    },
    'issues/list-comments': (req) => {
      const issue = findIssue(req);
      if (!issue) return notFound();
      const page = paginate(req, state.comments.filter((c) => c.issueNumber === issue.number));
      return { status: 200, body: page.items.map((c) => renderComment(ref(req), c)), headers: page.headers };
    },
    'issues/create-comment': (req) => {
      const issue = findIssue(req);
      if (!issue) return notFound();
      const text = (req.body as { body: string }).body;
      const invalid = tooLong('body', text);
      if (invalid) return invalid;
      const comment = { id: nextId++, issueNumber: issue.number, body: text, author: actor, createdAt: now(), updatedAt: now() };
      state.comments.push(comment);
      issue.updatedAt = now();
      return { status: 201, body: renderComment(ref(req), comment) };
    },
    'issues/update-comment': (req) => {
      const comment = state.comments.find((c) => String(c.id) === req.params.comment_id);
      if (!comment) return notFound();
      const text = (req.body as { body: string }).body;
      const invalid = tooLong('body', text);
      if (invalid) return invalid;
      comment.body = text;
      comment.updatedAt = now();
      return { status: 200, body: renderComment(ref(req), comment) };
    },
    'issues/get-label': (req) => {
      const label = state.labels.find((l) => l.name.toLowerCase() === req.params.name.toLowerCase());
      return label ? { status: 200, body: renderLabel(ref(req), label) } : notFound();
    },
    'issues/create-label': (req) => {
      const body = req.body as { name: string; color?: string; description?: string };
      if (state.labels.some((l) => l.name.toLowerCase() === body.name.toLowerCase())) {
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }], documentation_url: DOCS, status: '422' }
        };
      }
      const label = { id: nextId++, name: body.name, color: (body.color ?? 'ededed').replace(/^#/, ''), description: body.description ?? null };
      state.labels.push(label);
      return { status: 201, body: renderLabel(ref(req), label) };
    },
    'repos/create-deployment': (req) => {
      const body = req.body as { ref: string; task?: string; environment?: string; description?: string | null; payload?: Record<string, unknown> | string; transient_environment?: boolean; production_environment?: boolean };
      const environment = body.environment ?? 'production';
      const deployment = {
        id: nextId++,
        ref: body.ref,
        // The stand-in has no git objects: a ref that already looks like a SHA is its own SHA.
        sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : Buffer.from(body.ref.padEnd(20, '0').slice(0, 20)).toString('hex'),
        task: body.task ?? 'deploy',
        environment,
        description: body.description ?? '',
        payload: body.payload ?? {},
        creator: actor,
        transientEnvironment: body.transient_environment ?? false,
        productionEnvironment: body.production_environment ?? environment === 'production',
        createdAt: now()
      };
      state.deployments.push(deployment);
      return { status: 201, body: renderDeployment(ref(req), deployment) };
    },
    'repos/list-deployments': (req) => {
      const q = req.query;
      const matching = state.deployments
        .filter((d) => (!q.get('sha') || d.sha === q.get('sha')) && (!q.get('ref') || d.ref === q.get('ref')))
        .filter((d) => (!q.get('task') || d.task === q.get('task')) && (!q.get('environment') || d.environment === q.get('environment')))
        .sort((a, b) => b.id - a.id);
      const page = paginate(req, matching);
      return { status: 200, body: page.items.map((d) => renderDeployment(ref(req), d)), headers: page.headers };
    },
    'repos/create-deployment-status': (req) => {
      const deployment = state.deployments.find((d) => String(d.id) === req.params.deployment_id);
      if (!deployment) return notFound();
      const body = req.body as { state: StandinDeploymentStatusState; description?: string; environment?: string; log_url?: string; target_url?: string; environment_url?: string };
      const status = {
        id: nextId++,
        deploymentId: deployment.id,
        state: body.state,
        description: body.description ?? '',
        environment: body.environment ?? deployment.environment,
        logUrl: body.log_url ?? body.target_url ?? '',
        environmentUrl: body.environment_url ?? '',
        creator: actor,
        createdAt: now()
      };
      state.deploymentStatuses.push(status);
      return { status: 201, body: renderDeploymentStatus(ref(req), status) };
    },
    'repos/list-deployment-statuses': (req) => {
      const deployment = state.deployments.find((d) => String(d.id) === req.params.deployment_id);
      if (!deployment) return notFound();
      const page = paginate(req, state.deploymentStatuses.filter((s) => s.deploymentId === deployment.id).sort((a, b) => b.id - a.id));
      return { status: 200, body: page.items.map((s) => renderDeploymentStatus(ref(req), s)), headers: page.headers };
    }
  };

  const gate = (req: StandinRequest): StandinResponse | undefined => {
    const auth = String(req.headers.authorization ?? '');
    const presented = auth.replace(/^(token|bearer)\s+/i, '');
    if (!auth || presented !== token) return { status: 401, body: githubError(401, 'Bad credentials') };
    if (req.params.owner !== undefined && (req.params.owner !== owner || req.params.repo !== repo)) return notFound();
    const write = WRITE_METHODS.has(req.method);
    const next = faults[0];
    if (next && (write || next.on === 'any')) return faultResponse(faults.shift()!);
    if (!write) return undefined;
    if (opts.permissions === 'read') return { status: 403, body: githubError(403, 'Resource not accessible by integration') };
    return undefined;
  };

  const seedIssue = (init: Partial<StandinIssue> & { title: string }): StandinIssue => {
    const number = state.issues.reduce((n, i) => Math.max(n, i.number), 0) + 1;
    const at = now();
    const issue: StandinIssue = {
      id: nextId++,
      number,
      body: null,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      author: actor,
      pullRequest: false,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      ...init
    };
    issue.labels = issue.labels.map((n) => ensureLabel(n).name);
    state.issues.push(issue);
    return issue;
  };

  const server = await startValidatedServer({
    validator: getGitHubValidator(),
    handlers,
    gate,
    errorBody: githubError,
    port: opts.port,
    extraRoutes: { 'GET /_standin/state': () => ({ status: 200, body: { owner, repo, url: origin, ...state } }) }
  });
  origin = server.url;
  return { url: server.url, token, owner, repo, state, requests: server.requests, violations: server.violations, faults, seedIssue, close: server.close };
}

type StandinDeploymentStatusState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
