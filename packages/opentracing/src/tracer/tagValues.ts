import { SpanKind, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { normalizeAttributeValue } from '@tracery/core';
import * as opentracing from 'opentracing';

/** OpenTracing's `span.kind` tag values and the OpenTelemetry kind each gives a span at its start. */
export const SPAN_KINDS: ReadonlyMap<unknown, SpanKind> = new Map([
  [opentracing.Tags.SPAN_KIND_RPC_SERVER, SpanKind.SERVER],
  [opentracing.Tags.SPAN_KIND_RPC_CLIENT, SpanKind.CLIENT],
  [opentracing.Tags.SPAN_KIND_MESSAGING_PRODUCER, SpanKind.PRODUCER],
  [opentracing.Tags.SPAN_KIND_MESSAGING_CONSUMER, SpanKind.CONSUMER],
]);

/** The name of a log without an `event` field (OpenTelemetry events must have one). */
export const UNNAMED_LOG_EVENT = 'log';

/**
 * A tag or log value as an attribute value, as `@SpanTag` values are normalised: strings, numbers and
 * booleans as they are, homogeneous arrays as arrays, other objects as (bounded) JSON, as jaeger-client
 * sends objects; `undefined`, `null` and functions give nothing. Never throws: a value whose reading
 * throws (a hostile getter) gives nothing.
 */
export function toAttributeValue(value: unknown, lengthLimit: number): AttributeValue | undefined {
  try {
    return normalizeAttributeValue(value, lengthLimit);
  } catch {
    return undefined;
  }
}

/** Whether a tag is OpenTracing's `error` tag saying the span failed (`true`, or the string `'true'`). */
export function isErrorTag(key: string, value: unknown): boolean {
  return key === opentracing.Tags.ERROR && (value === true || value === 'true');
}

/**
 * An OpenTracing log (key/value fields) as an OpenTelemetry event: the `event` field (a string) names it,
 * else it is named `log`; the other fields become its attributes.
 */
export function logEvent(
  fields: Readonly<Record<string, unknown>>,
  lengthLimit: number,
): { name: string; attributes: Attributes } {
  let name = UNNAMED_LOG_EVENT;
  const attributes: Attributes = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (key === 'event' && typeof value === 'string') {
      name = value;
      continue;
    }
    const attribute = toAttributeValue(value, lengthLimit);
    if (attribute !== undefined) attributes[key] = attribute;
  }
  return { name, attributes };
}

/** OpenTracing's `sampling.priority` tag: a hint to capture the trace (> 0) or not (0). */
export const SAMPLING_PRIORITY_TAG = opentracing.Tags.SAMPLING_PRIORITY;

/**
 * What a `sampling.priority` value asks, read as jaeger-client reads it: `null`/`undefined` nothing, a value
 * above 0 (`1`, `'1'`, `true`) a debug trace, anything else (`0`, `-1`, `'no'`) not sampled. A value whose
 * reading throws (a hostile `valueOf`) asks nothing.
 */
export function samplingPriority(value: unknown): 'debug' | 'deny' | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    return (value as number) > 0 ? 'debug' : 'deny';
  } catch {
    return undefined;
  }
}
