// Loads a heavy library only when a run needs it. From source (tests, tsx) that is the package itself;
// from a bundle it is the one copy scripts/build.mjs writes to shared/dist/libraries/<name>/, which
// every action's bundle points at (the entry's banner sets __A2A_LIBRARIES__).
import { fileURLToPath } from 'node:url';

/** The libraries loaded on demand, by the name build.mjs gives their shared copy. */
export interface Libraries {
  ssh2: typeof import('ssh2');
  pg: typeof import('pg');
  cache: typeof import('@actions/cache');
  /** Octokit as @actions/github builds it, with the retry and throttling plugins (see scripts/build.mjs). */
  github: typeof import('@actions/github') & {
    retry: typeof import('@octokit/plugin-retry').retry;
    throttling: typeof import('@octokit/plugin-throttling').throttling;
    Bottleneck: typeof import('bottleneck/light.js').default;
  };
}

const PACKAGES: Record<keyof Libraries, string> = { ssh2: 'ssh2', pg: 'pg', cache: '@actions/cache', github: '@actions/github' };

/** The libraries written as CommonJS (`index.cjs` in the shared copy), which can also be required. */
type CommonJsLibrary = 'ssh2' | 'pg';
const COMMONJS: readonly string[] = ['ssh2', 'pg'] satisfies CommonJsLibrary[];

function sharedCopy(): string | undefined {
  return (globalThis as { __A2A_LIBRARIES__?: string }).__A2A_LIBRARIES__;
}

/** The module namespace of `name` (CommonJS libraries under `.default`, as `import()` gives them). */
export async function loadLibrary<K extends keyof Libraries>(name: K): Promise<Libraries[K]> {
  const base = sharedCopy();
  if (base) return (await import(/* webpackIgnore: true */ new URL(`${name}/index.${COMMONJS.includes(name) ? 'cjs' : 'js'}`, base).href)) as Libraries[K];
  if (name === 'github') {
    // From source the plugins are packages of their own; the bundle's copy holds all four together.
    const [github, retry, throttling, bottleneck] = await Promise.all([
      import(/* webpackIgnore: true */ PACKAGES.github),
      import(/* webpackIgnore: true */ '@octokit/plugin-retry'),
      import(/* webpackIgnore: true */ '@octokit/plugin-throttling'),
      import(/* webpackIgnore: true */ 'bottleneck/light.js')
    ]);
    return { ...github, retry: retry.retry, throttling: throttling.throttling, Bottleneck: bottleneck.default } as Libraries[K];
  }
  return (await import(/* webpackIgnore: true */ PACKAGES[name])) as Libraries[K];
}

/**
 * A CommonJS library, synchronously (its `module.exports`): for code that must stay synchronous, such
 * as checking a private key while inputs are read. Loaded on the first call only.
 */
export function requireLibrary<K extends CommonJsLibrary>(name: K): Libraries[K] {
  // Through getBuiltinModule so the bundler does not see a require it would try to resolve itself.
  const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
  const require = createRequire(import.meta.url);
  const base = sharedCopy();
  return require(base ? fileURLToPath(new URL(`${name}/index.cjs`, base)) : PACKAGES[name]) as Libraries[K];
}
