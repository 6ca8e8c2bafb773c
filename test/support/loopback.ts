// Servers on 127.0.0.1 for tests: listening on a free port, and a URL where nothing listens.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on a free port of 127.0.0.1; resolves with its base URL (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * For a server run as a child process by a test: listens on a free port of 127.0.0.1 and prints `LISTENING <port>`
 * on stdout, the line `listeningPort` waits for.
 */
export function announceListening(server: http.Server): void {
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
  });
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed): connecting is refused. */
export async function closedPortUrl(path = ''): Promise<string> {
  const server = http.createServer();
  const base = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `${base}${path}`;
}
