/**
 * The inventory service, a second process: `node dist/inventory/server.js`. OpenTelemetry's HTTP instrumentation
 * makes each request a SERVER span continuing the caller's trace (no `extract`); its work is `@Traced` under it.
 * Exports to `DEMO_COLLECTOR_URL`. Prints `listening on <port>`; on SIGTERM flushes its spans and exits.
 */
import '../instrumentation'; // first: before anything loads `http`
import 'reflect-metadata';
import * as http from 'node:http';
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
    const { sku, quantity } = JSON.parse(body) as { sku: string; quantity: number };
    ledger.reserve(sku, quantity).then(
      (reserved) =>
        res
          .writeHead(reserved ? 200 : 409, { 'content-type': 'application/json' })
          .end(JSON.stringify({ reserved })),
      () => res.writeHead(500).end(),
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
