import type { TextMapGetter } from '@opentelemetry/api';

/**
 * Reading propagation headers, the one place where the rules of HTTP fields apply to them (RFC 9110): the
 * spaces and tabs around a field value are not part of it (OWS), and a field sent several times arrives as an
 * array (`headersDistinct`, our `headerGetter`) or joined by commas (Node's `req.headers`). Each reader caps
 * the length it looks at, so any getter (ours, or OpenTelemetry's default one used by `propagation.extract`)
 * gives bounded work. Non-string values count as absent.
 */

/**
 * The value of a header that must be sent once (`traceparent`): a second value makes it malformed, as the W3C
 * spec asks. `undefined` when absent, repeated, not a string or longer than `maxLength`.
 */
export function singleHeader(
  getter: TextMapGetter,
  carrier: unknown,
  name: string,
  maxLength: number,
): string | undefined {
  let value: unknown = getter.get(carrier, name);
  if (Array.isArray(value)) {
    if (value.length !== 1) return undefined;
    value = value[0];
  }
  return bounded(value, maxLength);
}

/**
 * The first value of a header whose first value wins (B3's rule, used for `uber-trace-id` too): the first
 * array element, or what precedes the first comma of a joined value.
 */
export function firstHeader(
  getter: TextMapGetter,
  carrier: unknown,
  name: string,
  maxLength: number,
): string | undefined {
  let value: unknown = getter.get(carrier, name);
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'string') return undefined;
  const comma = value.indexOf(',');
  return bounded(comma === -1 ? value : value.slice(0, comma), maxLength);
}

/** The first array element, or the value, whole: for values that may hold commas (Jaeger's baggage). */
export function wholeHeader(
  getter: TextMapGetter,
  carrier: unknown,
  name: string,
  maxLength: number,
): string | undefined {
  let value: unknown = getter.get(carrier, name);
  if (Array.isArray(value)) value = value[0];
  return bounded(value, maxLength);
}

/** The values of a list header (`tracestate`) sent once or several times, combined in order with commas. */
export function listHeader(
  getter: TextMapGetter,
  carrier: unknown,
  name: string,
  maxLength: number,
): string | undefined {
  const value: unknown = getter.get(carrier, name);
  if (!Array.isArray(value)) return bounded(value, maxLength);
  let combined = '';
  for (let i = 0; i < value.length; i++) {
    const part: unknown = value[i];
    if (typeof part !== 'string') return undefined;
    combined = i === 0 ? part : `${combined},${part}`;
    if (combined.length > maxLength) return undefined;
  }
  return value.length === 0 ? undefined : bounded(combined, maxLength);
}

/** The value without the OWS at its ends, if what remains is at most `maxLength` long. */
function bounded(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  return end - start <= maxLength ? value.slice(start, end) : undefined;
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
