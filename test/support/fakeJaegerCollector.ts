// A Jaeger collector on 127.0.0.1 for tests: accepts `POST /api/traces` and `POST /adapt_<token>/api/traces`,
// decodes each body with the `thrift` package's TBinaryProtocol (independent of our encoder), and can misbehave
// on demand (hang, answer slowly, 400, 500, reset the connection, answer bytes that are not HTTP).
import * as http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decodeBinaryBatch, type DecodedBatch, type DecodedSpan } from './jaegerThriftReader';

export type { DecodedBatch, DecodedSpan } from './jaegerThriftReader';

export type CollectorBehaviour = 'accept' | 'hang' | 'slow' | 'status400' | 'status500' | 'reset' | 'garbage';

export interface FakeJaegerCollector {
  /** http://127.0.0.1:<port>/api/traces */
  url: string;
  /** http://127.0.0.1:<port>/adapt_<token>/api/traces (also accepted) */
  urlWithToken(token: string): string;
  /** Every batch accepted so far (behaviours `accept` and `slow`), in arrival order. */
  batches: DecodedBatch[];
  /** The spans of every accepted batch, flattened. */
  spans(): DecodedSpan[];
  /** Every request that reached the server, whatever the behaviour. */
  requests: { path: string; headers: IncomingHttpHeaders; bytes: number }[];
  /** Bodies that arrived while accepting but could not be decoded (answered 400). */
  decodeErrors: Error[];
  /** `delayMs` is the answer delay of `slow` (default 200 ms). */
  setBehaviour(b: CollectorBehaviour, delayMs?: number): void;
  /** Resolves once at least `count` spans were accepted; rejects after `timeoutMs` (default 5000). */
  waitForSpans(count: number, timeoutMs?: number): Promise<DecodedSpan[]>;
  /** Closes the server and every connection (keep-alive and hanging ones included). */
  close(): Promise<void>;
}

const TRACES_PATH = /^\/(?:adapt_[^/]+\/)?api\/traces$/;
const DEFAULT_SLOW_MS = 200;

export async function startFakeJaegerCollector(
  options: { behaviour?: CollectorBehaviour; delayMs?: number } = {},
): Promise<FakeJaegerCollector> {
  let behaviour: CollectorBehaviour = options.behaviour ?? 'accept';
  let delayMs = options.delayMs ?? DEFAULT_SLOW_MS;
  const batches: DecodedBatch[] = [];
  const requests: FakeJaegerCollector['requests'] = [];
  const decodeErrors: Error[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let waiters: { count: number; resolve: (spans: DecodedSpan[]) => void }[] = [];

  const spans = (): DecodedSpan[] => batches.flatMap((b) => b.spans);
  const notify = (): void => {
    const all = spans();
    const ready = waiters.filter((w) => all.length >= w.count);
    waiters = waiters.filter((w) => all.length < w.count);
    for (const w of ready) w.resolve(all);
  };

  const accept = (body: Buffer, res: http.ServerResponse): void => {
    let batch: DecodedBatch;
    try {
      batch = decodeBinaryBatch(body);
    } catch (err) {
      decodeErrors.push(err instanceof Error ? err : new Error(String(err)));
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Unable to process request body');
      return;
    }
    batches.push(batch);
    res.writeHead(202).end();
    notify();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '';
      requests.push({ path, headers: req.headers, bytes: body.length });
      if (req.method !== 'POST' || !TRACES_PATH.test(path.split('?')[0])) {
        res.writeHead(404).end();
        return;
      }
      switch (behaviour) {
        case 'accept':
          accept(body, res);
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            accept(body, res);
          }, delayMs);
          timers.add(timer);
          return;
        }
        case 'hang':
          return; // never answers; close() destroys the socket
        case 'status400':
          res.writeHead(400, { 'content-type': 'text/plain' }).end('Unable to process request body');
          return;
        case 'status500':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
          return;
        case 'reset':
          req.socket.resetAndDestroy();
          return;
        case 'garbage':
          // Not HTTP at all: the client's parser must fail.
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
    url: `${base}/api/traces`,
    urlWithToken: (token) => `${base}/adapt_${token}/api/traces`,
    batches,
    spans,
    requests,
    decodeErrors,
    setBehaviour(b, ms) {
      behaviour = b;
      delayMs = ms ?? DEFAULT_SLOW_MS;
    },
    waitForSpans(count, timeoutMs = 5000) {
      const all = spans();
      if (all.length >= count) return Promise.resolve(all);
      return new Promise<DecodedSpan[]>((resolve, reject) => {
        const waiter = {
          count,
          resolve: (s: DecodedSpan[]) => {
            clearTimeout(timer);
            resolve(s);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(
            new Error(`fake Jaeger collector: ${spans().length} of ${count} spans after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
