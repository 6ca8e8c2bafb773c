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

/**
 * `memoryTracing()` for the enclosing `describe`: registered before its tests, emptied after each test, shut
 * down (and the OpenTelemetry globals reset) after all of them. Read its members inside tests and hooks only.
 */
export function useMemoryTracing(): MemoryTracing {
  let tracing: MemoryTracing | undefined;
  beforeAll(() => {
    tracing = memoryTracing();
  });
  afterEach(() => tracing?.exporter.reset());
  afterAll(async () => {
    await tracing?.provider.shutdown();
    resetOpenTelemetry();
  });
  const current = (): MemoryTracing => {
    if (!tracing) throw new Error('useMemoryTracing: read outside a test or hook');
    return tracing;
  };
  return {
    get provider() {
      return current().provider;
    },
    get exporter() {
      return current().exporter;
    },
    spans: () => current().spans(),
    named: (name) => current().named(name),
  };
}
