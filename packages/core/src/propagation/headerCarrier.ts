import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

type Carrier = Record<string, unknown>;

/**
 * Longest header value read. W3C baggage allows 8192 bytes, every other propagation header is far shorter;
 * a longer value is treated as absent so a hostile carrier cannot make a propagator parse megabytes.
 */
const MAX_HEADER_VALUE_LENGTH = 8192;

/**
 * Reads plain objects and Node `IncomingHttpHeaders` alike: the key is looked up as is, then
 * case-insensitively; an array value gives its first element; a non-string value, or one longer than
 * 8192 characters, counts as absent.
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
    if (Array.isArray(value)) value = value[0];
    return typeof value === 'string' && value.length <= MAX_HEADER_VALUE_LENGTH ? value : undefined;
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

function isCarrier(carrier: unknown): carrier is Carrier {
  return carrier !== null && typeof carrier === 'object';
}
