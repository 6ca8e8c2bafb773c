// The HTTP side shared by the fake collectors (Jaeger, OTLP, Zipkin) on 127.0.0.1: reads each request body in
// full, misbehaves on demand (hang, answer slowly, 400, 500, reset the connection, answer bytes that are not
// HTTP), and closes every connection on `close()`. Each collector keeps its own decoding and public interface.
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { listenOnLoopback } from './loopback';

export type CollectorBehaviour = 'accept' | 'hang' | 'slow' | 'status400' | 'status500' | 'reset' | 'garbage';

/** Default answer delay of `slow`, in milliseconds. */
const DEFAULT_SLOW_MS = 200;

export interface FakeCollectorServerOptions {
  behaviour?: CollectorBehaviour;
  /** Answer delay of `slow`, in milliseconds (default `DEFAULT_SLOW_MS`). */
  delayMs?: number;
  /**
   * Sees every request once its body is read, whatever the behaviour (to record it). Returns an HTTP status to
   * answer at once instead of applying the behaviour (404 for another path, 405 for another method).
   */
  receive(req: http.IncomingMessage, body: Buffer): number | undefined;
  /** Decodes and keeps the body, and answers (behaviours `accept` and `slow`). */
  accept(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void;
  /** The text of the 400 answer of behaviour `status400`. */
  status400Text: string;
}

export interface FakeCollectorServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** `delayMs` is the answer delay of `slow` (default `DEFAULT_SLOW_MS`). */
  setBehaviour(b: CollectorBehaviour, delayMs?: number): void;
  /**
   * Connections open now. A connection the client closed is only noticed when its close event comes: this waits
   * up to a second (in 10 ms steps) for the count to reach 0, then answers it.
   */
  openConnections(): Promise<number>;
  /** Closes the server and every connection (keep-alive and hanging ones included). */
  close(): Promise<void>;
}

export async function startFakeCollectorServer(
  options: FakeCollectorServerOptions,
): Promise<FakeCollectorServer> {
  let behaviour: CollectorBehaviour = options.behaviour ?? 'accept';
  let delayMs = options.delayMs ?? DEFAULT_SLOW_MS;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refusal = options.receive(req, body);
      if (refusal !== undefined) {
        res.writeHead(refusal).end();
        return;
      }
      switch (behaviour) {
        case 'accept':
          options.accept(req, body, res);
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            options.accept(req, body, res);
          }, delayMs);
          timers.add(timer);
          return;
        }
        case 'hang':
          return; // never answers; close() destroys the socket
        case 'status400':
          res.writeHead(400, { 'content-type': 'text/plain' }).end(options.status400Text);
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

  const baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    setBehaviour(b, ms) {
      behaviour = b;
      delayMs = ms ?? DEFAULT_SLOW_MS;
    },
    async openConnections() {
      for (let i = 0; i < 100 && sockets.size > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      return sockets.size;
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

/** A request as the Jaeger and Zipkin fakes record it. */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  /** The client's port of the connection it came on: requests with the same one shared a keep-alive connection. */
  remotePort: number;
}

/**
 * The `receive` of a collector serving one path: records every request in `requests`, and answers 404 to
 * anything but a `POST` to `path`.
 */
export function recordPostsTo(
  path: RegExp,
  requests: ReceivedRequest[],
): FakeCollectorServerOptions['receive'] {
  return (req, body) => {
    requests.push({
      path: req.url ?? '',
      headers: req.headers,
      bytes: body.length,
      remotePort: req.socket.remotePort ?? 0,
    });
    return req.method === 'POST' && path.test((req.url ?? '').split('?')[0]) ? undefined : 404;
  };
}

/** Turns what a decoder threw into an Error, for a collector's `decodeErrors`. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
