// Calls the GitHub API with bounded retries on rate limits (403/429, honouring `retry-after`) and turns
// every other failure into a plain-language reason the issue manager reports as a warning.
import { scrubSecrets } from '../secrets.js';

/** How long all retries of one sync may wait in total, and how often one call is tried. */
export interface RetryBudget {
  /** Milliseconds still available for waiting; shared by every call of one sync. */
  remainingMs: number;
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
}

/** A GitHub API failure, classified. `permission` means the token lacks `issues: write`. */
export class GitHubCallError extends Error {
  override name = 'GitHubCallError';
  constructor(
    message: string,
    readonly kind: 'permission' | 'auth' | 'not-found' | 'rate-limit' | 'validation' | 'other',
    readonly status?: number
  ) {
    super(message);
  }
}

interface HttpishError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

const FALLBACK_WAITS_MS = [1000, 2000, 4000, 8000];

/** Runs `call`, retrying rate limits within `budget`; throws GitHubCallError naming `what`. */
export async function callGitHub<T>(what: string, call: () => Promise<T>, budget: RetryBudget): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (thrown) {
      const error = thrown as HttpishError;
      const status = typeof error.status === 'number' ? error.status : undefined;
      const message = apiMessage(error);
      const wait = rateLimitWait(error, status, message, attempt);
      if (wait !== undefined) {
        if (attempt >= budget.maxAttempts || wait > budget.remainingMs) {
          throw new GitHubCallError(
            `${what}: still rate limited after ${attempt} attempt${attempt === 1 ? '' : 's'} (GitHub asked to wait ${Math.ceil(wait / 1000)} s; the retry budget left was ${Math.floor(budget.remainingMs / 1000)} s)`,
            'rate-limit',
            status
          );
        }
        budget.remainingMs -= wait;
        await budget.sleep(wait);
        continue;
      }
      throw classify(what, status, message);
    }
  }
}

function apiMessage(error: HttpishError): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  const text = typeof data?.message === 'string' ? data.message : (error.message ?? String(error));
  return scrubSecrets(text).slice(0, 300);
}

/** Milliseconds to wait when the failure is a rate limit; `undefined` when it is not one. */
function rateLimitWait(error: HttpishError, status: number | undefined, message: string, attempt: number): number | undefined {
  const headers = error.response?.headers ?? {};
  const isLimit =
    status === 429 || (status === 403 && (/rate limit/i.test(message) || headers['x-ratelimit-remaining'] === '0'));
  if (!isLimit) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now()) + 500;
  return FALLBACK_WAITS_MS[Math.min(attempt - 1, FALLBACK_WAITS_MS.length - 1)];
}

function classify(what: string, status: number | undefined, message: string): GitHubCallError {
  if (status === 403 && /not accessible by integration|resource not accessible/i.test(message)) {
    return new GitHubCallError(
      `${what}: the token may not write issues (403 ${message}). Give the job 'permissions: issues: write'.`,
      'permission',
      status
    );
  }
  if (status === 401) return new GitHubCallError(`${what}: GitHub rejected the token (401 ${message}).`, 'auth', status);
  if (status === 404) {
    return new GitHubCallError(`${what}: not found (404) — the repository is wrong or the token cannot see it.`, 'not-found', status);
  }
  if (status === 422) return new GitHubCallError(`${what}: GitHub refused the request (422 ${message}).`, 'validation', status);
  return new GitHubCallError(`${what}: ${status ? `HTTP ${status} ` : ''}${message}`, 'other', status);
}
