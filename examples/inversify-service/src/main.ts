/**
 * Places two orders (the second fails: out of stock) and exits. The spans go where `TRACERY_ENV` says:
 *   TRACERY_ENV=development node dist/main.js                               # waterfall in the terminal
 *   TRACERY_ENV=staging JAEGER_ENDPOINT=http://localhost:14268/api/traces node dist/main.js
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { TracerService } from '@tracery/core';
import { createContainer } from './container';
import { OrderService } from './OrderService';

async function main(): Promise<void> {
  process.env.TRACERY_ENV ??= 'development';
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const container = createContainer();
  const orders = container.get(OrderService);
  const tracer = container.get(TracerService);

  const placed = await orders.placeOrder(
    { customerId: 'c-7', items: [{ sku: 'sku-apple', quantity: 2 }] },
    'web',
  );
  console.log(`placed ${placed.id}`);
  try {
    await orders.placeOrder({ customerId: 'c-8', items: [{ sku: 'sku-pear', quantity: 1 }] }, 'mobile');
  } catch (error) {
    console.log(`rejected: ${(error as Error).message}`);
  }
  // Flushes every pending span, then closes the exporter. An export failure (collector down) is reported
  // through OpenTelemetry's diag logger; it does not change the program's outcome.
  await tracer.shutdown().catch(() => undefined);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
