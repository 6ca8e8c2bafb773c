/**
 * The server process: `node dist/server.js <format> [port]`. Extracts the caller's context from the request
 * headers in that format, records a SERVER span under it, and answers with what it received. Prints
 * `listening on <port>` when ready; stops (flushing its spans) on SIGTERM or SIGINT.
 */
import 'reflect-metadata';
import * as http from 'node:http';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { SpanTag, Traced } from '@tracery/core';
import { createTracer, parseFormat } from './tracing';

const format = parseFormat(process.argv[2]);
const tracer = createTracer('price-server', format);

class PriceCatalog {
  @Traced()
  priceOf(@SpanTag('product.sku') sku: string): number {
    return sku.length * 100;
  }
}
const catalog = new PriceCatalog();

const server = http.createServer((req, res) => {
  const parent = tracer.extract(req.headers, format);
  const span = tracer.startSpan(
    `GET /price`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } },
    parent,
  );
  const baggage = Object.fromEntries(
    (propagation.getBaggage(parent)?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]),
  );
  const price = context.with(trace.setSpan(parent, span), () => catalog.priceOf('sku-apple'));
  span.setAttribute('http.response.status_code', 200);
  span.end();
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      price,
      traceId: span.spanContext().traceId,
      parentSpanId: trace.getSpanContext(parent)?.spanId,
      baggage,
    }),
  );
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : '?'}`);
});

function stop(): void {
  server.close();
  server.closeAllConnections();
  tracer.shutdown().finally(() => process.exit(0));
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
