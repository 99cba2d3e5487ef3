#!/usr/bin/env node
// Builds what is committed: each action's dist/index.js (ncc, ESM) and the published config schema.
//   node scripts/build.mjs               every action
//   node scripts/build.mjs action-ssl    only the ones named
import { readdirSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import ncc from '@vercel/ncc';

// Some CommonJS dependencies (ssh2's poly1305 WASM loader) read __dirname, which an ESM bundle lacks.
const ESM_BANNER =
  "import { fileURLToPath as __a2aFileURLToPath } from 'node:url';\n" +
  "import { dirname as __a2aDirname } from 'node:path';\n" +
  'const __filename = __a2aFileURLToPath(import.meta.url);\n' +
  'const __dirname = __a2aDirname(__filename);\n';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const named = process.argv.slice(2);
const actions = named.length
  ? named
  : readdirSync(root).filter((d) => d.startsWith('action-') && existsSync(join(root, d, 'src', 'index.ts'))).sort();

// The schema file users point their editors at is generated from the one the loader validates with.
const unregister = register();
const { OPS_CONFIG_SCHEMA } = await import(join(root, 'shared/src/config/schema.ts'));
unregister();
writeFileSync(join(root, 'shared/schema/ops-config.schema.json'), JSON.stringify(OPS_CONFIG_SCHEMA, null, 2) + '\n');

for (const action of actions) {
  const started = Date.now();
  const { code, assets } = await ncc(join(root, action, 'src', 'index.ts'), {
    minify: false,
    sourceMap: false,
    license: 'licenses.txt',
    quiet: true,
    esm: true,
    target: "es2022",
    // Type errors are `npm run typecheck`'s job; bundling only transpiles.
    transpileOnly: true
  }).catch((e) => {
    console.error(`${action}: bundling failed: ${String(e.message ?? e).slice(0, 2000)}`);
    process.exit(1);
  });
  const dist = join(root, action, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'index.js'), ESM_BANNER + code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    mkdirSync(dirname(join(dist, name)), { recursive: true });
    writeFileSync(join(dist, name), asset.source);
  }
  console.log(`${action}: dist/index.js ${(code.length / 1024).toFixed(0)} KiB, ${Object.keys(assets ?? {}).length} assets, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
