// The demo's targets on the real lab: the load balancer and frontend of the compose platform, the lab
// hosts over SSH, the lab's TLS endpoint and PostgreSQL — read from what `lab/lab.sh up` wrote.
import { readFileSync } from 'node:fs';
import { readLabPart } from '../test-support/lab.js';
import { startGitHubStandin } from '../test-support/github-standin/index.js';
import { SANDBOX_MIGRATIONS_DIR, type DemoTarget } from './platform.js';

interface HostsPart {
  privateKeyPath: string;
  user: string;
  hosts: Array<{ name: string; address: string; port: number; fingerprint: string }>;
}

/** Reads the lab's parts (failing loudly when one is down) and starts a GitHub stand-in for issues. */
export async function labTargets(): Promise<DemoTarget> {
  const docker = readLabPart<{ lbUrl: string; frontendUrl: string; hosts: Array<{ projectName: string }> }>('docker');
  const hosts = readLabPart<HostsPart>('hosts');
  const tls = readLabPart<{ name: string; caFile: string; cases: { valid: { port: number } } }>('tls');
  const postgres = readLabPart<{ url: string }>('postgres');
  const github = await startGitHubStandin();
  return {
    apiHealthUrl: `${docker.lbUrl}/health`,
    frontendUrl: docker.frontendUrl,
    tlsHost: `${tls.name}:${tls.cases.valid.port}`,
    caFile: tls.caFile,
    databaseUrl: postgres.url,
    migrationsDir: SANDBOX_MIGRATIONS_DIR,
    healthInputs: {
      hosts: hosts.hosts.map((h) => `${hosts.user}@${h.address}:${h.port}`).join('\n'),
      'ssh-private-key': readFileSync(hosts.privateKeyPath, 'utf8'),
      'ssh-fingerprint': hosts.hosts.map((h) => h.fingerprint).join('\n'),
      // One dockerd serves every lab host, so each host sees every project; production has one per host.
      'compose-project': docker.hosts[0].projectName
    },
    githubEnv: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_TOKEN: github.token },
    issues: () => github.state.issues.map((i: { number: number; title: string; state: string }) => ({ number: i.number, title: i.title, state: i.state })),
    close: () => github.close()
  };
}
