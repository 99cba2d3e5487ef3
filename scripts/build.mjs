#!/usr/bin/env node
// Builds what is committed: each action's dist/ (ncc, ESM, split into chunks loaded on demand), the
// published config schema, and the config validator compiled ahead of time.
//   node scripts/build.mjs               every action
//   node scripts/build.mjs action-ssl    only the ones named
//
// An action's dist/ holds index.js (what action.yml runs), the chunks its dynamic `import()`s load
// (ssh2, pg, Octokit, the cache client: a run that never opens SSH never parses ssh2), and one bundle
// per `src/workers/<name>.ts` at `dist/workers/<name>.js` for worker threads; `src/post.ts`, where an
// action has one, becomes `dist/post/index.js` (its action.yml `post:`), with chunks of its own.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { join, dirname, basename, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import ncc from '@vercel/ncc';

// Some CommonJS dependencies (ssh2's poly1305 WASM loader) read __dirname, which an ESM bundle lacks.
// Every emitted JavaScript file gets it, chunks included: a chunk runs as its own ES module.
const ESM_BANNER =
  "import { fileURLToPath as __a2aFileURLToPath } from 'node:url';\n" +
  "import { dirname as __a2aDirname } from 'node:path';\n" +
  'const __filename = __a2aFileURLToPath(import.meta.url);\n' +
  'const __dirname = __a2aDirname(__filename);\n';

// Assets a dependency references that can never run on a Linux runner: ssh2's Windows Pageant helper.
const FOREIGN_ASSET = /\.(exe|dll)$/i;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Heavy libraries built once into shared/dist/libraries/<name>/ instead of once per action. The
// on-demand ones are loaded by shared/src/libraries/load-library.ts only when a run needs them (a
// run that never opens SSH never parses ssh2); `static` ones are what @actions/core itself imports,
// bound through ncc's externals so every action refers to the one copy. A GitHub runner downloads
// the whole repository for `uses: owner/repo/action-x@sha`, so shared/dist/ is always beside it.
const LIBRARIES = {
  // @actions/core and @actions/github import ProxyAgent and fetch from undici at load time, yet use
  // them only when a run makes such a request: those names get stand-ins that load undici on first use.
  undici: { package: 'undici', format: 'commonjs', static: true, onFirstUse: ['ProxyAgent', 'fetch'] },
  ssh2: { package: 'ssh2', format: 'commonjs' },
  pg: { package: 'pg', format: 'commonjs' },
  cache: { package: '@actions/cache', format: 'module' },
  // Octokit with the two plugins and the Bottleneck the throttling plugin paces with (github-client.ts).
  github: {
    package: '@actions/github',
    format: 'module',
    also: ["export { retry } from '@octokit/plugin-retry';", "export { throttling } from '@octokit/plugin-throttling';", "export { default as Bottleneck } from 'bottleneck/light.js';"]
  }
};
const librariesDir = join(root, 'shared', 'dist', 'libraries');
const named = process.argv.slice(2);
const actions = named.length
  ? named
  : readdirSync(root).filter((d) => d.startsWith('action-') && existsSync(join(root, d, 'src', 'index.ts'))).sort();

await writeConfigArtifacts();
if (!named.length) await buildLibraries();

for (const action of actions) {
  const started = Date.now();
  const dist = join(root, action, 'dist');
  rmSync(dist, { recursive: true, force: true });
  await bundle(action, join(root, action, 'src', 'index.ts'), dist);
  // The `post:` entry of an action whose cleanups must outlive a killed main step.
  const post = join(root, action, 'src', 'post.ts');
  if (existsSync(post)) await bundle(action, post, join(dist, 'post'));
  const workers = join(root, action, 'src', 'workers');
  if (existsSync(workers)) {
    for (const file of readdirSync(workers).filter((f) => f.endsWith('.ts')).sort()) {
      await bundle(action, join(workers, file), join(dist, 'workers'), `${basename(file, '.ts')}.js`);
    }
  }
  const files = listFiles(dist);
  const total = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`${action}: dist/ ${(total / 1024).toFixed(0)} KiB in ${files.length} files, index.js ${(statSync(join(dist, 'index.js')).size / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Bundles one entry into `outDir` (index.js plus its chunks and assets). */
async function bundle(action, entry, outDir, outName = 'index.js', opts = {}) {
  const libraries = relative(outDir, librariesDir);
  const externals = Object.fromEntries(
    Object.entries(LIBRARIES)
      .filter(([name, lib]) => lib.static && name !== opts.library)
      .map(([name, lib]) => [lib.package, `${libraries}/${name}/${lib.onFirstUse ? 'on-first-use.js' : 'index.js'}`])
  );
  // Where load-library.ts finds the on-demand libraries: set by the entry, read at load time.
  const banner = opts.library ? ESM_BANNER : `${ESM_BANNER}globalThis.__A2A_LIBRARIES__ ??= new URL('${libraries}/', import.meta.url).href;\n`;
  // CommonJS libraries stay CommonJS (index.cjs): loadLibrary imports them, requireLibrary and the
  // on-first-use stand-ins require them synchronously.
  const commonjs = opts.library && LIBRARIES[opts.library].format === 'commonjs';
  const { code, assets } = await ncc(entry, {
    externals,
    minify: false,
    sourceMap: false,
    license: outName === 'index.js' && !opts.library ? 'licenses.txt' : undefined,
    quiet: true,
    esm: !commonjs,
    target: 'es2022',
    // Type errors are `npm run typecheck`'s job; bundling only transpiles.
    transpileOnly: true
  }).catch((e) => {
    console.error(`${action}: bundling ${entry} failed: ${String(e.message ?? e).slice(0, 2000)}`);
    process.exit(1);
  });
  mkdirSync(outDir, { recursive: true });
  if (commonjs) {
    writeFileSync(join(outDir, 'index.cjs'), code);
    for (const [name, asset] of Object.entries(assets ?? {})) {
      if (FOREIGN_ASSET.test(name) || name === 'package.json') continue;
      mkdirSync(dirname(join(outDir, name)), { recursive: true });
      writeFileSync(join(outDir, name), asset.source);
    }
    return;
  }
  checkOnFirstUse(entry, code);
  writeFileSync(join(outDir, outName), banner + code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    if (FOREIGN_ASSET.test(name)) continue;
    // The package.json ncc emits only says "type: module", which index.js's folder already has.
    if (outName !== 'index.js' && name === 'package.json' && existsSync(join(outDir, name))) continue;
    const target = join(outDir, name);
    const content = name.endsWith('.js') ? ESM_BANNER + asset.source : asset.source;
    // Entries sharing a folder (workers) must not overwrite each other's chunks with other content.
    if (existsSync(target) && !readFileSync(target).equals(Buffer.from(content))) {
      throw new Error(`${action}: ${entry} emits ${name}, which another entry in ${outDir} emitted with other content`);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    if (name.endsWith('.js')) checkOnFirstUse(`${entry} (${name})`, asset.source);
  }
}

/**
 * The schema file users point their editors at, and the validator the loader runs, both from the one
 * schema in shared/src/config/schema.ts. The validator is compiled here rather than at start-up:
 * compiling it took a third of a cold start, and ajv's compiler is then no part of any bundle.
 */
async function writeConfigArtifacts() {
  const unregister = register();
  const { OPS_CONFIG_SCHEMA } = await import(join(root, 'shared/src/config/schema.ts'));
  unregister();
  writeFileSync(join(root, 'shared/schema/ops-config.schema.json'), JSON.stringify(OPS_CONFIG_SCHEMA, null, 2) + '\n');

  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true, esm: true } });
  let code = standaloneCode.default(ajv, ajv.compile(OPS_CONFIG_SCHEMA));
  // The one runtime helper ajv requires: string length in code points (what `[...s].length` counts).
  code = code.replaceAll('require("ajv/dist/runtime/ucs2length").default', 'ucs2length');
  if (/require\(/.test(code)) throw new Error('the compiled config validator requires a runtime module the build does not inline');
  const header =
    '// GENERATED by scripts/build.mjs from shared/src/config/schema.ts: do not edit; `npm run build` rewrites it.\n' +
    '// The ops config validator, compiled ahead of time with ajv (standalone code).\n' +
    'const ucs2length = (s) => [...s].length;\n';
  writeFileSync(join(root, 'shared/src/config/validate-config.generated.js'), header + code.replace(/^"use strict";/, '') + '\n');
}

/** Bundles each library once, from a generated entry that re-exports it with its named exports. */
async function buildLibraries() {
  rmSync(librariesDir, { recursive: true, force: true });
  const entries = join(root, 'node_modules', '.a2a-ops-library-entries');
  mkdirSync(entries, { recursive: true });
  const require = createRequire(join(root, 'package.json'));
  for (const [name, lib] of Object.entries(LIBRARIES)) {
    const started = Date.now();
    const entry = join(entries, `${name}.mjs`);
    if (lib.format === 'module') {
      writeFileSync(entry, [`export * from '${lib.package}';`, ...(lib.also ?? [])].join('\n') + '\n');
    } else {
      const names = Object.keys(require(lib.package)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k)).sort();
      writeFileSync(entry, `import lib from '${lib.package}';\nexport default lib;\nexport const { ${names.join(', ')} } = lib;\n`);
    }
    const out = join(librariesDir, name);
    await bundle(`library ${name}`, entry, out, 'index.js', { library: name });
    if (lib.onFirstUse) writeOnFirstUse(out, lib.onFirstUse);
    const files = listFiles(out);
    console.log(`library ${name}: ${(files.reduce((n, f) => n + statSync(f).size, 0) / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * An ES module whose exports (functions and classes only) load the library the first time one is
 * called or constructed. A bundle that uses any other export of it fails the build, not a run.
 */
function writeOnFirstUse(out, names) {
  const lines = [
    '// GENERATED by scripts/build.mjs: stand-ins that import the library on first use (see LIBRARIES there).',
    "import { createRequire } from 'node:module';",
    'let lib;',
    "const load = () => (lib ??= createRequire(import.meta.url)('./index.cjs'));",
    ...names.map(
      (n) => `export function ${n}(...args) { const real = load().${n}; return new.target ? Reflect.construct(real, args, new.target) : real.apply(this, args); }`
    )
  ];
  writeFileSync(join(out, 'on-first-use.js'), lines.join('\n') + '\n');
}

/** Fails the build when a bundle uses an export of an on-first-use library that has no stand-in. */
function checkOnFirstUse(file, code) {
  for (const [name, lib] of Object.entries(LIBRARIES)) {
    if (!lib.onFirstUse) continue;
    const binding = new RegExp(`(__WEBPACK_EXTERNAL_MODULE_\\w*libraries_${name}_on_first_use_js\\w*__)`).exec(code)?.[1];
    if (!binding) continue;
    const used = [...code.matchAll(new RegExp(`${binding}(?:\\.(\\w+)|\\["(\\w+)"\\])`, 'g'))].map((m) => m[1] ?? m[2]);
    const missing = [...new Set(used)].filter((n) => !lib.onFirstUse.includes(n));
    if (missing.length) throw new Error(`${file} uses ${missing.join(', ')} of ${lib.package}: add them to LIBRARIES.${name}.onFirstUse`);
  }
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listFiles(join(dir, d.name)) : [join(dir, d.name)]));
}
