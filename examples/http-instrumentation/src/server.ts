/**
 * The price service: `node dist/server.js <format> [port]`. The recipe with `tracingModule`:
 *   1. register the instrumentation (first import),
 *   2. load `tracingModule` with the propagation format,
 *   3. serve with plain `http`: no `extract`, no span of your own for the request.
 * Each request is a SERVER span of the instrumentation, continuing the caller's trace in that format; the
 * `@Traced` method runs under it. Prints `listening on <port>`; flushes and exits on SIGTERM or SIGINT.
 */
import './instrumentation'; // first: before anything loads `http`
import 'reflect-metadata';
import * as http from 'node:http';
import { Container, injectable } from 'inversify';
import { SpanTag, Traced } from '@tracery/core';
import { TracerService, tracingModule } from '@tracery/core/inversify';
import { exporter, parseFormat } from './tracing';

@injectable()
class PriceCatalog {
  @Traced()
  priceOf(@SpanTag('product.sku') sku: string): number {
    return sku.length * 100;
  }
}

const format = parseFormat(process.argv[2]);
const container = new Container();
container.load(tracingModule({ serviceName: 'price-service', exporter: exporter(), propagation: format }));
container.bind(PriceCatalog).toSelf().inSingletonScope();
const catalog = container.get(PriceCatalog);

const server = http.createServer((req, res) => {
  const sku = new URL(req.url ?? '/', 'http://localhost').searchParams.get('sku') ?? 'unknown';
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ sku, price: catalog.priceOf(sku), headers: req.headers }));
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : '?'}`);
});

function stop(): void {
  server.close();
  server.closeAllConnections();
  container
    .get(TracerService)
    .shutdown()
    .finally(() => process.exit(0));
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
