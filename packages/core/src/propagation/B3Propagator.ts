import {
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import {
  B3_FLAGS_HEADER,
  B3_SAMPLED_HEADER,
  B3_SINGLE_HEADER,
  B3_SPAN_ID_HEADER,
  B3_TRACE_ID_HEADER,
  parseB3Single,
  readB3Multi,
  type B3Context,
} from './b3Headers';
import { firstHeader } from './headerValues';
import {
  outgoingSignals,
  rootSamplingState,
  withSamplingSignals,
  type SamplingState,
} from './samplingSignals';

/** Which B3 encoding `inject` writes. */
export type B3Encoding = 'single' | 'multi';

/**
 * Zipkin's B3 propagation, strict. Extract reads the `b3` header first (the spec's precedence), then the
 * `X-B3-*` headers, whichever encoding `inject` uses; a malformed value gives nothing (see `parseB3Single`,
 * `readB3Multi`). B3's four sampling states cross the hop: accept and deny as the sampled flag, debug and a
 * deferred decision (no state sent: the receiver decides) as the context's sampling signals, and a state sent
 * without ids (`b3: 0`) as a signal for the trace started here (ignored when the context already holds a
 * span context).
 *
 * Inject writes lower-case ids, a 32-digit trace id, and the state: `d` / `X-B3-Flags: 1` (without
 * `X-B3-Sampled`, as the spec asks) for debug, nothing for the deferred remote span itself, else `1`/`0`.
 * With no span in the context, a state alone (`b3: 0`, `X-B3-Sampled: 0`) when one was received. Never throws.
 */
export class B3Propagator implements TextMapPropagator {
  constructor(private readonly encoding: B3Encoding = 'single') {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || !isSpanContextValid(spanContext)) {
      const state = rootSamplingState(context);
      if (state !== undefined && state !== 'defer') this.injectState(carrier, setter, state);
      return;
    }
    const signals = outgoingSignals(context, spanContext);
    const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
    const state: SamplingState = signals.debug
      ? 'debug'
      : signals.deferred
        ? 'defer'
        : sampled
          ? 'accept'
          : 'deny';
    const traceId = spanContext.traceId.toLowerCase();
    const spanId = spanContext.spanId.toLowerCase();
    if (this.encoding === 'single') {
      const suffix = state === 'defer' ? '' : `-${singleState(state)}`;
      setter.set(carrier, B3_SINGLE_HEADER, `${traceId}-${spanId}${suffix}`);
      return;
    }
    setter.set(carrier, B3_TRACE_ID_HEADER, traceId);
    setter.set(carrier, B3_SPAN_ID_HEADER, spanId);
    if (state !== 'defer') this.injectState(carrier, setter, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const single = firstHeader(getter, carrier, B3_SINGLE_HEADER, 128);
    const read = (single === undefined ? undefined : parseB3Single(single)) ?? readB3Multi(getter, carrier);
    return read === undefined ? context : contextOf(context, read);
  }

  fields(): string[] {
    return this.encoding === 'single'
      ? [B3_SINGLE_HEADER]
      : [B3_TRACE_ID_HEADER, B3_SPAN_ID_HEADER, B3_SAMPLED_HEADER, B3_FLAGS_HEADER];
  }

  private injectState(carrier: unknown, setter: TextMapSetter, state: Exclude<SamplingState, 'defer'>): void {
    if (this.encoding === 'single') setter.set(carrier, B3_SINGLE_HEADER, singleState(state));
    else if (state === 'debug') setter.set(carrier, B3_FLAGS_HEADER, '1');
    else setter.set(carrier, B3_SAMPLED_HEADER, state === 'accept' ? '1' : '0');
  }
}

function singleState(state: Exclude<SamplingState, 'defer'>): string {
  return state === 'debug' ? 'd' : state === 'accept' ? '1' : '0';
}

function contextOf(context: Context, read: B3Context): Context {
  const { spanContext, state } = read;
  if (spanContext === undefined) {
    // A state alone is about the trace this side starts; a span context already read (traceparent) wins.
    const existing = trace.getSpanContext(context);
    if (existing !== undefined && isSpanContextValid(existing)) return context;
    return withSamplingSignals(context, { state });
  }
  const signalled = state === 'debug' || state === 'defer' ? state : undefined;
  return withSamplingSignals(trace.setSpanContext(context, spanContext), {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    state: signalled,
  });
}
