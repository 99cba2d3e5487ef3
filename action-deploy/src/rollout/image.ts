// Which image a version of a service is, and whether the host has it: the version variable is read from
// the service's `image:` in the compose file, the image is that `image:` interpolated as compose does
// (from the env file, the version variable set), then `docker image inspect`, pulling when it is missing.
// The new containers' image is compared with it before any old one goes (replace-containers.ts), so a
// host whose shell environment overrides the env file is caught, not deployed wrongly.
import { parse as parseYaml } from 'yaml';
import { ConfigurationError, shellQuote, truncate, type SshSession } from '../../../shared/src/index.js';
import { parseEnv } from './env-file.js';

/** A variable in the image's tag: `repo/api:${VERSION}` → VERSION (also `$VERSION`, `${VERSION:-v1}`). */
export function versionVariable(composeText: string, service: string): string {
  const doc = parseYaml(composeText) as { services?: Record<string, { image?: unknown }> } | null;
  const image = doc?.services?.[service]?.image;
  if (typeof image !== 'string') {
    throw new ConfigurationError(`The compose file has no service '${truncate(service)}' with an image: check the service name (input 'service').`);
  }
  // The tag is the whole reference after the image's last ':' outside `${...}` (a default such as
  // `${VERSION:-v1}` has a ':' of its own), so match the variable at the end, right after that ':'.
  const m = /:\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(image);
  if (!m) {
    throw new ConfigurationError(
      `Service '${service}' has the fixed image '${truncate(image)}': a deploy sets the version in the env file, so write its tag as a variable, e.g. 'image: registry/api:\${VERSION}'.`
    );
  }
  return m[1] ?? m[2];
}

/**
 * `text` with compose's variable syntax resolved from `vars`: `$NAME`, `${NAME}`, `${NAME:-default}`
 * (unset or empty), `${NAME-default}` (unset), `${NAME:?message}` / `${NAME?message}` (an error), `$$`.
 */
export function interpolate(text: string, vars: Readonly<Record<string, string>>, what: string): string {
  return text.replace(/\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, braced, colon, op, arg, bare) => {
    if (all === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = vars[name];
    const missing = value === undefined || (colon === ':' && value === '');
    if (!op || !missing) return value ?? '';
    if (op === '-') return arg as string;
    throw new ConfigurationError(`${what}: variable ${name} is not set in the env file${arg ? ` (${arg})` : ''}.`);
  });
}

/** The image of `service` in the compose file's text, with the env file's variables and `version` set. */
export function imageFor(composeText: string, envContent: string, service: string, variable: string, version: string): string {
  const doc = parseYaml(composeText) as { services?: Record<string, { image?: unknown }> } | null;
  const image = doc?.services?.[service]?.image;
  if (typeof image !== 'string') throw new ConfigurationError(`The compose file has no service '${truncate(service)}' with an image: check the service name (input 'service').`);
  return interpolate(image, { ...parseEnv(envContent), [variable]: version }, `The image of service '${service}'`);
}

/** How an image came to be on the host. */
export type ImageAvailability = 'present' | 'pulled';

/**
 * Makes sure `image` is on the host: present already, or pulled now when `pull` is set. Throws an error
 * naming the image and the host when it is neither — before anything has been changed.
 */
export async function ensureImage(session: SshSession, image: string, pull: boolean): Promise<ImageAvailability> {
  const inspect = await session.exec(`docker image inspect --format '{{.Id}}' ${shellQuote(image)}`, { label: 'docker image inspect', timeoutMs: 30_000 });
  if (inspect.code === 0) return 'present';
  if (!pull) throw new ImageMissingError(session.label, image, 'it is not on the host (a rollback never pulls: it goes back to what the host ran)');
  const pulled = await session.exec(`docker pull ${shellQuote(image)}`, { label: 'docker pull', timeoutMs: 10 * 60_000 });
  if (pulled.code !== 0) {
    throw new ImageMissingError(session.label, image, `it is not on the host and 'docker pull' failed: ${(pulled.stderr || pulled.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
  return 'pulled';
}

/** The image of a deploy is neither on the host nor pullable: nothing was changed. */
export class ImageMissingError extends Error {
  override name = 'ImageMissingError';
  constructor(host: string, readonly image: string, why: string) {
    super(`${host}: cannot use ${image}: ${why}. Nothing was changed.`);
  }
}
