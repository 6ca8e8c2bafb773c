/**
 * The inventory service, a second process: `node dist/inventory/server.js`. Continues the caller's trace
 * from the request headers, records a SERVER span and its work, exports to `DEMO_COLLECTOR_URL`.
 * Prints `listening on <port>`; on SIGTERM flushes its spans and exits.
 */
import 'reflect-metadata';
import * as http from 'node:http';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { SpanTag, Traced, TracerService } from '@tracery/core';
import { demoExporters } from '../exporters';

const tracer = new TracerService({
  serviceName: 'inventory-service',
  exporter: demoExporters(process.env.DEMO_COLLECTOR_URL ?? 'http://127.0.0.1:14268/api/traces'),
});

class StockLedger {
  private readonly stock = new Map([
    ['sku-tea', 12],
    ['sku-mug', 3],
  ]);

  @Traced()
  async reserve(
    @SpanTag('product.sku') sku: string,
    @SpanTag('product.quantity') quantity: number,
  ): Promise<boolean> {
    const available = await this.lookup(sku);
    if (available < quantity) return false;
    this.stock.set(sku, available - quantity);
    return true;
  }

  @Traced({ name: 'SELECT stock', attributes: { 'db.system.name': 'memory' } })
  @SpanTag('stock.available')
  async lookup(@SpanTag('product.sku') sku: string): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return this.stock.get(sku) ?? 0;
  }
}

const ledger = new StockLedger();

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const parent = tracer.extract(req.headers);
    const span = tracer.startSpan(`${req.method} ${req.url}`, { kind: SpanKind.SERVER }, parent);
    context
      .with(trace.setSpan(parent, span), async () => {
        const { sku, quantity } = JSON.parse(body) as { sku: string; quantity: number };
        return ledger.reserve(sku, quantity);
      })
      .then(
        (reserved) => {
          span.setAttribute('http.response.status_code', reserved ? 200 : 409);
          span.end();
          res
            .writeHead(reserved ? 200 : 409, { 'content-type': 'application/json' })
            .end(JSON.stringify({ reserved }));
        },
        (error: unknown) => {
          span.recordException(error as Error);
          span.end();
          res.writeHead(500).end();
        },
      );
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : '?'}`);
});

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  tracer.shutdown().finally(() => process.exit(0));
});
// Never outlive the demo.
setTimeout(() => process.exit(2), 30_000).unref();
