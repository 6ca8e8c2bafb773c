import { isSpanContextValid, TraceFlags, type Baggage, type SpanContext } from '@opentelemetry/api';
import { formatJaegerSpanContext, type SamplingSignals } from '@tracery/core';
import * as opentracing from 'opentracing';

/** Where an OpenTracing span context keeps its OpenTelemetry span context (not part of the public API). */
export const OTEL_SPAN_CONTEXT = Symbol('tracery.opentracing.spanContext');
/** Where it keeps its baggage (not part of the public API). */
export const BAGGAGE = Symbol('tracery.opentracing.baggage');
/**
 * Where it keeps what its trace carries beyond the sampled bit (`@tracery/core`'s sampling signals: debug, a
 * deferred decision, `jaeger-debug-id`), so a span started from it and `inject` carry them on.
 */
export const SIGNALS = Symbol('tracery.opentracing.signals');

/**
 * An OpenTracing `SpanContext` over an OpenTelemetry one: the ids and sampled flag of a span, and the
 * OpenTracing baggage that travels with it. Immutable: `span.setBaggageItem` gives the span a new context,
 * as jaeger-client does. An extracted carrier without a trace context gives one with empty ids (and the
 * baggage it held); a span started with it as parent starts a new trace carrying that baggage.
 */
export class OpenTracingSpanContext extends opentracing.SpanContext {
  readonly [OTEL_SPAN_CONTEXT]: SpanContext;
  readonly [BAGGAGE]: Baggage | undefined;
  readonly [SIGNALS]: SamplingSignals | undefined;

  /** @internal built by the tracer and its spans. */
  constructor(spanContext: SpanContext, baggage: Baggage | undefined, signals?: SamplingSignals) {
    super();
    this[OTEL_SPAN_CONTEXT] = spanContext;
    this[BAGGAGE] = baggage;
    this[SIGNALS] = signals;
  }

  /** The trace id, 32 lowercase hex characters; `''` when this context holds no trace. */
  override toTraceId(): string {
    return this.isValid() ? this[OTEL_SPAN_CONTEXT].traceId : '';
  }

  /** The span id, 16 lowercase hex characters; `''` when this context holds no trace. */
  override toSpanId(): string {
    return this.isValid() ? this[OTEL_SPAN_CONTEXT].spanId : '';
  }

  /** Whether the trace is sampled (jaeger-client's `SpanContext.isSampled()`); a debug trace is. */
  isSampled(): boolean {
    return (this[OTEL_SPAN_CONTEXT].traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED || this.isDebug();
  }

  /**
   * Whether the trace is a debug one, forced sampled (jaeger-client's `SpanContext.isDebug()`: Jaeger's flag
   * `0x02`): by `sampling.priority`, or because it arrived so (`…:3`, B3 debug). `inject` sends it on as such.
   */
  isDebug(): boolean {
    const signals = this[SIGNALS];
    return (
      signals?.state === 'debug' && this.isValid() && signals.traceId === this[OTEL_SPAN_CONTEXT].traceId
    );
  }

  /** Whether this context holds a trace (jaeger-client's `isValid`). */
  isValid(): boolean {
    return isSpanContextValid(this[OTEL_SPAN_CONTEXT]);
  }

  /**
   * Jaeger's text form, as in an `uber-trace-id` header (`{trace}:{span}:0:{flags}`, flags `3` for a debug
   * trace); `''` without a trace.
   */
  override toString(): string {
    return this.isValid() ? formatJaegerSpanContext(this[OTEL_SPAN_CONTEXT], this.isDebug()) : '';
  }
}
