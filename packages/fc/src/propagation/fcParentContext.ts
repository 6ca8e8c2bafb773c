import { context as otelContext, propagation, trace, TraceFlags, type Context } from '@opentelemetry/api';
import type { BaggageEntry, SpanContext } from '@opentelemetry/api';
import type { FcContext, FcParentContextOptions } from '../types';
import { parseFcSpanContext } from './parseFcSpanContext';

/** Most baggage items taken from FC (W3C baggage allows 180 list members; FC's are few). */
const MAX_BAGGAGE_ITEMS = 64;
/** Longest baggage key and value kept, in characters. */
const MAX_BAGGAGE_KEY_LENGTH = 256;
const MAX_BAGGAGE_VALUE_LENGTH = 4096;

/**
 * An OpenTelemetry context with FC's invocation span (`context.tracing.openTracingSpanContext`) as remote parent
 * and `context.tracing.openTracingSpanBaggages` as baggage. With `fcContextPolicy` `'link'` or `'ignore'`, or a
 * missing or malformed span context, no parent is set (spans started in it begin a new trace). Never throws.
 *
 * @example
 * const ctx = fcParentContext(context);
 * tracer.startActiveSpan('work', {}, ctx, (span) => { ... });
 */
export function fcParentContext(fcContext: unknown, options: FcParentContextOptions = {}): Context {
  const base = options.base ?? otelContext.active();
  try {
    const tracing = readTracing(fcContext);
    const fcSpan =
      (options.fcContextPolicy ?? 'parent') === 'parent'
        ? parseFcSpanContext(tracing?.openTracingSpanContext)
        : undefined;
    return withFcParent(base, tracing, fcSpan, options.forceSample === true);
  } catch {
    return base;
  }
}

/**
 * `base` with FC's baggage, and with `fcSpan` (FC's span context, parsed by the caller; sampled when
 * `forceSample`) as remote parent when given. Never throws.
 */
export function withFcParent(
  base: Context,
  tracing: FcContext['tracing'] | undefined,
  fcSpan: SpanContext | undefined,
  forceSample: boolean,
): Context {
  let result = base;
  try {
    const baggage = readBaggage(tracing?.openTracingSpanBaggages);
    if (baggage !== undefined) result = propagation.setBaggage(result, propagation.createBaggage(baggage));
    if (fcSpan === undefined) return result;
    const spanContext = forceSample
      ? { ...fcSpan, traceFlags: fcSpan.traceFlags | TraceFlags.SAMPLED }
      : fcSpan;
    return trace.setSpanContext(result, spanContext);
  } catch {
    return result;
  }
}

/** `context.tracing` if it is an object. */
export function readTracing(fcContext: unknown): FcContext['tracing'] | undefined {
  if (typeof fcContext !== 'object' || fcContext === null) return undefined;
  const tracing = (fcContext as FcContext).tracing;
  return typeof tracing === 'object' && tracing !== null ? tracing : undefined;
}

function readBaggage(value: unknown): Record<string, BaggageEntry> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let entries: Record<string, BaggageEntry> | undefined;
  let count = 0;
  // `for...in` over FC's plain object: no key array is made for the usual empty `{}`.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (count >= MAX_BAGGAGE_ITEMS) break;
    const raw = (value as Record<string, unknown>)[key];
    if (key.length === 0 || key.length > MAX_BAGGAGE_KEY_LENGTH) continue;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') continue;
    const text = String(raw);
    if (text.length > MAX_BAGGAGE_VALUE_LENGTH) continue;
    (entries ??= {})[key] = { value: text };
    count++;
  }
  return entries;
}
