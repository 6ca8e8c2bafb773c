import { context, propagation, trace, type DiagLogger, diag, DiagLogLevel } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';

/** One test file's tracing pipeline: a global provider whose ended spans are kept in memory. */
export interface InMemoryPipeline {
  readonly exporter: InMemorySpanExporter;
  readonly provider: BasicTracerProvider;
  /** Ended spans, in end order. */
  spans(): ReadableSpan[];
  /** The one ended span with this name (throws otherwise). */
  span(name: string): ReadableSpan;
  reset(): void;
  uninstall(): Promise<void>;
}

/**
 * Registers an in-memory pipeline as the global provider (synchronous export, so spans are visible as soon
 * as they end) with an AsyncLocalStorage context manager. Call `uninstall()` in `afterAll`.
 */
export function installInMemoryPipeline(options: { sampler?: Sampler } = {}): InMemoryPipeline {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    sampler: options.sampler,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  trace.disable();
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const found = exporter.getFinishedSpans().filter((span) => span.name === name);
      if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length}`);
      return found[0];
    },
    reset: () => exporter.reset(),
    async uninstall() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Captures `diag` warnings and errors while installed. */
export function captureDiag(): { messages: string[]; restore(): void } {
  const messages: string[] = [];
  const record = (message: string, ...args: unknown[]) =>
    messages.push([message, ...args.map(String)].join(' '));
  const logger: DiagLogger = {
    error: record,
    warn: record,
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { messages, restore: () => diag.disable() };
}

/** The parent span id of a span, or undefined for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** The span id of a span. */
export function idOf(span: ReadableSpan): string {
  return span.spanContext().spanId;
}
