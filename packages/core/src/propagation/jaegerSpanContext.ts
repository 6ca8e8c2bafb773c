import { TraceFlags, type SpanContext } from '@opentelemetry/api';

/**
 * Jaeger's "debug this request" header: sent without a trace context, it starts a debug trace whose root span
 * is tagged with its value (a correlation id to find the trace by), as Jaeger's clients do. Here rather than in
 * `JaegerPropagator` (which re-exports it), so that the samplers reading it load no propagator.
 */
export const JAEGER_DEBUG_ID_HEADER = 'jaeger-debug-id';
/** Bit 0x01 of a Jaeger flags byte: the trace is sampled. */
const JAEGER_FLAG_SAMPLED = 0x01;
/** Bit 0x02 of a Jaeger flags byte: debug, which Jaeger treats as "sample this whatever the sampler says". */
const JAEGER_FLAG_DEBUG = 0x02;

/** The longest well-formed value: 32 + 16 + 16 hex digits, 2 flag digits and 3 separators. */
const MAX_JAEGER_SPAN_CONTEXT_LENGTH = 32 + 16 + 16 + 2 + 3;

/** Hex digits each field may have: trace id, span id, parent span id, flags. */
const FIELD_LENGTHS = [32, 16, 16, 2] as const;

/** A Jaeger span context with the debug flag, which OpenTelemetry's trace flags cannot hold. */
export interface JaegerTraceContext {
  readonly spanContext: SpanContext;
  readonly debug: boolean;
}

/**
 * Parses Jaeger's text span context, `{trace-id}:{span-id}:{parent-span-id}:{flags}` (all hexadecimal), as
 * sent in `uber-trace-id` headers and in Function Compute's `context.tracing.openTracingSpanContext`.
 *
 * Strict: the trace id has 1 to 32 hex digits and the span id 1 to 16 (left-padded with zeros to
 * OpenTelemetry's 32/16, since an unpadded id would silently start a new trace), the deprecated parent id 1
 * to 16, the flags one byte (1 or 2 hex digits). The debug flag counts as sampled. Anything else (other
 * types, wrong field counts, non-hex, all-zero ids, oversize input) gives `undefined`. Never throws.
 *
 * @example
 * parseJaegerSpanContext('5d2c3a1f9e8b7a60:1a2b3c4d5e6f7081:0:1');
 * // { traceId: '00000000000000005d2c3a1f9e8b7a60', spanId: '1a2b3c4d5e6f7081', traceFlags: 1, isRemote: true }
 */
export function parseJaegerSpanContext(value: unknown): SpanContext | undefined {
  return parseJaegerTraceContext(value)?.spanContext;
}

/** `parseJaegerSpanContext`, with the debug flag (`0x02`) kept apart. */
export function parseJaegerTraceContext(value: unknown): JaegerTraceContext | undefined {
  if (typeof value !== 'string' || value.length > MAX_JAEGER_SPAN_CONTEXT_LENGTH) return undefined;
  // One pass over the characters (a header or FC's context string is read on every request): four fields of
  // 1 to their most hex digits, separated by ':'; the trace and span ids must not be all zeros.
  const ends: number[] = [];
  let start = 0;
  let upperCase = false;
  for (let field = 0; field < 4; field++) {
    const end = field < 3 ? value.indexOf(':', start) : value.length;
    const length = end - start;
    if (length < 1 || length > FIELD_LENGTHS[field]) return undefined;
    let nonZero = false;
    for (let i = start; i < end; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x61 && code <= 0x66) nonZero = true;
      else if (code >= 0x41 && code <= 0x46) nonZero = upperCase = true;
      else if (code >= 0x31 && code <= 0x39) nonZero = true;
      else if (code !== 0x30) return undefined;
    }
    if (field < 2 && !nonZero) return undefined;
    ends.push(end);
    start = end + 1;
  }
  const traceId = value.slice(0, ends[0]);
  const spanId = value.slice(ends[0] + 1, ends[1]);
  const flagBits = parseInt(value.slice(ends[2] + 1), 16);
  const debug = (flagBits & JAEGER_FLAG_DEBUG) !== 0;
  const sampled = debug || (flagBits & JAEGER_FLAG_SAMPLED) !== 0;
  return {
    debug,
    spanContext: {
      traceId: (upperCase ? traceId.toLowerCase() : traceId).padStart(32, '0'),
      spanId: (upperCase ? spanId.toLowerCase() : spanId).padStart(16, '0'),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    },
  };
}

/**
 * Formats a span context in Jaeger's text format: lower-case full-width ids, parent `0`, flags `1` sampled or
 * `0`, and `3` (sampled and debug) when `debug`. A 128-bit trace id whose high half is zero is written as 16
 * digits, as 64-bit Jaeger clients expect.
 */
export function formatJaegerSpanContext(spanContext: SpanContext, debug = false): string {
  const fullTraceId = spanContext.traceId.toLowerCase();
  const traceId = fullTraceId.startsWith('0000000000000000') ? fullTraceId.slice(16) : fullTraceId;
  const sampled = debug || (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  const flags = (sampled ? JAEGER_FLAG_SAMPLED : 0) | (debug ? JAEGER_FLAG_DEBUG : 0);
  return `${traceId}:${spanContext.spanId.toLowerCase()}:0:${flags}`;
}
