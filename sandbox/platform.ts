// The sandbox: A2A World in miniature, in this process — an api and an HTTPS frontend with /health, a
// certificate that expires in 20 days, an embedded PostgreSQL with two of three migrations applied, and the
// GitHub API stand-in that incident issues go to. Needs nothing but Node; `close()` leaves nothing running.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIntermediateCa, createLeaf, createRootCa, daysFromNow } from '../test-support/tls/index.js';
import { startPgliteServer } from '../test-support/pglite-server.js';
import { startGitHubStandin } from '../test-support/github-standin/index.js';

export const SANDBOX_MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
/** How many of the sandbox's migrations are already applied; the rest show as pending. */
const APPLIED_MIGRATIONS = 2;

/** What the demo runs against: the in-process sandbox or the lab. */
export interface DemoTarget {
  apiHealthUrl: string;
  frontendUrl: string;
  /** `localhost:<port>` of the HTTPS frontend, for the TLS check. */
  tlsHost: string;
  /** PEM file of the sandbox CA (root), for `ca-file` and NODE_EXTRA_CA_CERTS. */
  caFile: string;
  databaseUrl: string;
  migrationsDir: string;
  /** Extra health inputs (the lab adds its SSH hosts). */
  healthInputs: Record<string, string>;
  /** Environment a child action needs to file issues on the stand-in. */
  githubEnv: Record<string, string>;
  /** Issues the stand-in holds now. */
  issues(): Array<{ number: number; title: string; state: string }>;
  close(): Promise<void>;
}

/** Starts every sandbox component; on any failure stops what already started. */
export async function startSandbox(): Promise<DemoTarget> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-sandbox-'));
    const root = await createRootCa('A2A Sandbox Root CA');
    const intermediate = await createIntermediateCa(root, 'A2A Sandbox Intermediate CA');
    const leaf = await createLeaf(intermediate, {
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      notBefore: daysFromNow(-70),
      notAfter: daysFromNow(20)
    });
    const caFile = join(dir, 'sandbox-ca.pem');
    writeFileSync(caFile, root.certPem);

    const api = await listen(createHttpServer(apiHandler), stops);
    const frontend = await listen(createHttpsServer({ key: leaf.keyPem, cert: `${leaf.certPem}\n${intermediate.certPem}` }, frontendHandler), stops);

    const db = await startPgliteServer({ password: 'sandbox-db-password' });
    stops.push(() => db.stop());
    await applySandboxMigrations((sql) => db.db.exec(sql));

    const github = await startGitHubStandin();
    stops.push(() => github.close());

    return {
      apiHealthUrl: `http://127.0.0.1:${api}/health`,
      frontendUrl: `https://localhost:${frontend}/`,
      tlsHost: `localhost:${frontend}`,
      caFile,
      databaseUrl: db.url,
      migrationsDir: SANDBOX_MIGRATIONS_DIR,
      healthInputs: {},
      githubEnv: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_TOKEN: github.token },
      issues: () => github.state.issues.map((i: { number: number; title: string; state: string }) => ({ number: i.number, title: i.title, state: i.state })),
      close: () => stopAll(stops)
    };
  } catch (e) {
    await stopAll(stops);
    throw e;
  }
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}

async function listen(server: Server, stops: Array<() => Promise<void>>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  );
  return (server.address() as AddressInfo).port;
}

function apiHandler(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/health') return json(res, 200, { status: 'ok', service: 'api', version: 'v1.1.0' });
  if (req.url === '/api/v1/patterns') return json(res, 200, { patterns: [{ id: 1, name: 'spiral', confidence: 0.92 }] });
  json(res, 404, { error: 'not found' });
}

function frontendHandler(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/health') return json(res, 200, { status: 'ok', service: 'frontend' });
  res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>A2A World</title><h1>A2A World</h1>');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Applies the first migrations and records them as the migration engine would (version, checksum). */
async function applySandboxMigrations(exec: (sql: string) => Promise<unknown>): Promise<void> {
  await exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY, name text, checksum text, applied_at timestamptz, duration_ms int)`);
  const files = readdirSync(SANDBOX_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort().slice(0, APPLIED_MIGRATIONS);
  for (const file of files) {
    const bytes = readFileSync(join(SANDBOX_MIGRATIONS_DIR, file));
    const [, version, name] = /^(\d+)_(.+)\.sql$/.exec(file) ?? [];
    await exec(bytes.toString('utf8'));
    const checksum = createHash('sha256').update(bytes).digest('hex');
    await exec(`INSERT INTO schema_migrations VALUES ('${version}', '${name}', '${checksum}', now(), 12)`);
  }
}
