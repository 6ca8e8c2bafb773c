import { context, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** A provider exporting to memory through a BatchSpanProcessor: spans reach `exporter` only when flushed. */
export interface MemoryTracing {
  provider: NodeTracerProvider;
  exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  named(name: string): ReadableSpan[];
}

export function memoryTracing(options: { register?: boolean } = {}): MemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })],
  });
  if (options.register !== false) {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  }
  return {
    provider,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    named: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
  };
}

/** Resets the OpenTelemetry globals between test files. */
export function resetOpenTelemetry(): void {
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
}
