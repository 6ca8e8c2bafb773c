import {
  isSpanContextValid,
  propagation,
  trace,
  type Baggage,
  type BaggageEntry,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { reportOnce } from '../diagnostics/reportOnce';
import { firstHeader, wholeHeader } from './headerValues';
import {
  formatJaegerSpanContext,
  JAEGER_DEBUG_ID_HEADER,
  parseJaegerTraceContext,
} from './jaegerSpanContext';
import { percentEncode, queryDecode } from './percentEncoding';
import { outgoingSignals, withSamplingSignals } from './samplingSignals';

/** Jaeger's trace context header. */
export const UBER_TRACE_ID_HEADER = 'uber-trace-id';
export { JAEGER_DEBUG_ID_HEADER };
/** Prefix of Jaeger's baggage headers: `uberctx-<key>: <url-encoded value>`. */
export const UBER_BAGGAGE_HEADER_PREFIX = 'uberctx-';

/** Longest header value read: the longest span context, with each separator possibly written `%3A`. */
const MAX_UBER_TRACE_ID_LENGTH = 32 + 16 + 16 + 2 + 3 * 3;
/** Longest `jaeger-debug-id` read (a correlation id; a longer value is ignored). */
const MAX_DEBUG_ID_LENGTH = 256;
/** Baggage bounds, as W3C baggage's: entries and total characters read per carrier. */
const MAX_BAGGAGE_ENTRIES = 180;
const MAX_BAGGAGE_CHARACTERS = 8192;
const URL_ENCODED_COLON = /%3A/gi;
/**
 * An HTTP header name (RFC 9110 token). A baggage key that is not one (a space, a newline, parentheses:
 * possible in baggage extracted from a hostile W3C header) would make Node's `http.request` throw.
 */
const HEADER_NAME_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Jaeger propagation, as Jaeger's clients do it over HTTP headers.
 *
 * `uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}` is read with the strict
 * `parseJaegerSpanContext` (first value, OWS ignored, a URL-encoded `%3A` separator accepted, as some proxies
 * encode it); its debug flag (`0x02`) is kept in the context's sampling signals, so it leaves again (`:3`)
 * from this trace's spans, in this format or as B3's debug flag. Without a valid `uber-trace-id`, a
 * `jaeger-debug-id` (at most 256 characters) asks for a debug trace: the next root span started in the context
 * is sampled and tagged `jaeger-debug-id` with the value. Baggage travels as `uberctx-<key>` headers:
 * values are read as query components (`+` is a space, as Jaeger's Go, Ruby and Java clients write it, then
 * `%XX`) and written with `encodeURIComponent`; an entry whose key cannot be a header name, or whose value
 * cannot be encoded (a lone surrogate), is not injected (reported once). Malformed or oversize input is
 * ignored: the context comes back unchanged. Never throws.
 */
export class JaegerPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const spanContext = trace.getSpanContext(context);
    if (spanContext !== undefined && isSpanContextValid(spanContext)) {
      const { debug } = outgoingSignals(context, spanContext);
      setter.set(carrier, UBER_TRACE_ID_HEADER, formatJaegerSpanContext(spanContext, debug));
    }
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined) return;
    for (const [key, entry] of baggage.getAllEntries()) {
      if (!HEADER_NAME_TOKEN.test(key)) {
        reportOnce(
          'jaeger:baggage-key',
          'baggage entries whose key cannot be an HTTP header name are not injected as uberctx- headers',
        );
        continue;
      }
      const value = percentEncode(entry.value);
      if (value === undefined) {
        reportOnce(
          'jaeger:baggage-value',
          'baggage entries whose value is not well-formed Unicode (a lone surrogate) are not injected',
        );
        continue;
      }
      setter.set(carrier, `${UBER_BAGGAGE_HEADER_PREFIX}${key}`, value);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    const header = firstHeader(getter, carrier, UBER_TRACE_ID_HEADER, MAX_UBER_TRACE_ID_LENGTH);
    const read =
      header === undefined ? undefined : parseJaegerTraceContext(header.replace(URL_ENCODED_COLON, ':'));
    if (read !== undefined) {
      const { spanContext } = read;
      result = withSamplingSignals(trace.setSpanContext(result, spanContext), {
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
        state: read.debug ? 'debug' : undefined,
      });
    } else if (!hasValidSpanContext(context)) {
      // Only without a trace context to continue (one read before, from traceparent, wins), as Jaeger's clients.
      const debugId = wholeHeader(getter, carrier, JAEGER_DEBUG_ID_HEADER, MAX_DEBUG_ID_LENGTH);
      if (debugId !== undefined && debugId !== '') {
        result = withSamplingSignals(result, { state: 'debug', debugId });
      }
    }
    const baggage = extractBaggage(carrier, getter, propagation.getBaggage(context));
    return baggage === undefined ? result : propagation.setBaggage(result, baggage);
  }

  fields(): string[] {
    return [UBER_TRACE_ID_HEADER];
  }
}

function hasValidSpanContext(context: Context): boolean {
  const spanContext = trace.getSpanContext(context);
  return spanContext !== undefined && isSpanContextValid(spanContext);
}

function extractBaggage(
  carrier: unknown,
  getter: TextMapGetter,
  existing: Baggage | undefined,
): Baggage | undefined {
  const entries: Record<string, BaggageEntry> = {};
  let count = 0;
  let characters = 0;
  for (const name of getter.keys(carrier)) {
    if (count >= MAX_BAGGAGE_ENTRIES) break;
    if (typeof name !== 'string' || name.length <= UBER_BAGGAGE_HEADER_PREFIX.length) continue;
    if (name.slice(0, UBER_BAGGAGE_HEADER_PREFIX.length).toLowerCase() !== UBER_BAGGAGE_HEADER_PREFIX)
      continue;
    const raw = wholeHeader(getter, carrier, name, MAX_BAGGAGE_CHARACTERS);
    if (raw === undefined) continue;
    characters += name.length + raw.length;
    if (characters > MAX_BAGGAGE_CHARACTERS) break;
    const value = queryDecode(raw);
    if (value === undefined) continue;
    entries[name.slice(UBER_BAGGAGE_HEADER_PREFIX.length).toLowerCase()] = { value };
    count++;
  }
  if (count === 0) return undefined;
  let baggage = existing ?? propagation.createBaggage();
  for (const key of Object.keys(entries)) baggage = baggage.setEntry(key, entries[key]);
  return baggage;
}
