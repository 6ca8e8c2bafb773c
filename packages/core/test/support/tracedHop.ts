import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { TracerService, PropagationFormat } from '@tracery/core';

/** What one hop through a traced service gives: the headers its outgoing call carries. */
export type OutgoingHeaders = Record<string, string>;

/**
 * A service on 127.0.0.1 traced by `tracing`, as the W3C test suite drives one: each request's context is
 * extracted in `format` from Node's `req.headers`, a server span is started under it, and the headers that
 * the server span's outgoing call would carry (injected in `outFormat`) are sent back as JSON.
 */
export async function startTracedHop(tracing: TracerService): Promise<{
  hop(
    rawHeaders: [string, string][],
    format?: PropagationFormat,
    outFormat?: PropagationFormat,
  ): Promise<OutgoingHeaders>;
  close(): Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const format = (url.searchParams.get('in') ?? undefined) as PropagationFormat | undefined;
    const outFormat = (url.searchParams.get('out') ?? undefined) as PropagationFormat | undefined;
    const parent = tracing.extract(req.headers, format);
    const outgoing: Record<string, unknown> = {};
    tracing.withSpan('server', () => tracing.inject(outgoing, outFormat), { kind: SpanKind.SERVER, parent });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(outgoing));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hop(rawHeaders, format, outFormat = format) {
      const query = new URLSearchParams();
      if (format !== undefined) query.set('in', format);
      if (outFormat !== undefined) query.set('out', outFormat);
      // Node sends an array value as that many header fields, in order.
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of rawHeaders) {
        const known = headers[name];
        headers[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
      }
      return new Promise((resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            path: `/?${query.toString()}`,
            agent: false,
            headers,
          },
          (res) => {
            if (res.statusCode !== 200) reject(new Error(`the service answered ${res.statusCode}`));
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OutgoingHeaders),
            );
          },
        );
        request.on('error', reject);
        request.end();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
