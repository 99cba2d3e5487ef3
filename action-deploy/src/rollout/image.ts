// Which image a version of a service is, and whether the host has it: the version variable is read from
// the service's `image:` in the compose file, the image from `compose config` with that variable set
// (compose's own interpolation, never a guess), then `docker image inspect`, pulling when it is missing.
import { parse as parseYaml } from 'yaml';
import { ConfigurationError, composeCommand, shellQuote, truncate, type ComposeProject, type SshSession } from '../../../shared/src/index.js';

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

/** The image of `service` in `compose config` output (YAML in both compose v1 and v2). */
export function imageOf(configText: string, service: string): string {
  const doc = parseYaml(configText) as { services?: Record<string, { image?: unknown }> } | null;
  const image = doc?.services?.[service]?.image;
  if (typeof image !== 'string' || image === '') throw new Error(`compose config shows no image for service '${service}'`);
  return image;
}

/** The image `service` runs at `version` on this host. */
export async function resolveImage(session: SshSession, project: ComposeProject, service: string, variable: string, version: string): Promise<string> {
  const r = await session.execChecked(composeCommand(project, ['config'], { env: { [variable]: version } }), { label: 'compose config', timeoutMs: 60_000 });
  return imageOf(r.stdout, service);
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
