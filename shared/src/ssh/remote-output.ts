// Prints remote output so the runner never interprets it: inside a per-run `::stop-commands::` block, scrubbed.
import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { scrubSecrets } from '../secrets.js';

let token: string | undefined;

/** The per-run random token that ends a `::stop-commands::` block; a host cannot guess it. */
export function stopCommandsToken(): string {
  token ??= `a2a-${randomBytes(16).toString('hex')}`;
  return token;
}

/**
 * Logs text from a remote host through `core.info`, between `::stop-commands::<token>` and `::<token>::`,
 * so lines such as `::add-mask::` or `::error::` from a host are printed, not obeyed. Secrets are scrubbed.
 * `prefix` goes in front of every line (e.g. `[app-1] `).
 */
export function logRemoteOutput(text: string, prefix = ''): void {
  if (!text) return;
  const t = stopCommandsToken();
  core.info(`::stop-commands::${t}`);
  try {
    for (const line of scrubSecrets(text).replace(/\n$/, '').split('\n')) core.info(`${prefix}${line}`);
  } finally {
    core.info(`::${t}::`);
  }
}
