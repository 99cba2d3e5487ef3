// Names what a GitHub call was doing when it failed, in words the issue manager reports as a warning.
// Nothing is retried here: the client from github-client.ts retries rate limits and server errors
// itself (Octokit's retry and throttling plugins) and leaves a note on the error it finally gives up on.
import { scrubSecrets } from '../secrets.js';

/** A GitHub API failure, classified. `permission` means the token lacks `issues: write`. */
export class GitHubCallError extends Error {
  override name = 'GitHubCallError';
  constructor(
    message: string,
    readonly kind: 'permission' | 'auth' | 'not-found' | 'rate-limit' | 'validation' | 'server' | 'other',
    readonly status?: number
  ) {
    super(message);
  }
}

/** Why the client stopped retrying a rate-limited request. */
export interface RateLimitGiveUp {
  /** `budget`: the wait GitHub asked for exceeds what is left; `retries`: the per-request retries are used up. */
  reason: 'budget' | 'retries';
  /** The seconds GitHub asked to wait before the next try. */
  waitSeconds: number;
  /** Milliseconds of the client's total rate-limit budget still unused. */
  budgetLeftMs: number;
}

/** What the client knows about a request that failed for good; read back by `describeGitHubError`. */
export interface FailureNotes {
  /** How many times the request was sent, retries included. */
  attempts: number;
  rateLimit?: RateLimitGiveUp;
}

// Kept beside the error rather than on it: the RequestError reaches other callers unchanged.
const notes = new WeakMap<object, FailureNotes>();

/** Records what the client knows about `error` (called by github-client.ts only). */
export function recordFailureNotes(error: unknown, note: FailureNotes): void {
  if (error !== null && typeof error === 'object') notes.set(error, note);
}

/** Runs `call` and turns any failure into a GitHubCallError whose message starts with `what`. */
export async function callGitHub<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    throw describeGitHubError(what, thrown);
  }
}

interface HttpishError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/**
 * A plain-language GitHubCallError for a failed call: what was being done, what GitHub said (secrets
 * scrubbed) and, for rate limits, how many attempts were made and why the client stopped waiting.
 */
export function describeGitHubError(what: string, thrown: unknown): GitHubCallError {
  if (thrown instanceof GitHubCallError) return thrown;
  const error = (thrown ?? {}) as HttpishError;
  const status = typeof error.status === 'number' ? error.status : undefined;
  const message = apiMessage(error);
  const note = typeof thrown === 'object' && thrown !== null ? notes.get(thrown) : undefined;
  const tries = note && note.attempts > 1 ? ` after ${note.attempts} attempts` : '';
  const said = `${status ? `${status} ` : ''}${message}`;

  if (note?.rateLimit || isRateLimit(error, status, message)) {
    const limit = note?.rateLimit;
    const why = limit
      ? ` (GitHub asked to wait ${limit.waitSeconds} s; the retry budget left was ${Math.floor(limit.budgetLeftMs / 1000)} s)`
      : '';
    const n = note?.attempts ?? 1;
    return new GitHubCallError(`${what}: still rate limited after ${n} attempt${n === 1 ? '' : 's'}${why}: ${said}`, 'rate-limit', status);
  }
  if (status === 403 && /not accessible by integration|resource not accessible/i.test(message)) {
    return new GitHubCallError(`${what}: the token may not write issues (403 ${message}). Give the job 'permissions: issues: write'.`, 'permission', status);
  }
  if (status === 401) return new GitHubCallError(`${what}: GitHub rejected the token (401 ${message}).`, 'auth', status);
  if (status === 404) {
    return new GitHubCallError(`${what}: not found (404) — the repository is wrong or the token cannot see it.`, 'not-found', status);
  }
  if (status === 422) return new GitHubCallError(`${what}: GitHub refused the request (422 ${message}).`, 'validation', status);
  if (status !== undefined && status >= 500) return new GitHubCallError(`${what}: GitHub failed${tries} (HTTP ${said}).`, 'server', status);
  return new GitHubCallError(`${what}: ${status ? `HTTP ${status} ` : ''}${message}${tries}`, 'other', status);
}

function apiMessage(error: HttpishError): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  const text = typeof data?.message === 'string' ? data.message : (error.message ?? String(error));
  return scrubSecrets(text).slice(0, 300);
}

/** GitHub's two ways of saying "rate limited": 429, or 403 with the wording or an exhausted quota. */
function isRateLimit(error: HttpishError, status: number | undefined, message: string): boolean {
  const remaining = error.response?.headers?.['x-ratelimit-remaining'];
  return status === 429 || (status === 403 && (/rate limit/i.test(message) || String(remaining) === '0'));
}
