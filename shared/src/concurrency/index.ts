// Concurrency and retries: one helper for each, used by every action and the core itself.
export { mapLimit, settle, type Settled } from './map-limit.js';
export { backoffDelay, withRetries, type BackoffOptions, type RetryDecision, type RetryOptions } from './backoff.js';
