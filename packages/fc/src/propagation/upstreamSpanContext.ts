import { isSpanContextValid, ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { extractTraceHeaders } from '@tracery/core';

/**
 * The span context of the caller of an HTTP request, from its `traceparent` (W3C, with `tracestate`),
 * `uber-trace-id` (Jaeger) or `b3` / `X-B3-*` (Zipkin) headers, tried in that order, the first well-formed one
 * winning. The parsing is `@tracery/core`'s, the same as `TracerService.extract` and the global propagator:
 * header names matched case-insensitively, values strict (exact lengths, all-zero ids rejected) and bounded.
 * Never throws.
 */
export function upstreamSpanContext(headers: unknown): SpanContext | undefined {
  const spanContext = trace.getSpanContext(extractTraceHeaders(headers, ROOT_CONTEXT));
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * `base` with the caller of an HTTP request as remote parent, and what its headers say about sampling beyond
 * the sampled flag (a debug flag, B3's deferred decision, the W3C random flag), which the invocation span and
 * the calls made under it carry on. `base` unchanged when the headers name no caller. Never throws.
 */
export function withUpstream(base: Context, headers: unknown): Context {
  return extractTraceHeaders(headers, base);
}
