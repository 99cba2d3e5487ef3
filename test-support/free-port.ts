// A loopback TCP port nothing listens on right now, for servers a test starts itself (a NATS, a cluster).

import { createServer, type AddressInfo } from 'node:net';

/** Binds 127.0.0.1:0, reads the port the OS picked, and releases it. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
