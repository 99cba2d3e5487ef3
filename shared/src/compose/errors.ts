// The one error type of the compose module: what went wrong on the host, in a sentence for the report.

/**
 * Why a compose or docker step failed on a host:
 * - `docker-missing`: no `docker` CLI on the host's PATH (the shell said 127);
 * - `docker-failed`: the CLI ran and failed (daemon down, permission denied, timed out, connection lost);
 * - `no-compose`: neither `docker compose` nor `docker-compose` works there;
 * - `lookup`: the containers were listed, but not the one(s) the caller needs (none, stopped, several, no IP).
 */
export type ComposeFailure = 'docker-missing' | 'docker-failed' | 'no-compose' | 'lookup';

/** A compose or docker step that failed on a host. `message` is scrubbed of registered secrets and fit for a report. */
export class ComposeError extends Error {
  override name = 'ComposeError';

  constructor(
    message: string,
    /** What kind of failure it is, so callers can tell "no docker here" from "docker is broken". */
    readonly failure: ComposeFailure,
    /** The remote command's own words (first stderr lines), scrubbed, when there were any. */
    readonly detail?: string
  ) {
    super(message);
  }
}
