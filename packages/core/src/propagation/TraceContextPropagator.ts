import {
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { reportOnce } from '../diagnostics/reportOnce';
import { listHeader, singleHeader } from './headerValues';
import { outgoingSignals, withSamplingSignals } from './samplingSignals';
import { formatTraceparent, MAX_TRACEPARENT_LENGTH, parseTraceparent } from './traceparent';
import { MAX_TRACESTATE_LENGTH, W3CTraceState } from './W3CTraceState';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/**
 * W3C Trace Context (Level 2): `traceparent` and `tracestate`, parsed and written exactly as the spec says.
 *
 * Extract: a `traceparent` sent once (a repeated one is malformed), OWS around it ignored, read by
 * `parseTraceparent` (future versions by the spec's rules); a malformed one leaves the context unchanged and
 * `tracestate` is then not read. `tracestate` fields are combined in order and kept whole or dropped whole
 * (`W3CTraceState.parse`). The random-trace-id flag is kept in the context's sampling signals, so the spans
 * of this trace send it on.
 *
 * Inject: version 00, lower-case ids, the sampled flag (debug counts as sampled), the random flag when the
 * trace came with it, and `tracestate` when it is not empty and well formed (one that is not, from another
 * `TraceState` implementation, is not sent; reported once). Never throws.
 */
export class TraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || !isSpanContextValid(spanContext) || isTracingSuppressed(context)) return;
    const signals = outgoingSignals(context, spanContext);
    const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 || signals.debug;
    setter.set(carrier, TRACEPARENT_HEADER, formatTraceparent(spanContext, sampled, signals.randomTraceId));
    const tracestate = outgoingTracestate(spanContext);
    if (tracestate !== undefined) setter.set(carrier, TRACESTATE_HEADER, tracestate);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = singleHeader(getter, carrier, TRACEPARENT_HEADER, MAX_TRACEPARENT_LENGTH);
    const traceparent = header === undefined ? undefined : parseTraceparent(header);
    if (traceparent === undefined) return context;
    const { traceId, spanId } = traceparent;
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags: traceparent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    };
    const tracestateHeader = listHeader(getter, carrier, TRACESTATE_HEADER, MAX_TRACESTATE_LENGTH);
    const traceState = tracestateHeader === undefined ? undefined : W3CTraceState.parse(tracestateHeader);
    if (traceState !== undefined && !traceState.isEmpty()) spanContext.traceState = traceState;
    return withSamplingSignals(trace.setSpanContext(context, spanContext), {
      traceId,
      spanId,
      randomTraceId: traceparent.randomTraceId,
    });
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}

function outgoingTracestate(spanContext: SpanContext): string | undefined {
  const traceState = spanContext.traceState;
  if (traceState === undefined) return undefined;
  const serialized = traceState.serialize();
  if (serialized === '') return undefined;
  if (traceState instanceof W3CTraceState) return serialized;
  // Another implementation (OpenTelemetry's, a sampler's own): send it only if it is one the spec allows.
  const checked = W3CTraceState.parse(serialized);
  if (checked === undefined) {
    reportOnce('w3c:tracestate', 'a tracestate that is not well formed was not injected');
    return undefined;
  }
  return checked.isEmpty() ? undefined : checked.serialize();
}
