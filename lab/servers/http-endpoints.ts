// The lab's HTTP endpoint server: test-support/http-endpoints.ts run as a daemon by lab/parts/http.sh.
// Usage: node --import tsx lab/servers/http-endpoints.ts <port> [slow-ms]
import { startHttpEndpoints } from '../../test-support/http-endpoints.js';

const port = Number(process.argv[2] ?? 18390);
const slowMs = Number(process.argv[3] ?? 800);
const server = await startHttpEndpoints({ port, slowMs });
process.stdout.write(`http-endpoints listening on ${server.url}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
