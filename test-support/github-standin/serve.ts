// Runs the GitHub stand-in as its own process (for lab runs and demos):
// `node --import tsx test-support/github-standin/serve.ts --port N [--token T] [--read-only]`.
// Prints one JSON line with the URL and token, then serves until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startGitHubStandin } from './standin.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    'read-only': { type: 'boolean', default: false },
    owner: { type: 'string' },
    repo: { type: 'string' }
  }
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0 picks a free one), got '${values.port}'`);
  process.exit(2);
}

const standin = await startGitHubStandin({
  port,
  token: values.token,
  owner: values.owner,
  repo: values.repo,
  permissions: values['read-only'] ? 'read' : 'write'
});
console.log(JSON.stringify({ url: standin.url, token: standin.token, owner: standin.owner, repo: standin.repo, pid: process.pid }));

const stop = (): void => {
  if (standin.violations.length) console.error(JSON.stringify({ violations: standin.violations }));
  void standin.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
