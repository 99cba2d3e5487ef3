// The one way a2a-ops builds its GitHub client: @actions/github's Octokit with Octokit's own retry
// (server errors) and throttling (rate limits, write pacing) plugins, both bounded so a run never stalls.
// Octokit loads with the first client (loadLibrary('github')): a run that files no issues never parses it.
import type { getOctokit } from '@actions/github';
import { loadLibrary } from '../libraries/load-library.js';
import { recordFailureNotes, type RateLimitGiveUp } from './github-call.js';

/** The Octokit `createGitHubClient` returns: REST methods, pagination, retry and throttling. */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  /** GITHUB_TOKEN or a PAT. */
  token: string;
  /** API root; defaults to `GITHUB_API_URL` (read now, not when @actions/github was imported), then api.github.com. */
  baseUrl?: string;
  /** Rate-limit waits as they start, and Octokit's own warnings. Defaults to Octokit's (console.warn). */
  warn?: (message: string) => void;
  /**
   * Total time all rate-limit waits of this client may take, in milliseconds of GitHub's clock (not
   * scaled by `timeScale`). A wait that would exceed what is left is not taken: the request fails with
   * GitHub's original answer. Default 30 000.
   */
  rateLimitBudgetMs?: number;
  /** How often one request is retried after a primary or secondary rate limit. Default 3. */
  rateLimitRetries?: number;
  /** How often one request is retried after a 5xx or a network failure (waits 1 s, then 4 s, 9 s). Default 2. */
  serverErrorRetries?: number;
  /**
   * Multiplies every real wait: `retry-after`, the 5xx back-off and the plugin's pacing of writes (1 s
   * apart, 3 s for writes that notify). 1 in production; tests pass 0.001 to run in milliseconds.
   */
  timeScale?: number;
}

/** Statuses a retry cannot fix. 403 and 429 are left to the throttling plugin, which knows rate limits. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/**
 * Creates the GitHub client. Rate limits (403/429 with `retry-after`, or an exhausted quota until
 * `x-ratelimit-reset`) are retried at most `rateLimitRetries` times per request and only while the wait
 * fits in the budget shared by every request of this client; 5xx and network failures are retried
 * `serverErrorRetries` times; 401, 403 (permission), 404 and 422 are never retried. A request that fails
 * for good rejects with Octokit's RequestError; `describeGitHubError` (github-call.ts) reads how many
 * attempts were made and why waiting stopped.
 */
export async function createGitHubClient(opts: GitHubClientOptions): Promise<GitHubClient> {
  // Octokit, its two plugins and Bottleneck: one shared library, loaded only by runs that call GitHub.
  const { getOctokit, retry, throttling, Bottleneck } = await loadLibrary('github');
  const scale = opts.timeScale ?? 1;
  const maxRetries = opts.rateLimitRetries ?? 3;
  const budget = { leftMs: opts.rateLimitBudgetMs ?? 30_000 };
  const say = opts.warn;
  // Per request (Octokit passes the same options object to every hook of one call, retries included).
  const attempts = new WeakMap<object, number>();
  const gaveUp = new WeakMap<object, RateLimitGiveUp>();

  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const route = `${options.method} ${options.url}`;
      const waitMs = retryAfter * 1000;
      if (retryCount >= maxRetries || waitMs > budget.leftMs) {
        gaveUp.set(options, { reason: retryCount >= maxRetries ? 'retries' : 'budget', waitSeconds: retryAfter, budgetLeftMs: budget.leftMs });
        return false;
      }
      budget.leftMs -= waitMs;
      say?.(`GitHub ${kind} on ${route}: waiting ${retryAfter} s as asked, then retry ${retryCount + 1} of ${maxRetries}.`);
      return true;
    };

  // Innermost hook: runs once per attempt.
  const countAttempts = (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', (request, options) => {
      attempts.set(options, (attempts.get(options) ?? 0) + 1);
      return request(options);
    });
  };
  // Outermost hook: runs once per call, after every retry is spent.
  const noteFailures = (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      try {
        return await request(options);
      } catch (error) {
        recordFailureNotes(error, { attempts: attempts.get(options) ?? 1, rateLimit: gaveUp.get(options) });
        throw error;
      }
    });
  };

  const log = say ? { debug: () => undefined, info: () => undefined, warn: say, error: say } : undefined;
  // The plugin paces writes through process-wide Bottleneck groups; scaled time needs groups of its own.
  const pacing =
    scale === 1
      ? {}
      : {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 1000 * scale }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3000 * scale }),
          search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 2000 * scale })
        };

  return getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl || process.env.GITHUB_API_URL || 'https://api.github.com',
      ...(log ? { log } : {}),
      retry: { retries: opts.serverErrorRetries ?? 2, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: 1000 * scale },
      throttle: {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
        retryAfterBaseValue: 1000 * scale,
        ...pacing
      }
    },
    // Order matters: the first plugin's hook is innermost. Throttling wraps retry, as Octokit documents.
    countAttempts,
    retry,
    throttling,
    noteFailures
  );
}
