import { propagation, ROOT_CONTEXT, trace, type Context, type TextMapPropagator } from '@opentelemetry/api';
import { B3Propagator } from './B3Propagator';
import { headerGetter } from './headerCarrier';
import { JaegerPropagator } from './JaegerPropagator';
import { TraceContextPropagator } from './TraceContextPropagator';

let readers: TextMapPropagator[] | undefined;

/**
 * The caller's trace context from a carrier of HTTP-style headers in any format Tracery reads, tried in this
 * order, the first well-formed one winning: `traceparent` (with `tracestate`), `uber-trace-id`, `b3`,
 * `X-B3-*`. The same strict parsing as the propagators (`createPropagator`), with their sampling signals
 * (debug, B3's deferred decision, a B3 state sent without ids, the W3C random flag); baggage is not read.
 * Keys are case-insensitive, values are read as repeated fields the way each format says. Gives `base`
 * unchanged when no format gives anything. Never throws.
 *
 * @experimental For Tracery's own packages (`@tracery/fc` reads upstream HTTP headers with it; links use it).
 * @example
 * const parent = extractTraceHeaders(event.headers);
 * trace.getSpanContext(parent); // the caller's span context, or undefined
 */
export function extractTraceHeaders(carrier: unknown, base: Context = ROOT_CONTEXT): Context {
  if (carrier === null || typeof carrier !== 'object') return base;
  try {
    readers ??= [new TraceContextPropagator(), new JaegerPropagator(), new B3Propagator()];
    const baseSpanContext = trace.getSpanContext(base);
    let stateOnly: Context | undefined;
    for (const reader of readers) {
      const extracted = reader.extract(base, carrier, headerGetter);
      if (extracted === base) continue;
      const spanContext = trace.getSpanContext(extracted);
      if (spanContext !== undefined && spanContext !== baseSpanContext) return withBaggageOf(base, extracted);
      stateOnly ??= extracted;
    }
    return stateOnly === undefined ? base : withBaggageOf(base, stateOnly);
  } catch {
    // a throwing getter, a revoked proxy: nothing read
    return base;
  }
}

/** `extracted` with the baggage of `base` (Jaeger's reader also reads `uberctx-*` baggage, not wanted here). */
function withBaggageOf(base: Context, extracted: Context): Context {
  const baggage = propagation.getBaggage(base);
  return baggage === undefined
    ? propagation.deleteBaggage(extracted)
    : propagation.setBaggage(extracted, baggage);
}
