// Error types the run funnel knows how to print: a user mistake is shown plainly, anything else with its stack in debug.

/**
 * A user mistake: a bad input, a bad config key, a missing secret. The message names the input or
 * key, says what was wrong and how to fix it. The funnel prints it without a stack trace.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Wraps any thrown value into an Error so that a non-Error throw can never pass as success. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `non-Error thrown: ${safeJson(thrown)}`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
