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
import { reportOnce } from '../diagnostics/reportOnce';
import { formatJaegerSpanContext, parseJaegerSpanContext } from './jaegerSpanContext';

/** Jaeger's trace context header. */
export const UBER_TRACE_ID_HEADER = 'uber-trace-id';
/** Prefix of Jaeger's baggage headers: `uberctx-<key>: <url-encoded value>`. */
export const UBER_BAGGAGE_HEADER_PREFIX = 'uberctx-';

/** Longest header value read: the longest span context, with each separator possibly written `%3A`. */
const MAX_UBER_TRACE_ID_LENGTH = 32 + 16 + 16 + 2 + 3 * 3;
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
 * Jaeger propagation: `uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}` read with the strict
 * `parseJaegerSpanContext` (a URL-encoded `%3A` separator is accepted, as some proxies encode it), and
 * baggage as `uberctx-<key>` headers with URL-encoded values (a key that cannot be a header name is not
 * injected, reported once). Malformed or oversize input is ignored: the context comes back unchanged.
 * Never throws.
 */
export class JaegerPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext !== undefined && isSpanContextValid(spanContext)) {
      setter.set(carrier, UBER_TRACE_ID_HEADER, formatJaegerSpanContext(spanContext));
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
      setter.set(carrier, `${UBER_BAGGAGE_HEADER_PREFIX}${key}`, encodeURIComponent(entry.value));
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    const header = firstValue(getter.get(carrier, UBER_TRACE_ID_HEADER));
    if (header !== undefined && header.length <= MAX_UBER_TRACE_ID_LENGTH) {
      const spanContext = parseJaegerSpanContext(header.replace(URL_ENCODED_COLON, ':'));
      if (spanContext !== undefined) result = trace.setSpanContext(result, spanContext);
    }
    const baggage = extractBaggage(carrier, getter, propagation.getBaggage(context));
    return baggage === undefined ? result : propagation.setBaggage(result, baggage);
  }

  fields(): string[] {
    return [UBER_TRACE_ID_HEADER];
  }
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
    if (name.length <= UBER_BAGGAGE_HEADER_PREFIX.length) continue;
    if (name.slice(0, UBER_BAGGAGE_HEADER_PREFIX.length).toLowerCase() !== UBER_BAGGAGE_HEADER_PREFIX)
      continue;
    const raw = firstValue(getter.get(carrier, name));
    if (raw === undefined) continue;
    characters += name.length + raw.length;
    if (characters > MAX_BAGGAGE_CHARACTERS) break;
    const value = decode(raw);
    if (value === undefined) continue;
    entries[name.slice(UBER_BAGGAGE_HEADER_PREFIX.length).toLowerCase()] = { value };
    count++;
  }
  if (count === 0) return undefined;
  let baggage = existing ?? propagation.createBaggage();
  for (const key of Object.keys(entries)) baggage = baggage.setEntry(key, entries[key]);
  return baggage;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
