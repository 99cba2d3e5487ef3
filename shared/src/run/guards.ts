// Refuses production-changing work from events an outsider can trigger (test catalogue item 14).
import { ConfigurationError } from '../errors.js';

/** Events whose code or inputs can come from a fork or an untrusted head. */
export const UNTRUSTED_EVENTS = ['pull_request', 'pull_request_target', 'workflow_run'] as const;

/**
 * Throws before any secret is read or any host is contacted when `what` (a production change such as
 * a deploy or a query kill) was triggered by an untrusted event. Read-only checks never call this.
 */
export function assertProductionChangeAllowed(eventName: string, what: string): void {
  if ((UNTRUSTED_EVENTS as readonly string[]).includes(eventName)) {
    throw new ConfigurationError(
      `${what} changes production and refuses to run on '${eventName}' events: trigger it from workflow_dispatch, schedule or push to the default branch.`
    );
  }
}
