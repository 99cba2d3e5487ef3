// Bundles action-ssl's TLS handshake worker the way scripts/build.mjs bundles an action (ncc, ESM output)
// into a temporary directory, so tests and the bench run the worker path for real without dist/ being rebuilt.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER_SOURCE = fileURLToPath(new URL('../action-ssl/src/workers/tls-handshake.ts', import.meta.url));

// ncc runs in a child process: it is a large webpack bundle that has no business inside a test's module registry.
const BUILD_SCRIPT = `
import { writeFileSync } from 'node:fs';
const [nccUrl, source, out] = process.argv.slice(2);
const { default: ncc } = await import(nccUrl);
const { code } = await ncc(source, { esm: true, target: 'es2022', minify: false, sourceMap: false, quiet: true, transpileOnly: true });
writeFileSync(out, code);
`;

/** Builds `src/workers/tls-handshake.ts` into `dir/tls-handshake.mjs` and returns its URL (takes several seconds). */
export async function bundleHandshakeWorker(dir: string): Promise<URL> {
  const script = join(dir, 'build-worker.mjs');
  const out = join(dir, 'tls-handshake.mjs');
  writeFileSync(script, BUILD_SCRIPT);
  const ncc = pathToFileURL(createRequire(import.meta.url).resolve('@vercel/ncc')).href;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [script, ncc, WORKER_SOURCE, out], { timeout: 120_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`bundling the TLS handshake worker failed: ${stderr || error.message}`)) : resolve()
    );
  });
  return pathToFileURL(out);
}
