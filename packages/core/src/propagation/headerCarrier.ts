import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

type Carrier = Record<string, unknown>;

/**
 * Longest header value read. W3C baggage allows 8192 bytes, every other propagation header is far shorter;
 * a longer value is treated as absent so a hostile carrier cannot make a propagator parse megabytes.
 */
const MAX_HEADER_VALUE_LENGTH = 8192;
/** Most values of a repeated header read (an array value); a longer array counts as absent. */
const MAX_HEADER_VALUES = 64;

/**
 * Reads plain objects and Node `IncomingHttpHeaders` alike: the key is looked up as is, then
 * case-insensitively. An array value (a header sent several times, as `req.headersDistinct` gives it) comes
 * back as an array, for each propagator to read as its format says (`headerValues.ts`); it counts as absent
 * when it holds a non-string or more than 64 values. A non-string value, or one longer than 8192 characters,
 * counts as absent.
 */
export const headerGetter: TextMapGetter<unknown> = {
  keys(carrier) {
    return isCarrier(carrier) ? Object.keys(carrier) : [];
  },
  get(carrier, key) {
    if (!isCarrier(carrier)) return undefined;
    let value = Object.prototype.hasOwnProperty.call(carrier, key) ? carrier[key] : undefined;
    if (value === undefined) {
      const wanted = key.toLowerCase();
      for (const name of Object.keys(carrier)) {
        if (name.toLowerCase() === wanted) {
          value = carrier[name];
          break;
        }
      }
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_HEADER_VALUES) return undefined;
      const values: string[] = [];
      for (const item of value as unknown[]) {
        if (!isHeaderValue(item)) return undefined;
        values.push(item);
      }
      return values;
    }
    return isHeaderValue(value) ? value : undefined;
  },
};

/**
 * Writes `carrier[key] = value` (lower-case keys, as Node header objects use) and removes the same header
 * under any other case (`Traceparent` in forwarded headers): HTTP names are case-insensitive, so both would
 * be sent and the receiver would read a stale or a joined, invalid value.
 */
export const headerSetter: TextMapSetter<unknown> = {
  set(carrier, key, value) {
    if (!isCarrier(carrier)) return;
    const wanted = key.toLowerCase();
    for (const name of Object.keys(carrier)) {
      if (name !== key && name.toLowerCase() === wanted) delete carrier[name];
    }
    carrier[key] = value;
  },
};

function isHeaderValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_HEADER_VALUE_LENGTH;
}

function isCarrier(carrier: unknown): carrier is Carrier {
  return carrier !== null && typeof carrier === 'object';
}
