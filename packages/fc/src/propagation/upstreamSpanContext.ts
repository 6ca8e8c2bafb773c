import { isSpanContextValid, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { parseJaegerSpanContext } from '@tracery/core';

/** Longest header value looked at, in characters: longer values are ignored, not cut. */
const MAX_HEADER_VALUE_LENGTH = 512;
/** Most header names scanned for a case-insensitive match. */
const MAX_HEADERS_SCANNED = 256;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const B3_SINGLE = /^([0-9a-f]{16}|[0-9a-f]{32})-([0-9a-f]{16})(?:-([01d]))?(?:-([0-9a-f]{16}))?$/;
const B3_TRACE_ID = /^([0-9a-f]{16}|[0-9a-f]{32})$/;
const B3_SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * The span context of the caller of an HTTP request, from its `traceparent` (W3C), `uber-trace-id` (Jaeger) or
 * `b3` / `X-B3-*` (Zipkin) headers, tried in that order. Header names are matched case-insensitively; values
 * longer than 512 characters and malformed values are ignored. Never throws.
 */
export function upstreamSpanContext(headers: unknown): SpanContext | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  try {
    const lookup = headerLookup(headers as Record<string, unknown>);
    return (
      fromTraceparent(lookup('traceparent')) ??
      fromUberTraceId(lookup('uber-trace-id')) ??
      fromB3Single(lookup('b3')) ??
      fromB3Multi(lookup('x-b3-traceid'), lookup('x-b3-spanid'), lookup('x-b3-sampled'), lookup('x-b3-flags'))
    );
  } catch {
    return undefined;
  }
}

function headerLookup(headers: Record<string, unknown>): (name: string) => string | undefined {
  const byLowerName = new Map<string, unknown>();
  let scanned = 0;
  for (const key in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, key)) continue;
    if (++scanned > MAX_HEADERS_SCANNED) break;
    const lower = key.toLowerCase();
    if (!byLowerName.has(lower)) byLowerName.set(lower, headers[key]);
  }
  return (name) => {
    let value = byLowerName.get(name);
    if (Array.isArray(value)) value = value[0];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HEADER_VALUE_LENGTH)
      return undefined;
    return value.trim();
  };
}

function remote(traceId: string, spanId: string, sampled: boolean): SpanContext | undefined {
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

function fromTraceparent(value: string | undefined): SpanContext | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.toLowerCase());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  return remote(traceId, spanId, (parseInt(flags, 16) & TraceFlags.SAMPLED) !== 0);
}

function fromUberTraceId(value: string | undefined): SpanContext | undefined {
  if (value === undefined) return undefined;
  let decoded = value;
  if (value.includes('%')) {
    try {
      decoded = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return parseJaegerSpanContext(decoded);
}

function fromB3Single(value: string | undefined): SpanContext | undefined {
  const match = value === undefined ? null : B3_SINGLE.exec(value.toLowerCase());
  if (match === null) return undefined;
  const [, traceId, spanId, sampled] = match;
  return remote(traceId.padStart(32, '0'), spanId, sampled === '1' || sampled === 'd');
}

function fromB3Multi(
  traceId: string | undefined,
  spanId: string | undefined,
  sampled: string | undefined,
  flags: string | undefined,
): SpanContext | undefined {
  if (traceId === undefined || spanId === undefined) return undefined;
  const trace = traceId.toLowerCase();
  const span = spanId.toLowerCase();
  if (!B3_TRACE_ID.test(trace) || !B3_SPAN_ID.test(span)) return undefined;
  const isSampled = flags === '1' || sampled === '1' || sampled?.toLowerCase() === 'true';
  return remote(trace.padStart(32, '0'), span, isSampled);
}
