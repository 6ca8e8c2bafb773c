/**
 * Placeholder demo until @tracery/core's decorators land: a parent context taken from an FC-style Jaeger
 * span context string, two spans under it, printed when finished.
 */
import { context, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { parseJaegerSpanContext } from '@tracery/core';

async function main(): Promise<void> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('@tracery-example/demo');

  const fcSpanContext = parseJaegerSpanContext('1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:1');
  const parent = fcSpanContext ? trace.setSpanContext(context.active(), fcSpanContext) : context.active();
  const invocation = tracer.startSpan('hello-function', {}, parent);
  const child = tracer.startSpan('OrderService.placeOrder', {}, trace.setSpan(parent, invocation));
  child.setAttribute('order.id', 'o-42');
  child.end();
  invocation.end();
  await provider.forceFlush();

  for (const span of exporter.getFinishedSpans()) {
    const ctx = span.spanContext();
    console.log(`${ctx.traceId} ${ctx.spanId} parent=${span.parentSpanContext?.spanId ?? '-'} ${span.name}`);
  }
  await provider.shutdown();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
