// Loads a heavy library only when a run needs it. From source (tests, tsx) that is the package itself;
// from a bundle it is the one copy scripts/build.mjs writes to shared/dist/libraries/<name>/, which
// every action's bundle points at (the entry's banner sets __A2A_LIBRARIES__).

/** The libraries loaded on demand, by the name build.mjs gives their shared copy. */
export interface Libraries {
  ssh2: typeof import('ssh2');
  pg: typeof import('pg');
  cache: typeof import('@actions/cache');
  github: typeof import('@actions/github');
}

const PACKAGES: Record<keyof Libraries, string> = { ssh2: 'ssh2', pg: 'pg', cache: '@actions/cache', github: '@actions/github' };

/** The module namespace of `name` (CommonJS libraries under `.default`, as `import()` gives them). */
export async function loadLibrary<K extends keyof Libraries>(name: K): Promise<Libraries[K]> {
  const base = (globalThis as { __A2A_LIBRARIES__?: string }).__A2A_LIBRARIES__;
  const specifier = base ? new URL(`${name}/index.js`, base).href : PACKAGES[name];
  return (await import(/* webpackIgnore: true */ specifier)) as Libraries[K];
}
