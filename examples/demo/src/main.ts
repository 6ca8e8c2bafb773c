/**
 * The main demo (`npm start`): with no server to install, an FC function and a service in another process,
 * traced across the process boundary, the whole trace drawn in the terminal.
 *
 * 1. A Jaeger collector embedded in the demo listens on 127.0.0.1 (Thrift over HTTP).
 * 2. The inventory service starts as a second process.
 * 3. "FC" invokes the order function (`invokeLocal`, the FC-shaped call `@tracery/fc` provides): the function's
 *    order service, from an inversify container, checks a coupon (expired: an error span) and reserves stock
 *    over HTTP; OpenTelemetry's HTTP instrumentation records the requests and carries the trace context in their
 *    headers, and the inventory continues the trace.
 * 4. Every process flushes, and the demo draws what the collector received.
 *
 * `node dist/main.js --json` also prints the received spans as one JSON line (used by the tests).
 */
import './fcInstrumentation'; // first: before anything loads `http`
import 'reflect-metadata';
import { SpanKind } from '@opentelemetry/api';
import { formatJaegerSpanContext, TracerService } from '@tracery/core';
import { renderWaterfall, type WaterfallSpan } from '@tracery/exporters';
import { invokeLocal } from '@tracery/fc';
import { decodeCollectorBody } from './collector/decodeCollectorBody';
import { startLocalCollector } from './collector/LocalCollector';
import { demoExporters } from './exporters';
import { startInventory } from './inventory/startInventory';
import { createContainer } from './shop/container';
import { createHandler } from './shop/handler';
import type { OrderRequest } from './shop/OrderService';

const ORDER: OrderRequest = {
  orderId: 'o-1001',
  customerId: 'c-42',
  coupon: 'SPRING24',
  items: [
    { sku: 'sku-tea', quantity: 2 },
    { sku: 'sku-mug', quantity: 1 },
  ],
};

async function main(): Promise<void> {
  const collector = await startLocalCollector(decodeCollectorBody);
  const inventory = await startInventory(collector.url);
  try {
    const container = createContainer({ collectorUrl: collector.url, inventoryUrl: inventory.url });
    const handler = createHandler(container);

    // What FC does for a traced function: its own span for the call, handed to the function as a Jaeger
    // span context string, with the collector's endpoint.
    const platform = new TracerService({
      serviceName: 'fc-platform',
      exporter: demoExporters(collector.url),
      registerGlobal: false,
    });
    const fcSpan = platform.startSpan('FC Invoke order-function', { kind: SpanKind.SERVER });
    const openTracingSpanContext = formatJaegerSpanContext(fcSpan.spanContext());
    const result = await invokeLocal(handler, {
      event: ORDER,
      tracing: { openTracingSpanContext, jaegerEndpoint: collector.url },
      context: { function: { name: 'order-function', handler: 'index.handler', memory: 512, timeout: 10 } },
    });
    fcSpan.end();

    // invokeLocal returned after the function's spans were flushed; the others flush on shutdown.
    await platform.shutdown();
    const inventoryExit = await inventory.stop();
    await container.get(TracerService).shutdown();
    if (inventoryExit !== 0) throw new Error(`the inventory process exited with ${inventoryExit}`);

    const spans = collector.spans();
    print(spans, { collector: collector.url, inventory: inventory.url, openTracingSpanContext, result });
    if (process.argv.includes('--json')) console.log(`SPANS ${JSON.stringify(spans)}`);
  } finally {
    await inventory.stop();
    await collector.close();
  }
}

function print(spans: WaterfallSpan[], facts: Record<string, unknown>): void {
  const services = [...new Set(spans.map((span) => span.serviceName))];
  const traces = new Set(spans.map((span) => span.traceId));
  const errors = spans.filter((span) => span.error);
  console.log('Tracery demo: an FC function calls a service in another process; the spans of both went to a');
  console.log('Jaeger collector embedded in this demo, and here is the trace it received.\n');
  console.log(`  collector    ${facts.collector} (Jaeger Thrift over HTTP)`);
  console.log(`  inventory    ${facts.inventory} (a second process)`);
  console.log(`  FC context   ${facts.openTracingSpanContext}`);
  console.log(`  result       ${JSON.stringify(facts.result)}\n`);
  console.log(renderWaterfall(withServiceLabels(spans), { attributes: true, barWidth: 32 }));
  console.log(
    `${traces.size} trace, ${spans.length} spans from ${services.length} services (${services.join(', ')}), ` +
      `${errors.length} error span${errors.length === 1 ? '' : 's'} (${errors.map((span) => span.name).join(', ')}).`,
  );
  console.log(
    'To send the same spans to a real Jaeger or to Alibaba Cloud Tracing Analysis, see the README.',
  );
}

/** Names each span that starts work in another service than its parent's `name [service]`. */
function withServiceLabels(spans: WaterfallSpan[]): WaterfallSpan[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  return spans.map((span) => {
    const parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    return parent?.serviceName === span.serviceName
      ? span
      : { ...span, name: `${span.name} [${span.serviceName}]` };
  });
}

// The demo never hangs: whatever happens, it ends.
setTimeout(() => {
  console.error('the demo did not finish within 20 s');
  process.exit(1);
}, 20_000).unref();

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
