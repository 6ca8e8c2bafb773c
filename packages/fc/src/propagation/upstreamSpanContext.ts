import { isSpanContextValid, ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { traceryCore } from '../loading/lazyModules';

/** The caller of an HTTP request as its headers name it, read once. */
export interface Upstream {
  /** `base` with the caller as remote parent and what its headers say about sampling (see `withUpstream`). */
  readonly context: Context;
  /** The caller's span context. */
  readonly spanContext: SpanContext;
}

/**
 * The caller of an HTTP request, from its `traceparent` (W3C, with `tracestate`), `uber-trace-id` (Jaeger) or
 * `b3` / `X-B3-*` (Zipkin) headers, tried in that order, the first well-formed one winning, read once: `base` with
 * it as remote parent, and its span context. The parsing is `@tracery/core`'s, the same as `TracerService.extract`
 * and the global propagator: header names matched case-insensitively, values strict (exact lengths, all-zero ids
 * rejected) and bounded. `undefined` when the headers name no valid caller (or are not an object). Never throws.
 */
export function upstreamOf(headers: unknown, base: Context): Upstream | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const context = traceryCore().extractTraceHeaders(headers, base);
  if (context === base) return undefined;
  const spanContext = trace.getSpanContext(context);
  // A sampling state sent without ids (`b3: 0`) names no caller: `base`'s own span, if any, is not one.
  if (spanContext === undefined || spanContext === trace.getSpanContext(base)) return undefined;
  return isSpanContextValid(spanContext) ? { context, spanContext } : undefined;
}

/** The span context of the caller of an HTTP request (see `upstreamOf`), or `undefined`. Never throws. */
export function upstreamSpanContext(headers: unknown): SpanContext | undefined {
  return upstreamOf(headers, ROOT_CONTEXT)?.spanContext;
}

/**
 * `base` with the caller of an HTTP request as remote parent, and what its headers say about sampling beyond
 * the sampled flag (a debug flag, B3's deferred decision, the W3C random flag), which the invocation span and
 * the calls made under it carry on. `base` unchanged when the headers name no caller. Never throws.
 */
export function withUpstream(base: Context, headers: unknown): Context {
  if (typeof headers !== 'object' || headers === null) return base;
  return traceryCore().extractTraceHeaders(headers, base);
}
