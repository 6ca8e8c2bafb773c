import { isSpanContextValid, TraceFlags, type Baggage, type SpanContext } from '@opentelemetry/api';
import { formatJaegerSpanContext } from '@tracery/core';
import * as opentracing from 'opentracing';

/** Where an OpenTracing span context keeps its OpenTelemetry span context (not part of the public API). */
export const OTEL_SPAN_CONTEXT = Symbol('tracery.opentracing.spanContext');
/** Where it keeps its baggage (not part of the public API). */
export const BAGGAGE = Symbol('tracery.opentracing.baggage');

/**
 * An OpenTracing `SpanContext` over an OpenTelemetry one: the ids and sampled flag of a span, and the
 * OpenTracing baggage that travels with it. Immutable: `span.setBaggageItem` gives the span a new context,
 * as jaeger-client does. An extracted carrier without a trace context gives one with empty ids (and the
 * baggage it held); a span started with it as parent starts a new trace carrying that baggage.
 */
export class OpenTracingSpanContext extends opentracing.SpanContext {
  readonly [OTEL_SPAN_CONTEXT]: SpanContext;
  readonly [BAGGAGE]: Baggage | undefined;

  /** @internal built by the tracer and its spans. */
  constructor(spanContext: SpanContext, baggage: Baggage | undefined) {
    super();
    this[OTEL_SPAN_CONTEXT] = spanContext;
    this[BAGGAGE] = baggage;
  }

  /** The trace id, 32 lowercase hex characters; `''` when this context holds no trace. */
  override toTraceId(): string {
    return this.isValid() ? this[OTEL_SPAN_CONTEXT].traceId : '';
  }

  /** The span id, 16 lowercase hex characters; `''` when this context holds no trace. */
  override toSpanId(): string {
    return this.isValid() ? this[OTEL_SPAN_CONTEXT].spanId : '';
  }

  /** Whether the trace is sampled (jaeger-client's `SpanContext.isSampled()`). */
  isSampled(): boolean {
    return (this[OTEL_SPAN_CONTEXT].traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  }

  /** Whether this context holds a trace (jaeger-client's `isValid`). */
  isValid(): boolean {
    return isSpanContextValid(this[OTEL_SPAN_CONTEXT]);
  }

  /** Jaeger's text form, as in an `uber-trace-id` header (`{trace}:{span}:0:{flags}`); `''` without a trace. */
  override toString(): string {
    return this.isValid() ? formatJaegerSpanContext(this[OTEL_SPAN_CONTEXT]) : '';
  }
}
