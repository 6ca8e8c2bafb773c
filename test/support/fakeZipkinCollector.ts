// A Zipkin server (v2 JSON API, `POST /api/v2/spans`) on 127.0.0.1 for tests: parses each body with
// JSON.parse and keeps the spans; can misbehave on demand like the other fake collectors.
import * as http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ZipkinCollectorBehaviour = 'accept' | 'hang' | 'status400' | 'status500' | 'reset' | 'garbage';

/** A span of the Zipkin v2 model, as received. */
export interface ZipkinReceivedSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp: number; // epoch microseconds
  duration: number; // microseconds
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
  annotations?: { timestamp: number; value: string }[];
}

export interface FakeZipkinCollector {
  /** http://127.0.0.1:<port>/api/v2/spans */
  url: string;
  /** http://127.0.0.1:<port>/adapt_<token>/api/v2/spans (also accepted) */
  urlWithToken(token: string): string;
  spans: ZipkinReceivedSpan[];
  requests: { path: string; headers: IncomingHttpHeaders; bytes: number }[];
  decodeErrors: Error[];
  setBehaviour(b: ZipkinCollectorBehaviour): void;
  close(): Promise<void>;
}

const SPANS_PATH = /^\/(?:adapt_[^/]+\/)?api\/v2\/spans$/;

export async function startFakeZipkinCollector(
  options: { behaviour?: ZipkinCollectorBehaviour } = {},
): Promise<FakeZipkinCollector> {
  let behaviour: ZipkinCollectorBehaviour = options.behaviour ?? 'accept';
  const spans: ZipkinReceivedSpan[] = [];
  const requests: FakeZipkinCollector['requests'] = [];
  const decodeErrors: Error[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '';
      requests.push({ path, headers: req.headers, bytes: body.length });
      if (req.method !== 'POST' || !SPANS_PATH.test(path.split('?')[0])) {
        res.writeHead(404).end();
        return;
      }
      switch (behaviour) {
        case 'accept':
          try {
            const parsed: unknown = JSON.parse(body.toString('utf8'));
            if (!Array.isArray(parsed)) throw new Error('Zipkin v2 body is not a JSON array');
            spans.push(...(parsed as ZipkinReceivedSpan[]));
          } catch (err) {
            decodeErrors.push(err instanceof Error ? err : new Error(String(err)));
            res.writeHead(400).end('bad body');
            return;
          }
          res.writeHead(202).end();
          return;
        case 'hang':
          return;
        case 'status400':
          res.writeHead(400).end('bad body');
          return;
        case 'status500':
          res.writeHead(500).end('internal error');
          return;
        case 'reset':
          req.socket.resetAndDestroy();
          return;
        case 'garbage':
          req.socket.end('\x00\x01garbage\xff\r\n\r\nnot http\r\n');
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/api/v2/spans`,
    urlWithToken: (token) => `${base}/adapt_${token}/api/v2/spans`,
    spans,
    requests,
    decodeErrors,
    setBehaviour(b) {
      behaviour = b;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
