import { context, propagation } from '@opentelemetry/api';
import type * as opentracing from 'opentracing';
import { reportOnce } from '../diagnostics/reportOnce';
import { CONTEXT_WITH, OpenTracingSpan, SPAN_BAGGAGE } from '../tracer/OpenTracingSpan';

/**
 * Runs `fn` with `span` active in OpenTelemetry's context (OpenTracing's `scopeManager.activate(span)`):
 * `@Traced` methods, `TracerService` spans, OpenTelemetry instrumentations and OpenTracing spans started
 * without a parent, inside `fn` (and in the async work it starts), are children of `span`; the span's
 * baggage is the active baggage. Returns what `fn` returns (the same promise for an async function) and
 * lets its errors through unchanged. A span of another tracer runs `fn` as it is (reported once).
 *
 * @example
 * const span = tracer.startSpan('checkout');
 * await withSpan(span, () => orders.place(order)); // @Traced OrderService.place is a child of checkout
 * span.finish();
 */
export function withSpan<T>(span: opentracing.Span, fn: () => T): T {
  if (!(span instanceof OpenTracingSpan)) {
    reportOnce('withSpan:foreign', 'withSpan was given a span of another tracer; fn ran without it');
    return fn();
  }
  let active = span[CONTEXT_WITH](context.active());
  const baggage = span[SPAN_BAGGAGE];
  active =
    baggage === undefined ? propagation.deleteBaggage(active) : propagation.setBaggage(active, baggage);
  return context.with(active, fn);
}
