import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WaterfallSpan } from '@tracery/exporters';

/**
 * The demo's embedded collector: `POST /api/traces` with a Jaeger Thrift (binary protocol) batch, as a Jaeger
 * collector takes it, on 127.0.0.1 and a free port. A development tool, not a backend: it keeps the spans in
 * memory for the demo to draw.
 */
export interface LocalCollector {
  /** `http://127.0.0.1:<port>/api/traces` */
  readonly url: string;
  /** Every span received so far, in the shape the waterfall renderer draws. */
  spans(): WaterfallSpan[];
  /** Bodies that could not be decoded (answered 400). */
  readonly rejected: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function startLocalCollector(
  decode: (body: Buffer) => WaterfallSpan[],
): Promise<LocalCollector> {
  const received: WaterfallSpan[] = [];
  let rejected = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/traces') {
        res.writeHead(404).end();
        return;
      }
      try {
        if (bytes > MAX_BODY_BYTES) throw new Error('body too large');
        received.push(...decode(Buffer.concat(chunks)));
        res.writeHead(202).end();
      } catch {
        rejected++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Unable to process request body');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/traces`,
    spans: () => [...received],
    get rejected() {
      return rejected;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
