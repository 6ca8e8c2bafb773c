import type { SpanContext } from '@opentelemetry/api';

const DEBUG_SPANS_KEY = Symbol.for('@tracery/commons:debugSpans');

/**
 * Span contexts of the spans of debug traces, as long as the spans live. One set per process, shared by every
 * copy of this package (core and exporters of different releases may each have their own copy installed).
 */
const debugSpans: WeakSet<SpanContext> = ((globalThis as Record<symbol, unknown>)[DEBUG_SPANS_KEY] ??=
  new WeakSet<SpanContext>()) as WeakSet<SpanContext>;

/**
 * Marks the span whose context is `spanContext` as a span of a debug trace: one forced sampled (Jaeger's debug
 * flag, B3's `X-B3-Flags: 1`, `withDebug`, `TracerService`'s `debug: true`), which a tracing backend should store
 * whatever its own sampling or downsampling says. Exporters write the mark in their format: Jaeger's span flag
 * `0x02`, Zipkin's `debug: true` (OTLP and OpenTelemetry's trace flags have no such bit). `@tracery/core`'s
 * providers mark the spans that start in a debug trace.
 */
export function markDebugSpan(spanContext: SpanContext): void {
  debugSpans.add(spanContext);
}

/** Whether the span whose context is `spanContext` was marked as a span of a debug trace (`markDebugSpan`). */
export function isDebugSpan(spanContext: SpanContext): boolean {
  return debugSpans.has(spanContext);
}
