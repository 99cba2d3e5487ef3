// Which compose CLI a host has, found out on the host (one cheap probe per SSH session, cached), unless
// the config names one: `docker compose` (v2 plugin) first, then `docker-compose` (v1).
import type { ComposeConfig } from '../config/types.js';
import { ComposeError } from './errors.js';
import { composeProjectFromConfig, type ComposeCli, type ComposeProject } from './project.js';
import { DOCKER_COMMAND_TIMEOUT_MS, remoteWords, whyFailed, type ComposeSession } from './remote.js';

/** What a host's compose CLI is. */
export interface ComposeCliInfo {
  cli: ComposeCli;
  /** The version it reported (`2.29.1`, `1.29.2`); undefined when not probed (the config named the CLI). */
  version?: string;
  /** True when found by probing the host, false when taken from the config. */
  detected: boolean;
}

/**
 * The probe: `docker compose version`, and only if that fails `docker-compose version`. The first line
 * of the output names the CLI that answered (or `none`); both are `version` subcommands, which need no
 * daemon and no project, so the probe is cheap and has no effect.
 */
export const COMPOSE_PROBE_COMMAND = [
  'if a2a_v=$(docker compose version 2>&1); then printf "%s\\n%s\\n" "docker compose" "$a2a_v"; exit 0; fi',
  'a2a_v2err="$a2a_v"',
  'if a2a_v=$(docker-compose version 2>&1); then printf "%s\\n%s\\n" "docker-compose" "$a2a_v"; exit 0; fi',
  'printf "none\\n%s\\n%s\\n" "$a2a_v2err" "$a2a_v" >&2; exit 3'
].join('\n');

// Per session object: a detection in progress or done. A failed probe is forgotten, so a later call retries.
const detected = new WeakMap<object, Promise<ComposeCliInfo>>();

/**
 * Parses the probe's stdout: the CLI on the first line, the first `x.y.z` version after it.
 * Returns undefined when the output is not the probe's.
 */
export function parseComposeProbe(stdout: string): ComposeCliInfo | undefined {
  const [first, ...rest] = stdout.split('\n');
  const cli = first.trim();
  if (cli !== 'docker compose' && cli !== 'docker-compose') return undefined;
  const version = /\bv?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)/.exec(rest.join('\n'))?.[1]?.replace(/[.,]+$/, '');
  return { cli, version, detected: true };
}

/**
 * Detects the host's compose CLI with one remote command (COMPOSE_PROBE_COMMAND), once per session:
 * later calls with the same session reuse the answer. Throws ComposeError `no-compose` (naming what
 * both commands said) when neither works, `docker-failed` when the probe itself could not run.
 */
export function detectComposeCli(session: ComposeSession, opts: { timeoutMs?: number } = {}): Promise<ComposeCliInfo> {
  const cached = detected.get(session);
  if (cached) return cached;
  const probe = probeComposeCli(session, opts.timeoutMs ?? DOCKER_COMMAND_TIMEOUT_MS);
  detected.set(session, probe);
  probe.catch(() => detected.delete(session));
  return probe;
}

async function probeComposeCli(session: ComposeSession, timeoutMs: number): Promise<ComposeCliInfo> {
  const host = session.target.name;
  const result = await session.exec(COMPOSE_PROBE_COMMAND, { timeoutMs, label: 'compose version probe' });
  if (result.code === 0) {
    const info = parseComposeProbe(result.stdout);
    if (info) return info;
    throw new ComposeError(`the compose version probe on ${host} printed something unexpected: ${result.stdout.trim().slice(0, 200)}`, 'docker-failed');
  }
  if (result.code === 3 && result.stderr.startsWith('none')) {
    const said = remoteWords({ ...result, stderr: result.stderr.replace(/^none\n/, '') }, 4);
    throw new ComposeError(
      `neither 'docker compose' (v2) nor 'docker-compose' (v1) works on ${host}: install one, or set compose.command in the config if it is elsewhere on the PATH${said ? ` (${said})` : ''}`,
      'no-compose',
      said || undefined
    );
  }
  throw new ComposeError(`could not find out which compose CLI ${host} has: ${whyFailed(result, timeoutMs)}`, 'docker-failed', remoteWords(result) || undefined);
}

/**
 * The compose CLI to use on a host: the config's `compose.command` when it names one (no probe), else
 * (`auto`) what detectComposeCli finds there.
 */
export async function resolveComposeCli(
  session: ComposeSession,
  setting: ComposeConfig['command'] | undefined,
  opts: { timeoutMs?: number } = {}
): Promise<ComposeCliInfo> {
  if (setting && setting !== 'auto') return { cli: setting, detected: false };
  return detectComposeCli(session, opts);
}

/**
 * The config's compose project on the session's host, with the CLI resolved there (config wins, else
 * detected). Validation errors of the config are ConfigurationErrors and come before any remote call.
 */
export async function resolveComposeProject(session: ComposeSession, compose: ComposeConfig, opts: { timeoutMs?: number } = {}): Promise<ComposeProject> {
  // Validate the name before asking the host anything: a config mistake should not cost a round trip.
  composeProjectFromConfig(compose, 'docker compose');
  const { cli } = await resolveComposeCli(session, compose.command, opts);
  return composeProjectFromConfig(compose, cli);
}
